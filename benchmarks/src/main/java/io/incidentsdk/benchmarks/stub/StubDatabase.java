package io.incidentsdk.benchmarks.stub;

import java.lang.reflect.Proxy;
import java.sql.DatabaseMetaData;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the stub driver pretends to be (the product its metadata names) and which statements fail. The rule
 * maps a statement's SQL to how it fails, or to {@code null} when it succeeds; it is asked once per
 * {@code prepareStatement} and once per execution of a plain statement, so it should be cheap and must not
 * allocate (return constants).
 *
 * @since 0.1.0
 */
public final class StubDatabase {

    private final String productName;
    private final String productVersion;
    private final String url;
    private final Function<String, StubFailure> rule;
    private final DatabaseMetaData metaData;

    /**
     * Describes a stub database.
     *
     * @param productName    what {@link DatabaseMetaData#getDatabaseProductName()} says, e.g. {@code PostgreSQL}
     * @param productVersion what {@link DatabaseMetaData#getDatabaseProductVersion()} says
     * @param url            what {@link DatabaseMetaData#getURL()} says
     * @param rule           SQL to failure, {@code null} for success; not {@code null} itself
     */
    public StubDatabase(String productName, String productVersion, String url, Function<String, StubFailure> rule) {
        this.productName = productName;
        this.productVersion = productVersion;
        this.url = url;
        this.rule = Objects.requireNonNull(rule, "rule");
        this.metaData = metaDataProxy();
    }

    /**
     * A PostgreSQL look-alike on which every {@code INSERT} fails with a duplicate key (23505), every
     * statement that mentions {@code deadlock_victim} fails with a deadlock (40P01) and every statement that
     * mentions {@code lock_timeout_victim} with a lock timeout (55P03); everything else succeeds.
     *
     * @return the stub database
     */
    public static StubDatabase postgresLike() {
        return new StubDatabase("PostgreSQL", "15.18", "jdbc:postgresql://stub:5432/bench", sql -> {
            if (sql.regionMatches(true, 0, "INSERT", 0, 6)) {
                return StubFailures.DUPLICATE_KEY;
            }
            if (sql.contains("deadlock_victim")) {
                return StubFailures.POSTGRES_DEADLOCK;
            }
            return sql.contains("lock_timeout_victim") ? StubFailures.POSTGRES_LOCK_TIMEOUT : null;
        });
    }

    /**
     * How a statement fails.
     *
     * @param sql the statement
     * @return its failure, or {@code null} when it succeeds
     */
    public StubFailure failureFor(String sql) {
        return sql == null ? null : rule.apply(sql);
    }

    /**
     * The metadata every connection returns: product name, version and URL as given, user {@code bench},
     * every other method a default value. Read once per data source by the wrappers, never on a hot path, so
     * a reflection proxy is fine here.
     *
     * @return the shared metadata
     */
    public DatabaseMetaData metaData() {
        return metaData;
    }

    private DatabaseMetaData metaDataProxy() {
        return (DatabaseMetaData) Proxy.newProxyInstance(StubDatabase.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getDatabaseProductName":
                            return productName;
                        case "getDatabaseProductVersion":
                            return productVersion;
                        case "getURL":
                            return url;
                        case "getUserName":
                            return "bench";
                        case "getDriverName":
                            return "incident-sdk benchmark stub";
                        case "getDriverVersion":
                            return "1";
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        case "toString":
                            return "StubDatabaseMetaData[" + productName + "]";
                        case "isWrapperFor":
                            return Boolean.FALSE;
                        default:
                            Class<?> type = method.getReturnType();
                            if (type == boolean.class) {
                                return Boolean.FALSE;
                            }
                            if (type == int.class) {
                                return 0;
                            }
                            if (type == long.class) {
                                return 0L;
                            }
                            return null;
                    }
                });
    }

    @Override
    public String toString() {
        return "StubDatabase[" + productName + " " + productVersion + "]";
    }
}
