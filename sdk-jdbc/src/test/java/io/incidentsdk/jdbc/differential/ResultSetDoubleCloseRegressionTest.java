package io.incidentsdk.jdbc.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.incidentsdk.sink.InMemorySink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * JDBC: closing a result set that is closed already does nothing. Cleanup code relies on it (a result set closed
 * where it was read, and again by a {@code finally} or a list of resources), also after its statement ran again.
 * The same calls on the raw driver and through the watch must see the same thing: the earlier result set stays
 * closed, and the statement's next result set stays open and readable. (A wrapper handed out again for the next
 * result, to save its allocation, would be closed by the second close: this test guards against that.)
 */
@ExtendWith(RealDatabases.class)
class ResultSetDoubleCloseRegressionTest {

    private final IncidentSdk sdk = IncidentSdk.builder().sink(new InMemorySink(100)).build();

    @AfterEach
    void close() {
        sdk.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void aSecondCloseOfAnEarlierResultLeavesTheStatementsNextResultAlone(Database database, TestDatabases databases)
            throws SQLException {
        DataSource raw = databases.dataSource(database);
        String table = TestDatabases.uniqueName("rs_double_close");
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v INT NOT NULL)");
            s.execute("INSERT INTO " + table + " (id, v) VALUES (1, 10), (2, 20), (3, 30)");
        }
        DataSource watched = JdbcIncidents.watch(raw, sdk, JdbcWatchOptions.builder().dataSourceName("shop").build());
        try {
            List<String> rawTrace = trace(raw, table);
            List<String> watchedTrace = trace(watched, table);
            assertThat(rawTrace).as("the raw driver").contains("second open = true", "second value = 20",
                    "first closed = true");
            assertThat(watchedTrace).as("through the watch, against the raw driver").isEqualTo(rawTrace);
        } finally {
            try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE " + table);
            }
        }
    }

    /** Each prepared statement run in a loop (warm, as the JIT sees a hot path), then the double close. */
    private static List<String> trace(DataSource ds, String table) throws SQLException {
        List<String> trace = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT v FROM " + table + " WHERE id >= ? ORDER BY id")) {
            for (int round = 0; round < 50; round++) {
                ps.setInt(1, 1);
                ResultSet first = ps.executeQuery();
                first.next();
                first.close();
                ps.setInt(1, 2);
                ResultSet second = ps.executeQuery();
                first.close(); // closed already: a no-op
                if (round == 49) {
                    trace.add("first closed = " + first.isClosed());
                    trace.add("second open = " + !second.isClosed());
                    trace.add("second value = " + (second.next() ? second.getInt(1) : -1));
                    trace.add("second next value = " + (second.next() ? second.getInt(1) : -1));
                }
                second.close();
            }
        }
        return trace;
    }
}
