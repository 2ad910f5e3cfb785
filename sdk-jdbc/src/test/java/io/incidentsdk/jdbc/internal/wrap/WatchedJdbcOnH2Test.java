package io.incidentsdk.jdbc.internal.wrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Identity of the wrapped objects and the tracking of {@link ConnectionState}, on a real (H2) database. */
class WatchedJdbcOnH2Test {

    private final RecordingObserver observer = new RecordingObserver();
    private JdbcDataSource h2;
    private DataSource dataSource;
    private Connection keepAlive;

    @BeforeEach
    void createDatabase() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:wrappers-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        keepAlive = h2.getConnection();
        try (Statement statement = keepAlive.createStatement()) {
            statement.execute("create table account (id int auto_increment primary key, balance int not null)");
            statement.execute("insert into account (balance) values (100), (200)");
        }
        dataSource = WatchedDataSource.wrap(h2, "accounts", observer);
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Statement statement = keepAlive.createStatement()) {
            statement.execute("shutdown");
        }
        keepAlive.close();
    }

    @Test
    void statementsGiveBackTheWatchedConnection() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             PreparedStatement prepared = connection.prepareStatement("select balance from account where id = ?");
             CallableStatement callable = connection.prepareCall("call 1")) {

            assertThat(connection).isInstanceOf(WatchedConnection.class);
            assertThat(statement).isInstanceOf(WatchedStatement.class);
            assertThat(prepared).isInstanceOf(WatchedPreparedStatement.class);
            assertThat(callable).isInstanceOf(WatchedCallableStatement.class);
            assertThat(statement.getConnection()).isSameAs(connection);
            assertThat(prepared.getConnection()).isSameAs(connection);
            assertThat(callable.getConnection()).isSameAs(connection);
        }
    }

    @Test
    void resultSetsGiveBackTheStatementThatProducedThem() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             PreparedStatement prepared = connection.prepareStatement("select balance from account where id = ?")) {
            prepared.setInt(1, 1);

            ResultSet fromQuery = statement.executeQuery("select id from account order by id");
            assertThat(fromQuery).isInstanceOf(WatchedResultSet.class);
            assertThat(fromQuery.getStatement()).isSameAs(statement);

            ResultSet fromPrepared = prepared.executeQuery();
            boolean hasResultSet = statement.execute("select balance from account");
            ResultSet fromExecute = statement.getResultSet();

            assertThat(fromPrepared.getStatement()).isSameAs(prepared);
            assertThat(fromPrepared.next()).isTrue();
            assertThat(fromPrepared.getInt(1)).isEqualTo(100);
            assertThat(hasResultSet).isTrue();
            assertThat(fromExecute).isInstanceOf(WatchedResultSet.class);
            assertThat(fromExecute.getStatement()).isSameAs(statement);
            ResultSet again = statement.getResultSet();
            assertThat(again).as("asked twice: a wrapper of the same result set").isInstanceOf(WatchedResultSet.class);
            assertThat(((WatchedResultSet) again).delegate).isSameAs(((WatchedResultSet) fromExecute).delegate);
            assertThat(again.getStatement()).isSameAs(statement);
        }
    }

    @Test
    void generatedKeysAreAWatchedResultSetOfTheirStatement() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("insert into account (balance) values (?)",
                     Statement.RETURN_GENERATED_KEYS)) {
            insert.setInt(1, 300);
            insert.executeUpdate();

            ResultSet keys = insert.getGeneratedKeys();

            assertThat(keys).isInstanceOf(WatchedResultSet.class);
            assertThat(keys.getStatement()).isSameAs(insert);
            assertThat(keys.next()).isTrue();
            assertThat(keys.getInt(1)).isEqualTo(3);
        }
    }

    @Test
    void metadataGivesBackTheWatchedConnectionAndWatchedResultSets() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();

            assertThat(metaData).isInstanceOf(WatchedDatabaseMetaData.class);
            assertThat(metaData.getConnection()).isSameAs(connection);
            assertThat(metaData.getDatabaseProductName()).isEqualTo("H2");
            try (ResultSet tables = metaData.getTables(null, null, "ACCOUNT", null)) {
                assertThat(tables).isInstanceOf(WatchedResultSet.class);
                assertThat(tables.next()).isTrue();
                Statement owner = tables.getStatement();
                assertThat(owner == null || owner.getConnection() == connection)
                        .as("a statement H2 names for its metadata result set is watched too").isTrue();
            }
        }
    }

    @Test
    void theDatabaseFactsAreReadFromTheFirstConnection() throws SQLException {
        WatchedDataSource watched = (WatchedDataSource) dataSource;
        assertThat(watched.context().database()).isEqualTo(DataSourceContext.DatabaseInfo.UNKNOWN);

        try (Connection connection = dataSource.getConnection()) {
            DataSourceContext.DatabaseInfo database = watched.context().database();

            assertThat(database.productName()).isEqualTo("H2");
            assertThat(database.productVersion()).isNotBlank();
            assertThat(database.url()).startsWith("jdbc:h2:mem:wrappers-");
            assertThat(database.userName()).isEqualToIgnoringCase("sa");
            assertThat(((ConnectionState) connection).dataSource().name()).isEqualTo("accounts");
        }
    }

    @Test
    void anExplicitTransactionIsTrackedFromItsFirstStatementToCommit() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            ConnectionState state = (ConnectionState) connection;
            assertThat(state.autoCommit()).isTrue();

            connection.setAutoCommit(false);
            assertThat(state.autoCommit()).isFalse();
            assertThat(state.transactionStartMillis()).as("no statement yet").isZero();

            long before = System.currentTimeMillis();
            List<String> sqls = List.of(
                    "update account set balance = balance - 10 where id = 1",
                    "update account set balance = balance + 10 where id = 2",
                    "select balance from account where id = ?");
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate(sqls.get(0));
                statement.executeUpdate(sqls.get(1));
            }
            try (PreparedStatement select = connection.prepareStatement(sqls.get(2))) {
                select.setInt(1, 1);
                select.executeQuery().close();
            }

            assertThat(state.transactionStartMillis()).isBetween(before, System.currentTimeMillis());
            assertThat(state.transactionStartNanos()).isNotZero();
            assertThat(state.transactionStatements()).containsExactlyElementsOf(sqls);
            assertThat(state.transactionStatementCount()).isEqualTo(3);
            assertThat(state.currentSql()).isEqualTo(sqls.get(2));
            assertThat(state.threadName()).isEqualTo(Thread.currentThread().getName());
            assertThat(state.isDoomed()).isFalse();

            connection.commit();

            assertThat(state.transactionStartMillis()).isZero();
            assertThat(state.transactionStatements()).isEmpty();
            assertThat(state.transactionStatementCount()).isZero();
            assertThat(observer.successes).as("three executions and a commit").hasValue(4);
        }
    }

    @Test
    void theRingKeepsTheLastSixteenStatementsOfALongTransactionInOrder() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            List<String> sqls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String sql = "update account set balance = balance + " + i + " where id = 1";
                sqls.add(sql);
                statement.executeUpdate(sql);
            }

            ConnectionState state = (ConnectionState) connection;
            assertThat(state.transactionStatements())
                    .containsExactlyElementsOf(sqls.subList(40 - ConnectionState.TRANSACTION_STATEMENTS, 40));
            assertThat(state.transactionStatementCount()).isEqualTo(40);
            connection.rollback();
        }
    }

    @Test
    void aFailingStatementDoomsTheTransactionUntilRollback() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            ConnectionState state = (ConnectionState) connection;
            connection.setAutoCommit(false);
            statement.executeUpdate("update account set balance = 0 where id = 1");

            SQLException duplicate = catchThrowableOfType(SQLException.class,
                    () -> statement.executeUpdate("insert into account (id, balance) values (1, 5)"));

            assertThat(duplicate.getSQLState()).isEqualTo("23505");
            assertThat(state.isDoomed()).isTrue();
            assertThat(state.transactionStartMillis()).as("still in the transaction").isPositive();
            assertThat(state.transactionStatements()).hasSize(2);
            assertThat(observer.failures).hasSize(1);
            assertThat((Object) observer.failures.get(0).error()).isSameAs(duplicate);
            assertThat(observer.failures.get(0).operation()).isEqualTo(JdbcOperation.EXECUTE_UPDATE);
            assertThat(observer.failures.get(0).statement().sql())
                    .isEqualTo("insert into account (id, balance) values (1, 5)");

            connection.rollback();

            assertThat(state.isDoomed()).isFalse();
            assertThat(state.transactionStartMillis()).isZero();
            assertThat(state.transactionStatements()).isEmpty();
        }
    }

    @Test
    void aRollbackToASavepointKeepsTheTransactionDoomed() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            ConnectionState state = (ConnectionState) connection;
            connection.setAutoCommit(false);
            statement.executeUpdate("update account set balance = 1 where id = 1");
            Savepoint savepoint = connection.setSavepoint();
            catchThrowableOfType(SQLException.class,
                    () -> statement.executeUpdate("insert into account (id, balance) values (2, 0)"));

            connection.rollback(savepoint);

            assertThat(state.isDoomed()).isTrue();
            assertThat(state.transactionStartMillis()).isPositive();
            connection.rollback();
            assertThat(state.isDoomed()).isFalse();
        }
    }

    @Test
    void aFailureInAutoCommitModeDoomsNothing() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            catchThrowableOfType(SQLException.class,
                    () -> statement.executeUpdate("insert into account (id, balance) values (1, 5)"));

            ConnectionState state = (ConnectionState) connection;
            assertThat(state.isDoomed()).isFalse();
            assertThat(state.transactionStartMillis()).isZero();
            assertThat(observer.failures).hasSize(1);
        }
    }

    @Test
    void inAutoCommitModeTheTransactionIsTheLastStatementAlone() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("update account set balance = 1 where id = 1");
            statement.executeUpdate("update account set balance = 2 where id = 2");

            ConnectionState state = (ConnectionState) connection;
            assertThat(state.transactionStatements()).containsExactly("update account set balance = 2 where id = 2");
            assertThat(state.transactionStatementCount()).isEqualTo(1);
            assertThat(state.transactionStartMillis()).isZero();
        }
    }

    @Test
    void switchingAutoCommitBackOnEndsTheTransaction() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            ConnectionState state = (ConnectionState) connection;
            connection.setAutoCommit(false);
            statement.executeUpdate("update account set balance = 1 where id = 1");
            catchThrowableOfType(SQLException.class,
                    () -> statement.executeUpdate("insert into account (id, balance) values (1, 5)"));
            assertThat(state.isDoomed()).isTrue();

            // JDBC commits the open transaction when auto-commit goes on: a doomed one is rolled back instead
            assertThat(catchThrowableOfType(java.sql.SQLTransactionRollbackException.class,
                    () -> connection.setAutoCommit(true)).getSQLState()).isEqualTo("40000");

            assertThat(connection.getAutoCommit()).isTrue();
            assertThat(state.autoCommit()).isTrue();
            assertThat(state.isDoomed()).isFalse();
            assertThat(state.transactionStartMillis()).isZero();
            assertThat(state.transactionStatements()).isEmpty();
        }
    }

    @Test
    void closingNotifiesOnceHoweverOftenItIsCalled() throws SQLException {
        Connection connection = dataSource.getConnection();
        ConnectionState state = (ConnectionState) connection;
        assertThat(observer.opened).containsExactly(state);
        assertThat(state.isClosedByApplication()).isFalse();

        connection.close();
        connection.close();

        assertThat(observer.closed).containsExactly(state);
        assertThat(state.isClosedByApplication()).isTrue();
        assertThat(connection.isClosed()).isTrue();
    }

    @Test
    void h2ExposesNoSessionIdWithoutAQuery() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            ConnectionState state = (ConnectionState) connection;

            assertThat(state.sessionId()).isNull();
            assertThat(state.sessionId()).isNull();
            assertThat(state.id()).isPositive();
            assertThat(state.hasConnection()).isTrue();
        }
    }

    @Test
    void aPlainStatementRemembersItsLastSqlAndDropsTheCachedSanitizedForm() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            StatementState state = (StatementState) statement;
            assertThat(state.sql()).isNull();
            assertThat(state.isPrepared()).isFalse();

            statement.executeQuery("select 1").close();
            state.sanitized(state.sql(), "cached form of select 1");
            statement.executeQuery("select 1").close();
            assertThat(state.sanitized()).as("same SQL object: cache kept").isEqualTo("cached form of select 1");

            statement.executeQuery("select 2").close();

            assertThat(state.sql()).isEqualTo("select 2");
            assertThat(state.sanitized()).isNull();

            String stale = "select 1";
            state.sanitized(stale, "computed from an older SQL");
            assertThat(state.sanitized()).as("a form of an older SQL is not kept").isNull();
            String current = state.sql();
            state.sanitized(current, "form of select 2");
            assertThat(state.sanitizedFor(current)).isEqualTo("form of select 2");
            assertThat(state.sanitizedFor(new String(current))).as("only for the very SQL object").isNull();
            assertThat(state.sql()).isSameAs(current);
        }
    }

    @Test
    void aPreparedStatementKeepsItsSqlAndABatchRunsIt() throws SQLException {
        String sql = "update account set balance = ? where id = ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(sql)) {
            update.setInt(1, 5);
            update.setInt(2, 1);
            update.addBatch();
            update.setInt(1, 6);
            update.setInt(2, 2);
            update.addBatch();

            int[] counts = update.executeBatch();

            assertThat(counts).containsExactly(1, 1);
            assertThat(((StatementState) update).sql()).isEqualTo(sql);
            assertThat(((StatementState) update).isPrepared()).isTrue();
            assertThat(((ConnectionState) connection).currentSql()).isEqualTo(sql);
            assertThat(observer.succeededSql).containsExactly(sql);
        }
    }

    @Test
    void aStatementThatFailsToPrepareIsReportedWithItsSql() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            SQLException syntax = catchThrowableOfType(SQLException.class,
                    () -> connection.prepareStatement("selec balance from account"));

            assertThat(observer.failures).hasSize(1);
            RecordingObserver.Failure failure = observer.failures.get(0);
            assertThat((Object) failure.error()).isSameAs(syntax);
            assertThat(failure.operation()).isEqualTo(JdbcOperation.PREPARE);
            assertThat(failure.statement().sql()).isEqualTo("selec balance from account");
            assertThat(failure.connection()).isSameAs(connection);
        }
    }
}
