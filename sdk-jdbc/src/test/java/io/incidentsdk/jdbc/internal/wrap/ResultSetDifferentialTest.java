package io.incidentsdk.jdbc.internal.wrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Result sets through the wrappers behave as the driver's own: each scenario (a statement run in a loop, a result
 * left open when its statement runs again and closed late, {@code getResultSet()} after close, more results,
 * statement close and {@code closeOnCompletion}, statements taking turns in a nested loop, generated keys) runs on
 * the raw driver and through the wrappers, on PostgreSQL, MariaDB and H2, and the two traces (values read,
 * {@code isClosed()}, what was thrown: class and SQLState) must be equal. Every result is a handle of its own (the
 * reason a query allocates its result-set wrapper, issue 19).
 *
 * <p>Not compared: the identity of {@code getResultSet()} asked twice for one result. The three drivers answer the
 * same object; the wrappers give a new wrapper over it each time (both read and close the same result).
 */
@ExtendWith(RealDatabases.class)
class ResultSetDifferentialTest {

    /** A scenario: JDBC calls on a connection and a table of rows (1, 10), (2, 20), (3, 30), traced. */
    @FunctionalInterface
    interface Scenario {
        void run(Connection connection, String table, List<String> trace) throws SQLException;
    }

    private static String table(Database database, DataSource raw) throws SQLException {
        String table = TestDatabases.uniqueName("rs_reuse");
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v INT NOT NULL)");
            s.execute("INSERT INTO " + table + " (id, v) VALUES (1, 10), (2, 20), (3, 30)");
        }
        return table;
    }

    private static void drop(DataSource raw, String table) throws SQLException {
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE " + table);
        }
    }

    /** Runs a scenario on the raw driver and through the wrappers; returns both traces. */
    private static List<List<String>> both(Database database, TestDatabases databases, Scenario scenario)
            throws SQLException {
        DataSource raw = databases.dataSource(database);
        DataSource watched = WatchedDataSource.wrap(raw, "reuse", new RecordingObserver());
        String table = table(database, raw);
        try {
            List<String> rawTrace = new ArrayList<>();
            try (Connection c = raw.getConnection()) {
                scenario.run(c, table, rawTrace);
            }
            List<String> watchedTrace = new ArrayList<>();
            try (Connection c = watched.getConnection()) {
                assertThat(c).isInstanceOf(WatchedConnection.class);
                scenario.run(c, table, watchedTrace);
            }
            return List.of(rawTrace, watchedTrace);
        } finally {
            drop(raw, table);
        }
    }

    private static void assertSameTrace(Database database, TestDatabases databases, Scenario scenario)
            throws SQLException {
        List<List<String>> traces = both(database, databases, scenario);
        assertThat(traces.get(1)).as("through the wrappers vs the raw driver").isEqualTo(traces.get(0));
        assertThat(traces.get(0)).as("the scenario traced something").isNotEmpty();
    }

    /** What a call did: its value, or the class and SQLState of what it threw. */
    @FunctionalInterface
    interface Call {
        Object call() throws SQLException;
    }

    private static void trace(List<String> trace, String what, Call call) {
        try {
            trace.add(what + " = " + call.call());
        } catch (SQLException e) {
            trace.add(what + " threw " + e.getClass().getSimpleName() + " " + e.getSQLState());
        }
    }

    private static int read(ResultSet rs) throws SQLException {
        return rs.next() ? rs.getInt(1) : -1;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void aStatementRunInALoopReadsEachResultAsTheDriverDoes(Database database, TestDatabases databases)
            throws SQLException {
        assertSameTrace(database, databases, (c, table, trace) -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT v FROM " + table + " WHERE id = ?")) {
                for (int id = 1; id <= 3; id++) {
                    ps.setInt(1, id);
                    ResultSet rs = ps.executeQuery();
                    trace(trace, "value " + id, () -> read(rs));
                    trace(trace, "statement is its statement", () -> rs.getStatement() == ps);
                    rs.close();
                    trace(trace, "closed", rs::isClosed);
                }
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void aResultTheApplicationLeftOpenIsClosedWhenTheStatementRunsAgain(Database database, TestDatabases databases)
            throws SQLException {
        assertSameTrace(database, databases, (c, table, trace) -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT v FROM " + table + " WHERE id = ?")) {
                ps.setInt(1, 1);
                ResultSet first = ps.executeQuery();
                ps.setInt(1, 2);
                ResultSet second = ps.executeQuery();
                trace(trace, "a new result set", () -> first != second);
                trace(trace, "first closed by the driver", first::isClosed);
                trace(trace, "first next", first::next);
                trace(trace, "second value", () -> read(second));
                // a late close of the first (a double close for the driver) leaves the second alone
                first.close();
                trace(trace, "second still open", () -> !second.isClosed());
                trace(trace, "second next", second::next);
                second.close();
                ps.setInt(1, 3);
                ResultSet third = ps.executeQuery();
                trace(trace, "third value", () -> read(third));
                trace(trace, "first still closed", first::isClosed);
                trace(trace, "first next", first::next);
                third.close();
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void getResultSetAskedTwiceAndAfterCloseAnswersAsTheDriver(Database database, TestDatabases databases)
            throws SQLException {
        assertSameTrace(database, databases, (c, table, trace) -> {
            try (Statement s = c.createStatement()) {
                trace(trace, "execute", () -> s.execute("SELECT v FROM " + table + " WHERE id = 2"));
                ResultSet a = s.getResultSet();
                ResultSet b = s.getResultSet();
                // (not compared: whether a == b; every driver here answers the same object, the wrappers two of
                // their own over it)
                trace(trace, "value", () -> read(a));
                trace(trace, "asked twice: the other one reads on", () -> read(b));
                a.close();
                trace(trace, "closed", a::isClosed);
                trace(trace, "the other one closed too", b::isClosed);
                ResultSet again = s.getResultSet();
                trace(trace, "after close", () -> again == null ? "null" : "closed " + again.isClosed());
                trace(trace, "more results", s::getMoreResults);
                trace(trace, "update count", s::getUpdateCount);
                trace(trace, "value again", () -> s.execute("SELECT v FROM " + table + " WHERE id = 3")
                        ? read(s.getResultSet()) : -2);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void moreResultsCloseTheCurrentOneAsTheDriverDoes(Database database, TestDatabases databases)
            throws SQLException {
        assertSameTrace(database, databases, (c, table, trace) -> {
            try (Statement s = c.createStatement()) {
                trace(trace, "execute", () -> s.execute("SELECT v FROM " + table + " ORDER BY id"));
                ResultSet rs = s.getResultSet();
                trace(trace, "first row", () -> read(rs));
                trace(trace, "more results", s::getMoreResults);
                trace(trace, "current closed", rs::isClosed);
                trace(trace, "next result set", () -> s.getResultSet() == null);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void closingTheStatementClosesItsResultAndCloseOnCompletionClosesTheStatement(Database database,
            TestDatabases databases) throws SQLException {
        assertSameTrace(database, databases, (c, table, trace) -> {
            PreparedStatement ps = c.prepareStatement("SELECT v FROM " + table + " WHERE id = ?");
            ps.setInt(1, 1);
            ResultSet rs = ps.executeQuery();
            ps.close();
            trace(trace, "result closed with its statement", rs::isClosed);
            trace(trace, "next", rs::next);
            PreparedStatement once = c.prepareStatement("SELECT v FROM " + table + " WHERE id = ?");
            once.closeOnCompletion();
            once.setInt(1, 2);
            ResultSet last = once.executeQuery();
            trace(trace, "value", () -> read(last));
            last.close();
            trace(trace, "statement closed on completion", once::isClosed);
            trace(trace, "run again", () -> once.executeQuery() != null);
            once.close();
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void statementsTakingTurnsAndANestedLoopReadWhatTheDriverReads(Database database, TestDatabases databases)
            throws SQLException {
        assertSameTrace(database, databases, (c, table, trace) -> {
            try (PreparedStatement outer = c.prepareStatement("SELECT id FROM " + table + " ORDER BY id");
                 PreparedStatement inner = c.prepareStatement("SELECT v FROM " + table + " WHERE id = ?");
                 PreparedStatement other = c.prepareStatement("SELECT v + 1 FROM " + table + " WHERE id = ?")) {
                try (ResultSet ids = outer.executeQuery()) {
                    while (ids.next()) {
                        int id = ids.getInt(1);
                        inner.setInt(1, id);
                        other.setInt(1, id);
                        // two statements in turn, each result closed: the outer result stays open and right
                        try (ResultSet v = inner.executeQuery()) {
                            trace(trace, "inner " + id, () -> read(v));
                        }
                        try (ResultSet w = other.executeQuery()) {
                            trace(trace, "other " + id, () -> read(w));
                        }
                        trace(trace, "outer open", () -> !ids.isClosed());
                    }
                }
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void generatedKeysAndAQueryOfOneStatementKeepTheirOwnValues(Database database, TestDatabases databases)
            throws SQLException {
        assertSameTrace(database, databases, (c, table, trace) -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (id, v) VALUES (?, ?)",
                    Statement.RETURN_GENERATED_KEYS);
                 PreparedStatement select = c.prepareStatement("SELECT v FROM " + table + " WHERE id = ?")) {
                for (int id = 4; id <= 6; id++) {
                    insert.setInt(1, id);
                    insert.setInt(2, id * 10);
                    trace(trace, "inserted " + id, insert::executeUpdate);
                    try (ResultSet keys = insert.getGeneratedKeys()) {
                        trace(trace, "keys have a row", keys::next);
                    }
                    select.setInt(1, id);
                    try (ResultSet rs = select.executeQuery()) {
                        trace(trace, "value " + id, () -> read(rs));
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM " + table + " WHERE id > 3"); // the other run inserts them again
            }
        });
    }
}
