package io.incidentsdk.jdbc.internal.wrap;

import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.SQLException;
import java.sql.ShardingKey;

/**
 * A watched {@link ConnectionBuilder}: {@link #build()} hands out a {@link WatchedConnection}. Works with
 * builders that return themselves and with builders that return a new builder from each setter.
 */
final class WatchedConnectionBuilder implements ConnectionBuilder {

    final ConnectionBuilder delegate;
    private final DataSourceContext context;

    WatchedConnectionBuilder(ConnectionBuilder delegate, DataSourceContext context) {
        this.delegate = delegate;
        this.context = context;
    }

    private ConnectionBuilder watch(ConnectionBuilder next) {
        if (next == delegate) {
            return this;
        }
        return next == null ? null : new WatchedConnectionBuilder(next, context);
    }

    // ---- java.sql.ConnectionBuilder ----

    @Override
    public ConnectionBuilder user(String username) {
        return watch(delegate.user(username));
    }

    @Override
    public ConnectionBuilder password(String password) {
        return watch(delegate.password(password));
    }

    @Override
    public ConnectionBuilder shardingKey(ShardingKey shardingKey) {
        return watch(delegate.shardingKey(shardingKey));
    }

    @Override
    public ConnectionBuilder superShardingKey(ShardingKey superShardingKey) {
        return watch(delegate.superShardingKey(superShardingKey));
    }

    @Override
    public Connection build() throws SQLException {
        Connection connection;
        try {
            connection = delegate.build();
        } catch (SQLException e) {
            throw context.failedWithoutConnection(e, JdbcOperation.GET_CONNECTION);
        }
        return WatchedConnection.watch(connection, context);
    }
}
