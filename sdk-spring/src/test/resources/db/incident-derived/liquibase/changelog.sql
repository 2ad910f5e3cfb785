--liquibase formatted sql

--changeset incident-sdk:1
CREATE TABLE migrated_by (who VARCHAR(100) NOT NULL);
INSERT INTO migrated_by (who) VALUES (CURRENT_USER);
