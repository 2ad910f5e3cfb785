/**
 * Spring Boot integration for Incident SDK: auto-configuration that watches every {@code DataSource}.
 */
package io.incidentsdk.spring;
