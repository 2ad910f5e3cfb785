package io.incidentsdk.jdbc.internal.wrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/** The session id is read from the driver's connection by a cached method handle, never by a query. */
class SessionIdReaderTest {

    /** A driver API of the kind we look up by name: a connection type with a public id method. */
    public interface FakeVendorConnection extends Connection {
        long sessionNumber();

        int smallSessionNumber();

        long brokenSessionNumber();
    }

    private static SessionIdReader readerFor(String methodName) {
        return new SessionIdReader(
                List.of(new SessionIdReader.Vendor(FakeVendorConnection.class.getName(), methodName)));
    }

    @Test
    void aLongIdIsReadFromTheDriversConnection() {
        FakeVendorConnection connection = mock(FakeVendorConnection.class);
        when(connection.sessionNumber()).thenReturn(77L);

        assertThat(readerFor("sessionNumber").read(connection)).isEqualTo(77L);
    }

    @Test
    void anIntIdIsWidenedToLong() {
        FakeVendorConnection connection = mock(FakeVendorConnection.class);
        when(connection.smallSessionNumber()).thenReturn(4242);

        assertThat(readerFor("smallSessionNumber").read(connection)).isEqualTo(4242L);
    }

    @Test
    void aPoolsConnectionIsUnwrappedToTheDriversConnectionFirst() throws SQLException {
        FakeVendorConnection driverConnection = mock(FakeVendorConnection.class);
        when(driverConnection.sessionNumber()).thenReturn(9L);
        Connection poolProxy = mock(Connection.class);
        when(poolProxy.unwrap(Connection.class)).thenReturn(driverConnection);

        assertThat(readerFor("sessionNumber").read(poolProxy)).isEqualTo(9L);
    }

    @Test
    void aWrapperThatOnlyUnwrapsToTheVendorTypeIsFollowedToo() throws SQLException {
        FakeVendorConnection driverConnection = mock(FakeVendorConnection.class);
        when(driverConnection.sessionNumber()).thenReturn(10L);
        Connection wrapper = mock(Connection.class);
        when(wrapper.isWrapperFor(FakeVendorConnection.class)).thenReturn(true);
        when(wrapper.unwrap(FakeVendorConnection.class)).thenReturn(driverConnection);

        assertThat(readerFor("sessionNumber").read(wrapper)).isEqualTo(10L);
    }

    @Test
    void aFailingIdMethodYieldsNull() {
        FakeVendorConnection connection = mock(FakeVendorConnection.class);
        when(connection.brokenSessionNumber()).thenThrow(new IllegalStateException("connection is closed"));

        assertThat(readerFor("brokenSessionNumber").read(connection)).isNull();
    }

    @Test
    void aMissingMethodOrClassYieldsNull() {
        FakeVendorConnection connection = mock(FakeVendorConnection.class);

        assertThat(readerFor("noSuchMethod").read(connection)).isNull();
        assertThat(new SessionIdReader(List.of(new SessionIdReader.Vendor("com.example.NoSuchDriver", "getId")))
                .read(connection)).isNull();
    }

    @Test
    void aConnectionOfAnotherDriverYieldsNull() {
        assertThat(readerFor("sessionNumber").read(mock(Connection.class))).isNull();
    }

    @Test
    void thePostgresqlBackendPidIsReadByDefault() {
        Connection connection = mock(Connection.class, withSettings().extraInterfaces(PGConnection.class));
        when(((PGConnection) connection).getBackendPID()).thenReturn(31337);

        assertThat(SessionIdReader.DEFAULT.read(connection)).isEqualTo(31337L);
    }

    @Test
    void theMariadbThreadIdIsReadByDefault() {
        org.mariadb.jdbc.Connection connection = mock(org.mariadb.jdbc.Connection.class);
        when(connection.getThreadId()).thenReturn(5150L);

        assertThat(SessionIdReader.DEFAULT.read(connection)).isEqualTo(5150L);
    }

    @Test
    void aWatchedConnectionReadsItsSessionIdOnceAndCachesIt() {
        Connection connection = mock(Connection.class, withSettings().extraInterfaces(PGConnection.class));
        when(((PGConnection) connection).getBackendPID()).thenReturn(4711);
        WatchedConnection watched = WatchedConnection.open(connection,
                new DataSourceContext("pg", JdbcObserver.NO_OP));

        assertThat(watched.sessionId()).isEqualTo(4711L);
        assertThat(watched.sessionId()).isEqualTo(4711L);

        verify((PGConnection) connection, times(1)).getBackendPID();
    }

    @Test
    void aStateWithoutConnectionHasNoSessionId() {
        ConnectionState placeholder = new ConnectionState(new DataSourceContext(null, JdbcObserver.NO_OP), null);

        assertThat(placeholder.sessionId()).isNull();
        assertThat(placeholder.hasConnection()).isFalse();
        assertThat(placeholder.id()).isZero();
    }
}
