/**
 * Test support for real databases: throwaway PostgreSQL 15 and MariaDB 10.11 servers (started through
 * {@code scripts/test-databases.sh} or taken from {@code INCIDENT_SDK_*} settings), fresh H2 in-memory
 * databases, and {@link io.incidentsdk.jdbc.testing.RealFailures}, which provokes real deadlocks,
 * serialization failures, lock timeouts, query timeouts and killed sessions.
 *
 * <p>Start with {@link io.incidentsdk.jdbc.testing.RealDatabases}: annotate a test class with
 * {@code @ExtendWith(RealDatabases.class)} and take a {@link io.incidentsdk.jdbc.testing.TestDatabases}
 * parameter. These classes are shipped to other modules in the {@code incident-sdk-jdbc} test jar.
 *
 * @since 0.1.0
 */
package io.incidentsdk.jdbc.testing;
