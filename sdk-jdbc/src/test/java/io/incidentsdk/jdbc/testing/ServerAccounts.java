package io.incidentsdk.jdbc.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The accounts on the PostgreSQL and MariaDB servers the tests use.
 *
 * <p>Read from these settings (a system property of the same name wins over the environment variable):
 * <ul>
 *   <li>{@value #PG_URL}, {@value #PG_USER}, {@value #PG_PASSWORD}: the application role on PostgreSQL;
 *   it may end other sessions of its own ({@code pg_terminate_backend}).</li>
 *   <li>{@value #MARIADB_URL}, {@value #MARIADB_USER}, {@value #MARIADB_PASSWORD}: the application user
 *   on MariaDB, with the {@code PROCESS} privilege ({@code SHOW ENGINE INNODB STATUS}).</li>
 *   <li>{@value #MARIADB_NOPROC_USER}, {@value #MARIADB_NOPROC_PASSWORD}: a second MariaDB user on the same
 *   URL, without {@code PROCESS}.</li>
 * </ul>
 * Users and passwords default to those {@code scripts/test-databases.sh} creates ({@code app}/{@code app},
 * {@code app_noproc}/{@code app}); the two URLs must be given together or not at all.
 *
 * @param postgres the application role on PostgreSQL
 * @param mariaDb the application user on MariaDB, with {@code PROCESS}
 * @param mariaDbWithoutProcess a MariaDB user without {@code PROCESS}
 * @since 0.1.0
 */
public record ServerAccounts(DatabaseAccount postgres, DatabaseAccount mariaDb, DatabaseAccount mariaDbWithoutProcess) {

    /** JDBC URL of the PostgreSQL test database. */
    public static final String PG_URL = "INCIDENT_SDK_PG_URL";
    /** PostgreSQL user; default {@code app}. */
    public static final String PG_USER = "INCIDENT_SDK_PG_USER";
    /** PostgreSQL password; default {@code app}. */
    public static final String PG_PASSWORD = "INCIDENT_SDK_PG_PASSWORD";
    /** JDBC URL of the MariaDB test database. */
    public static final String MARIADB_URL = "INCIDENT_SDK_MARIADB_URL";
    /** MariaDB user with {@code PROCESS}; default {@code app}. */
    public static final String MARIADB_USER = "INCIDENT_SDK_MARIADB_USER";
    /** Password of {@link #MARIADB_USER}; default {@code app}. */
    public static final String MARIADB_PASSWORD = "INCIDENT_SDK_MARIADB_PASSWORD";
    /** MariaDB user without {@code PROCESS}; default {@code app_noproc}. */
    public static final String MARIADB_NOPROC_USER = "INCIDENT_SDK_MARIADB_NOPROC_USER";
    /** Password of {@link #MARIADB_NOPROC_USER}; default {@code app}. */
    public static final String MARIADB_NOPROC_PASSWORD = "INCIDENT_SDK_MARIADB_NOPROC_PASSWORD";

    /**
     * Checks that no account is null.
     *
     * @since 0.1.0
     */
    public ServerAccounts {
        Objects.requireNonNull(postgres, "postgres");
        Objects.requireNonNull(mariaDb, "mariaDb");
        Objects.requireNonNull(mariaDbWithoutProcess, "mariaDbWithoutProcess");
    }

    /**
     * Reads the accounts from settings.
     *
     * @param settings looks a setting up by name; returns null (or blank) when it is not set
     * @return the accounts, or empty when neither URL is set
     * @throws IllegalStateException if only one of the two URLs is set
     * @since 0.1.0
     */
    public static Optional<ServerAccounts> fromSettings(Function<String, String> settings) {
        Objects.requireNonNull(settings, "settings");
        Optional<String> pgUrl = setting(settings, PG_URL);
        Optional<String> mariaDbUrl = setting(settings, MARIADB_URL);
        if (pgUrl.isEmpty() && mariaDbUrl.isEmpty()) {
            return Optional.empty();
        }
        List<String> missing = new ArrayList<>();
        if (pgUrl.isEmpty()) {
            missing.add(PG_URL);
        }
        if (mariaDbUrl.isEmpty()) {
            missing.add(MARIADB_URL);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Incomplete test database settings: " + String.join(" and ", missing)
                    + " not set. Set " + PG_URL + " and " + MARIADB_URL + " together (see scripts/test-databases.sh env),"
                    + " or set neither and let the tests start the servers with scripts/test-databases.sh.");
        }
        String mariaDbJdbcUrl = mariaDbUrl.orElseThrow();
        return Optional.of(new ServerAccounts(
                new DatabaseAccount(pgUrl.orElseThrow(), setting(settings, PG_USER).orElse("app"),
                        setting(settings, PG_PASSWORD).orElse("app")),
                new DatabaseAccount(mariaDbJdbcUrl, setting(settings, MARIADB_USER).orElse("app"),
                        setting(settings, MARIADB_PASSWORD).orElse("app")),
                new DatabaseAccount(mariaDbJdbcUrl, setting(settings, MARIADB_NOPROC_USER).orElse("app_noproc"),
                        setting(settings, MARIADB_NOPROC_PASSWORD).orElse("app"))));
    }

    /**
     * Reads the accounts from this JVM's system properties, then its environment variables.
     *
     * @return the accounts, or empty when neither URL is set
     * @throws IllegalStateException if only one of the two URLs is set
     * @since 0.1.0
     */
    public static Optional<ServerAccounts> fromSystem() {
        return fromSettings(name -> {
            String property = System.getProperty(name);
            return property != null && !property.isBlank() ? property : System.getenv(name);
        });
    }

    private static Optional<String> setting(Function<String, String> settings, String name) {
        String value = settings.apply(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
