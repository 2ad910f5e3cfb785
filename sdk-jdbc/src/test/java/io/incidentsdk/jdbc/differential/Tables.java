package io.incidentsdk.jdbc.differential;

import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** A table of the regression tests: {@code (id INT [PRIMARY KEY], v INT)}, created on a raw data source. */
final class Tables {

    private final DataSource raw;
    private final String name;

    private Tables(DataSource raw, String name) {
        this.raw = raw;
        this.name = name;
    }

    /** A new table; {@code primaryKey} false gives a table where the same row can be written twice. */
    static Tables create(DataSource raw, Database database, boolean primaryKey) throws SQLException {
        Tables table = new Tables(raw, TestDatabases.uniqueName("regression"));
        table.execute("CREATE TABLE " + table.name + " (id INT" + (primaryKey ? " PRIMARY KEY" : "") + ", v INT)"
                + (database == Database.MARIADB ? " ENGINE=InnoDB" : ""));
        return table;
    }

    String name() {
        return name;
    }

    void execute(String sql) throws SQLException {
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    void clear() throws SQLException {
        execute("DELETE FROM " + name);
    }

    /** The committed ids, in order (duplicates kept). */
    List<Integer> ids() throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Connection c = raw.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM " + name + " ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        return ids;
    }

    void drop() {
        try {
            execute("DROP TABLE " + name);
        } catch (SQLException e) {
            // unique name; a leftover harms nobody
        }
    }

    static void insert(Connection c, String table, int id) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO " + table + " (id, v) VALUES (" + id + ", 0)");
        }
    }
}
