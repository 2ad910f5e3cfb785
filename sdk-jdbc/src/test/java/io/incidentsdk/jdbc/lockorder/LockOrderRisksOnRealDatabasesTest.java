package io.incidentsdk.jdbc.lockorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.Severity;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import io.incidentsdk.jdbc.LockOrderMonitor;
import io.incidentsdk.jdbc.LockOrderRisk;
import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.incidentsdk.sink.InMemorySink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The lock-order analysis on real databases, single-threaded: no deadlock ever happens in these tests, and the
 * risks are found anyway; correct code is not reported.
 */
@ExtendWith(RealDatabases.class)
class LockOrderRisksOnRealDatabasesTest {

    private final InMemorySink memory = new InMemorySink(10_000);
    private final IncidentSdk sdk = IncidentSdk.builder().sink(memory).updateInterval(Duration.ofMillis(10))
            .housekeepingInterval(Duration.ofMillis(10)).build();

    @AfterEach
    void close() {
        sdk.close();
    }

    private DataSource watched(DataSource raw, String name) {
        return JdbcIncidents.watch(raw, sdk, JdbcWatchOptions.builder().dataSourceName(name).lockOrderSampling(1.0)
                .build());
    }

    private List<Incident> risks() {
        sdk.close(); // delivers what is queued
        return memory.incidents().values().stream().filter(i -> i.kind() == IncidentKind.LOCK_ORDER_RISK).toList();
    }

    // ------------------------------------------------------------------ the founding transfer race

    private static final String DEBIT = "UPDATE %s SET balance = balance - ? WHERE id = ?";
    private static final String CREDIT = "UPDATE %s SET balance = balance + ? WHERE id = ?";

    /** The founding demo's code path 1: debit, then credit (whatever the ids). */
    private static void transfer(Connection c, String table, long from, long to, long amount) throws SQLException {
        update(c, String.format(DEBIT, table), amount, from);
        update(c, String.format(CREDIT, table), amount, to);
    }

    /** Code path 2: credit first. */
    private static void settle(Connection c, String table, long from, long to, long amount) throws SQLException {
        update(c, String.format(CREDIT, table), amount, to);
        update(c, String.format(DEBIT, table), amount, from);
    }

    /** The fix: the rows are locked by ascending id, whichever way the money goes. */
    private static void transferInOrder(Connection c, String table, long from, long to, long amount)
            throws SQLException {
        if (from < to) {
            update(c, String.format(DEBIT, table), amount, from);
            update(c, String.format(CREDIT, table), amount, to);
        } else {
            update(c, String.format(CREDIT, table), amount, to);
            update(c, String.format(DEBIT, table), amount, from);
        }
    }

    private static void update(Connection c, String sql, long amount, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, amount);
            s.setLong(2, id);
            s.executeUpdate();
        }
    }

    interface Unit {
        void run(Connection c) throws SQLException;
    }

    private static void inTransaction(DataSource ds, Unit unit) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            unit.run(c);
            c.commit();
            c.setAutoCommit(true);
        }
    }

    private static void execute(DataSource ds, String... sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String each : sql) {
                s.execute(each);
            }
        }
    }

    private static String accounts(DataSource raw, String table, int rows) throws SQLException {
        execute(raw, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL)");
        try (Connection c = raw.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO " + table + " VALUES (?, 1000000)")) {
            for (int id = 1; id <= rows; id++) {
                s.setLong(1, id);
                s.executeUpdate();
            }
        }
        return table;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void theTransferRaceIsReportedSingleThreadedBeforeAnyDeadlock(Database database, TestDatabases dbs)
            throws Exception {
        DataSource raw = dbs.dataSource(database);
        String table = accounts(raw, TestDatabases.uniqueName("lo_account"), 4);
        DataSource ds = watched(raw, "bank");

        // one thread, one transfer after the other: no two transactions are ever open at once
        inTransaction(ds, c -> transfer(c, table, 1, 2, 7));
        inTransaction(ds, c -> transfer(c, table, 3, 4, 7));
        inTransaction(ds, c -> transfer(c, table, 2, 1, 7));

        List<Incident> risks = risks();
        assertThat(risks).hasSize(1);
        Incident risk = risks.get(0);
        assertThat(risk.severity()).isEqualTo(Severity.WARNING);
        assertThat(risk.title()).isEqualTo("Lock-order risk: rows of " + table + " locked in a data-dependent key order");
        assertThat(risk.attributes()).containsEntry("lockOrder.kind", "DATA_DEPENDENT_ROW_ORDER");
        assertThat(risk.summary())
                .contains("UPDATE " + table + " SET balance = balance - ? WHERE id = ?")
                .contains("UPDATE " + table + " SET balance = balance + ? WHERE id = ?")
                .contains("LockOrderRisksOnRealDatabasesTest.transfer(");
        assertThat(risk.attributes().get("lockOrder.path1")).contains("LockOrderRisksOnRealDatabasesTest.transfer(");
        assertThat(risk.hints().get(0)).contains("ascending key order");
        assertThat(memory.incidents().values()).noneMatch(i -> i.kind() == IncidentKind.DEADLOCK);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void twoCodePathsLockingRowsInOppositeOrderAreReportedWithBothCallSites(Database database, TestDatabases dbs)
            throws Exception {
        DataSource raw = dbs.dataSource(database);
        String table = accounts(raw, TestDatabases.uniqueName("lo_account"), 2);
        DataSource ds = watched(raw, "bank");

        try (LockOrderMonitor.Recording recording = LockOrderMonitor.record()) {
            inTransaction(ds, c -> transfer(c, table, 1, 2, 5));
            inTransaction(ds, c -> settle(c, table, 1, 2, 5));

            assertThat(recording.risks()).hasSize(1);
            LockOrderRisk risk = recording.risks().get(0);
            assertThat(risk.kind()).isEqualTo(LockOrderRisk.Kind.OPPOSITE_ROW_ORDER);
            assertThat(risk.tables()).containsExactly(table);
            assertThat(risk.first().callSites()).allMatch(s -> s.contains(".transfer("));
            assertThat(risk.second().callSites()).allMatch(s -> s.contains(".settle("));
            assertThat(risk.report()).contains("code path 1, rows of " + table + " by ascending key")
                    .contains("code path 2, rows of " + table + " by descending key")
                    .contains("fix: lock the rows of " + table + " in ascending key order");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void theFixedTransferLockingByAscendingIdIsNotReported(Database database, TestDatabases dbs) throws Exception {
        DataSource raw = dbs.dataSource(database);
        String table = accounts(raw, TestDatabases.uniqueName("lo_account"), 6);
        DataSource ds = watched(raw, "bank");
        Random random = new Random(16);
        for (int i = 0; i < 40; i++) {
            long from = 1 + random.nextInt(6);
            long to = from % 6 + 1;
            inTransaction(ds, c -> transferInOrder(c, table, from, to, 3));
        }
        assertThat(risks()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void twoTablesLockedInOppositeOrdersAreReported(Database database, TestDatabases dbs) throws Exception {
        DataSource raw = dbs.dataSource(database);
        String orders = TestDatabases.uniqueName("lo_orders");
        String stock = TestDatabases.uniqueName("lo_stock");
        execute(raw, "CREATE TABLE " + orders + " (id BIGINT PRIMARY KEY, state INT NOT NULL)",
                "CREATE TABLE " + stock + " (id BIGINT PRIMARY KEY, qty INT NOT NULL)",
                "INSERT INTO " + orders + " VALUES (1, 0)", "INSERT INTO " + stock + " VALUES (1, 100)");
        DataSource ds = watched(raw, "shop");

        inTransaction(ds, c -> placeOrder(c, orders, stock));
        inTransaction(ds, c -> restock(c, orders, stock));

        List<Incident> risks = risks();
        assertThat(risks).hasSize(1);
        Incident risk = risks.get(0);
        assertThat(risk.attributes()).containsEntry("lockOrder.kind", "OPPOSITE_TABLE_ORDER");
        assertThat(risk.title()).isEqualTo("Lock-order risk: " + orders + " and " + stock + " locked in opposite orders");
        assertThat(risk.attributes().get("lockOrder.path1")).contains(".restock(");
        assertThat(risk.attributes().get("lockOrder.path2")).contains(".placeOrder(");
        assertThat(risk.summary()).contains("Fix: lock " + orders + " before " + stock);
    }

    private static void placeOrder(Connection c, String orders, String stock) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE " + orders + " SET state = 1 WHERE id = ?")) {
            s.setInt(1, 1);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE " + stock + " SET qty = qty - 1 WHERE id = ?")) {
            s.setInt(1, 1);
            s.executeUpdate();
        }
    }

    private static void restock(Connection c, String orders, String stock) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT qty FROM " + stock + " WHERE id = ? FOR UPDATE")) {
            s.setInt(1, 1);
            s.executeQuery().close();
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE " + orders + " SET state = 2 WHERE id = ?")) {
            s.setInt(1, 1);
            s.executeUpdate();
        }
    }

    @Test
    void aRiskRecordHoldsNoBoundValueNorLiteral(TestDatabases dbs) throws Exception {
        DataSource raw = dbs.dataSource(Database.H2);
        String table = accounts(raw, TestDatabases.uniqueName("lo_account"), 0);
        execute(raw, "INSERT INTO " + table + " VALUES (918273, 1)", "INSERT INTO " + table + " VALUES (918274, 1)");
        DataSource ds = watched(raw, "bank");
        inTransaction(ds, c -> transfer(c, table, 918273, 918274, 424242));
        inTransaction(ds, c -> transfer(c, table, 918274, 918273, 424242));
        // the same with literals in plain statements
        inTransaction(ds, c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE " + table + " SET balance = balance - 424242 WHERE id = 918274");
                s.executeUpdate("UPDATE " + table + " SET balance = balance + 424242 WHERE id = 918273");
            }
        });
        assertThat(risks()).isNotEmpty();
        List<String> records = memory.events().stream().map(IncidentJson::toJson).toList();
        assertThat(records).isNotEmpty().allSatisfy(json -> assertThat(json).doesNotContain("918273")
                .doesNotContain("918274").doesNotContain("424242"));
    }

    /**
     * A foreign key makes an INSERT lock its parent row (shared): "insert a line, then update the product" and
     * "update the product, then lock the order" lock the order and the product in opposite orders, which only the
     * schema shows (the foreign keys are read once, on an SDK thread: the runs repeat until they are known). On
     * PostgreSQL the check's lock is FOR KEY SHARE, which a plain UPDATE of the order does not wait for (see
     * {@link #onPostgresqlAPlainUpdateOfTheParentDoesNotMeetTheForeignKeyCheck}): there the second path locks the
     * order FOR UPDATE, which does.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void aForeignKeyParentCountsAsLockedBeforeItsChild(Database database, TestDatabases dbs) throws Exception {
        DataSource raw = dbs.dataSource(database);
        String orders = TestDatabases.uniqueName("lo_fk_order");
        String line = TestDatabases.uniqueName("lo_fk_line");
        String product = TestDatabases.uniqueName("lo_fk_product");
        execute(raw, "CREATE TABLE " + orders + " (id BIGINT PRIMARY KEY, total BIGINT NOT NULL)",
                "CREATE TABLE " + product + " (id BIGINT PRIMARY KEY, stock BIGINT NOT NULL)",
                "CREATE TABLE " + line + " (id BIGINT PRIMARY KEY, order_id BIGINT NOT NULL, "
                        + "CONSTRAINT " + line + "_fk FOREIGN KEY (order_id) REFERENCES " + orders + " (id))",
                "INSERT INTO " + orders + " VALUES (1, 0)", "INSERT INTO " + product + " VALUES (1, 10)");
        DataSource ds = watched(raw, "shop");
        long[] ids = {0};
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            inTransaction(ds, c -> {
                changeTwo(c, "INSERT INTO " + line + " (id, order_id) VALUES (?, ?)", ++ids[0], 1);
                change(c, "UPDATE " + product + " SET stock = stock - 1 WHERE id = ?", 1);
            });
            inTransaction(ds, c -> {
                change(c, "UPDATE " + product + " SET stock = stock + 1 WHERE id = ?", 1);
                if (database == Database.POSTGRESQL) {
                    query(c, "SELECT total FROM " + orders + " WHERE id = ? FOR UPDATE", 1);
                }
                change(c, "UPDATE " + orders + " SET total = total + 1 WHERE id = ?", 1);
            });
            return memory.incidents().values().stream().anyMatch(i -> i.kind() == IncidentKind.LOCK_ORDER_RISK);
        });
        Incident risk = risks().get(0);
        assertThat(risk.attributes()).containsEntry("lockOrder.kind", "OPPOSITE_TABLE_ORDER");
        assertThat(risk.attributes().get("lockOrder.tables")).contains(orders).contains(product);
    }

    /**
     * PostgreSQL checks a foreign key under FOR KEY SHARE on the parent row, and a plain UPDATE takes FOR NO KEY
     * UPDATE, which does not conflict with it: "insert a line, then update the product" and "update the product,
     * then the order" cannot deadlock there (on InnoDB they can: the check's shared lock blocks the update). First
     * the database's own behaviour, on two connections: the order's update goes through while the other
     * transaction holds the check's lock. Then the analysis: with the foreign keys known (a third path that does
     * lock the order FOR UPDATE is reported), the two plain paths are never reported as a pair.
     */
    @Test
    void onPostgresqlAPlainUpdateOfTheParentDoesNotMeetTheForeignKeyCheck(TestDatabases dbs) throws Exception {
        DataSource raw = dbs.dataSource(Database.POSTGRESQL);
        String orders = TestDatabases.uniqueName("lo_pk_order");
        String line = TestDatabases.uniqueName("lo_pk_line");
        String product = TestDatabases.uniqueName("lo_pk_product");
        execute(raw, "CREATE TABLE " + orders + " (id BIGINT PRIMARY KEY, total BIGINT NOT NULL)",
                "CREATE TABLE " + product + " (id BIGINT PRIMARY KEY, stock BIGINT NOT NULL)",
                "CREATE TABLE " + line + " (id BIGINT PRIMARY KEY, order_id BIGINT NOT NULL, "
                        + "CONSTRAINT " + line + "_fk FOREIGN KEY (order_id) REFERENCES " + orders + " (id))",
                "INSERT INTO " + orders + " VALUES (1, 0)", "INSERT INTO " + product + " VALUES (1, 10)");
        // the database: the check's lock does not hold up the parent's plain update (lock_timeout fails it if it did)
        try (Connection one = raw.getConnection(); Connection two = raw.getConnection()) {
            one.setAutoCommit(false);
            two.setAutoCommit(false);
            change(one, "INSERT INTO " + line + " (id, order_id) VALUES (1000000, ?)", 1);
            try (Statement timeout = two.createStatement()) {
                timeout.execute("SET LOCAL lock_timeout = '5s'");
            }
            change(two, "UPDATE " + product + " SET stock = stock + 1 WHERE id = ?", 1);
            change(two, "UPDATE " + orders + " SET total = total + 1 WHERE id = ?", 1);
            two.rollback();
            one.rollback();
        }
        DataSource ds = watched(raw, "shop");
        long[] ids = {0};
        Runnable plainPaths = () -> {
            try {
                inTransaction(ds, c -> {
                    changeTwo(c, "INSERT INTO " + line + " (id, order_id) VALUES (?, ?)", ++ids[0], 1);
                    change(c, "UPDATE " + product + " SET stock = stock - 1 WHERE id = ?", 1);
                });
                inTransaction(ds, c -> {
                    change(c, "UPDATE " + product + " SET stock = stock + 1 WHERE id = ?", 1);
                    change(c, "UPDATE " + orders + " SET total = total + 1 WHERE id = ?", 1);
                });
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            plainPaths.run();
            inTransaction(ds, c -> {
                change(c, "UPDATE " + product + " SET stock = stock + 1 WHERE id = ?", 1);
                query(c, "SELECT total FROM " + orders + " WHERE id = ? FOR UPDATE", 1);
            });
            return memory.incidents().values().stream().anyMatch(i -> i.kind() == IncidentKind.LOCK_ORDER_RISK);
        });
        for (int i = 0; i < 20; i++) {
            plainPaths.run();
        }
        List<Incident> risks = risks();
        assertThat(risks).isNotEmpty();
        assertThat(risks).as("only the path that locks the order FOR UPDATE meets the foreign-key check")
                .allSatisfy(risk -> assertThat(risk.summary()).contains("FOR UPDATE")
                        .doesNotContain("SET total = total + ?"));
    }

    // ------------------------------------------------------------------ no false positives

    /**
     * Twenty-four transaction shapes an ordinary application runs (reads, single updates, parent then child,
     * batches by ascending key, inserts with foreign keys, deletes, share locks), each several times with varied
     * data, in a shuffled order: none may be reported.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void aVariedWorkloadOfTwentyFourShapesIsNotReported(Database database, TestDatabases dbs) throws Exception {
        DataSource raw = dbs.dataSource(database);
        String customer = TestDatabases.uniqueName("lo_customer");
        String orders = TestDatabases.uniqueName("lo_order");
        String line = TestDatabases.uniqueName("lo_line");
        String product = TestDatabases.uniqueName("lo_product");
        String audit = TestDatabases.uniqueName("lo_audit");
        execute(raw,
                "CREATE TABLE " + customer + " (id BIGINT PRIMARY KEY, name VARCHAR(40), credit BIGINT NOT NULL)",
                "CREATE TABLE " + product + " (id BIGINT PRIMARY KEY, stock BIGINT NOT NULL, price BIGINT NOT NULL)",
                "CREATE TABLE " + orders + " (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL REFERENCES " + customer
                        + "(id), total BIGINT NOT NULL, state INT NOT NULL)",
                "CREATE TABLE " + line + " (id BIGINT PRIMARY KEY, order_id BIGINT NOT NULL REFERENCES " + orders
                        + "(id), product_id BIGINT NOT NULL REFERENCES " + product + "(id), qty INT NOT NULL)",
                "CREATE TABLE " + audit + " (id BIGINT PRIMARY KEY, what VARCHAR(40) NOT NULL)");
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            for (int i = 1; i <= 20; i++) {
                s.execute("INSERT INTO " + customer + " VALUES (" + i + ", 'c', 1000)");
                s.execute("INSERT INTO " + product + " VALUES (" + i + ", 1000, 10)");
            }
        }
        DataSource ds = watched(raw, "shop");
        Random random = new Random(2016);
        long[] ids = {1000};
        List<Unit> shapes = List.of(
                // 1 read only
                c -> query(c, "SELECT credit FROM " + customer + " WHERE id = ?", 1 + random.nextInt(20)),
                // 2 one update
                c -> change(c, "UPDATE " + customer + " SET credit = credit + 1 WHERE id = ?", 1 + random.nextInt(20)),
                // 3 one insert
                c -> change(c, "INSERT INTO " + audit + " (id, what) VALUES (?, 'x')", ++ids[0]),
                // 4 order with lines: customer checked (FK), order, then lines, products by ascending id
                c -> {
                    long order = ++ids[0];
                    change(c, "INSERT INTO " + orders + " (id, customer_id, total, state) VALUES (?, 1, 0, 0)", order);
                    int first = 1 + random.nextInt(10);
                    for (int p = first; p < first + 3; p++) {
                        change(c, "UPDATE " + product + " SET stock = stock - 1 WHERE id = ?", p);
                        changeTwo(c, "INSERT INTO " + line + " (id, order_id, product_id, qty) VALUES (?, ?, "
                                + p + ", 1)", ++ids[0], order);
                    }
                    change(c, "UPDATE " + orders + " SET total = 30 WHERE id = ?", order);
                },
                // 5 batch of products by ascending id
                c -> {
                    int from = 1 + random.nextInt(15);
                    for (int p = from; p < from + 5; p++) {
                        change(c, "UPDATE " + product + " SET price = price + 1 WHERE id = ?", p);
                    }
                },
                // 6 customer then audit
                c -> {
                    change(c, "UPDATE " + customer + " SET name = 'n' WHERE id = ?", 1 + random.nextInt(20));
                    change(c, "INSERT INTO " + audit + " (id, what) VALUES (?, 'rename')", ++ids[0]);
                },
                // 7 lock customer, then update it
                c -> {
                    long id = 1 + random.nextInt(20);
                    query(c, "SELECT credit FROM " + customer + " WHERE id = ? FOR UPDATE", id);
                    change(c, "UPDATE " + customer + " SET credit = credit - 1 WHERE id = ?", id);
                },
                // 8 customer then product (same order as 9 and 10)
                c -> {
                    change(c, "UPDATE " + customer + " SET credit = credit - 10 WHERE id = ?", 1 + random.nextInt(20));
                    change(c, "UPDATE " + product + " SET stock = stock - 1 WHERE id = ?", 1 + random.nextInt(20));
                },
                // 9 customer, product, audit
                c -> {
                    change(c, "UPDATE " + customer + " SET credit = credit + 10 WHERE id = ?", 1 + random.nextInt(20));
                    change(c, "UPDATE " + product + " SET stock = stock + 1 WHERE id = ?", 1 + random.nextInt(20));
                    change(c, "INSERT INTO " + audit + " (id, what) VALUES (?, 'refund')", ++ids[0]);
                },
                // 10 a plain read of a product
                c -> query(c, "SELECT stock FROM " + product + " WHERE id = ?", 1 + random.nextInt(20)),
                // 11 delete audit rows by key
                c -> change(c, "DELETE FROM " + audit + " WHERE id = ?", 1 + random.nextInt(5)),
                // 12 range update (no single key)
                c -> change(c, "UPDATE " + product + " SET price = price WHERE id < ?", 3),
                // 13 plain statements with literals, ascending
                c -> {
                    try (Statement s = c.createStatement()) {
                        int a = 1 + random.nextInt(10);
                        s.executeUpdate("UPDATE " + customer + " SET credit = credit WHERE id = " + a);
                        s.executeUpdate("UPDATE " + customer + " SET credit = credit WHERE id = " + (a + 5));
                    }
                },
                // 14 one order state change
                c -> change(c, "UPDATE " + orders + " SET state = 2 WHERE id = ?", 1001),
                // 15 two customers in ascending order (a fixed transfer)
                c -> {
                    int a = 1 + random.nextInt(19);
                    int b = a + 1 + random.nextInt(20 - a);
                    change(c, "UPDATE " + customer + " SET credit = credit - 5 WHERE id = ?", a);
                    change(c, "UPDATE " + customer + " SET credit = credit + 5 WHERE id = ?", b);
                },
                // 16 read then insert audit
                c -> {
                    query(c, "SELECT COUNT(*) FROM " + audit + " WHERE id > ?", 0);
                    change(c, "INSERT INTO " + audit + " (id, what) VALUES (?, 'count')", ++ids[0]);
                },
                // 17 product by ascending id via IN list (the database orders the locks)
                c -> query(c, "SELECT id FROM " + product + " WHERE id IN (?, 7, 3) ORDER BY id FOR UPDATE", 5),
                // 18 customer for share, then audit insert
                c -> {
                    query(c, "SELECT credit FROM " + customer + " WHERE id = ? " + shareClause(database),
                            1 + random.nextInt(20));
                    change(c, "INSERT INTO " + audit + " (id, what) VALUES (?, 'seen')", ++ids[0]);
                },
                // 19 update the same row twice
                c -> {
                    long id = 1 + random.nextInt(20);
                    change(c, "UPDATE " + product + " SET stock = stock - 1 WHERE id = ?", id);
                    change(c, "UPDATE " + product + " SET stock = stock + 1 WHERE id = ?", id);
                },
                // 20 insert a line for an existing order (FK checks on orders and product), then product
                c -> {
                    changeTwo(c, "INSERT INTO " + line + " (id, order_id, product_id, qty) VALUES (?, ?, 1, 1)",
                            ++ids[0], 1001);
                    change(c, "UPDATE " + product + " SET stock = stock - 1 WHERE id = ?", 1);
                },
                // 21 customer credit by name (no key)
                c -> {
                    try (PreparedStatement s = c.prepareStatement("UPDATE " + customer
                            + " SET credit = credit WHERE name = ?")) {
                        s.setString(1, "nobody");
                        s.executeUpdate();
                    }
                },
                // 22 customer, then order of that customer
                c -> {
                    change(c, "UPDATE " + customer + " SET credit = credit - 1 WHERE id = ?", 1);
                    change(c, "UPDATE " + orders + " SET total = total + 1 WHERE id = ?", 1001);
                },
                // 23 deletes of lines then order (child before parent, one path only)
                c -> change(c, "DELETE FROM " + line + " WHERE id = ?", -1),
                // 24 three products ascending then audit
                c -> {
                    for (int p = 2; p <= 6; p += 2) {
                        change(c, "UPDATE " + product + " SET stock = stock WHERE id = ?", p);
                    }
                    change(c, "INSERT INTO " + audit + " (id, what) VALUES (?, 'three')", ++ids[0]);
                });
        assertThat(shapes).hasSizeGreaterThanOrEqualTo(20);
        // the first order (id 1001) exists for the shapes that need it
        inTransaction(ds, shapes.get(3));
        for (int round = 0; round < 5; round++) {
            List<Unit> shuffled = new java.util.ArrayList<>(shapes);
            java.util.Collections.shuffle(shuffled, random);
            for (Unit unit : shuffled) {
                inTransaction(ds, unit);
            }
        }
        assertThat(risks()).extracting(Incident::title).isEmpty();
    }

    private static String shareClause(Database database) {
        return database == Database.MARIADB ? "LOCK IN SHARE MODE" : database == Database.H2 ? "FOR UPDATE" : "FOR SHARE";
    }

    private static void query(Connection c, String sql, long key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, key);
            s.executeQuery().close();
        }
    }

    private static void change(Connection c, String sql, long key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, key);
            s.executeUpdate();
        }
    }

    private static void changeTwo(Connection c, String sql, long a, long b) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, a);
            s.setLong(2, b);
            s.executeUpdate();
        }
    }

    @Test
    void theDefaultRateAnalysesSomeTransactionsAndARecordingAnalysesEvery(TestDatabases dbs) throws Exception {
        DataSource raw = dbs.dataSource(Database.H2);
        String table = accounts(raw, TestDatabases.uniqueName("lo_account"), 2);
        DataSource ds = JdbcIncidents.watch(raw, sdk, JdbcWatchOptions.builder().dataSourceName("sampled")
                .lockOrderSampling(0.0).build());
        inTransaction(ds, c -> transfer(c, table, 1, 2, 1));
        inTransaction(ds, c -> transfer(c, table, 2, 1, 1));
        try (LockOrderMonitor.Recording recording = LockOrderMonitor.record()) {
            inTransaction(ds, c -> transfer(c, table, 1, 2, 1));
            inTransaction(ds, c -> transfer(c, table, 2, 1, 1));
            assertThat(recording.risks()).extracting(LockOrderRisk::kind)
                    .containsExactly(LockOrderRisk.Kind.DATA_DEPENDENT_ROW_ORDER);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> risks().size() == 1);
    }
}
