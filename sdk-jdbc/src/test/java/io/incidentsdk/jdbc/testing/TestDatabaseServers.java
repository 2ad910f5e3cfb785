package io.incidentsdk.jdbc.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The servers of one test JVM: either configured through {@code INCIDENT_SDK_*} settings, or leased from
 * {@code scripts/test-databases.sh} (started when nobody runs them, stopped when the last leasing JVM is done).
 * Kept in JUnit's root store, which closes it at the end of the run.
 */
final class TestDatabaseServers implements AutoCloseable {

    static final String SCRIPT = "scripts/test-databases.sh";

    private static final Duration LEASE_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(1);
    private static final Pattern EXPORT_LINE = Pattern.compile("^export ([A-Z0-9_]+)='([^']*)'$");
    private static final String HOW_TO_FIX = "Real databases are required by these tests; they are never skipped."
            + " To fix: run '" + SCRIPT + " start' from the repository root and read its output (as root it installs"
            + " PostgreSQL 15 and MariaDB 10.11 with apt-get; otherwise install the Debian packages postgresql-15 and"
            + " mariadb-server, mariadb-client first), or point " + ServerAccounts.PG_URL + " and "
            + ServerAccounts.MARIADB_URL + " (with their _USER/_PASSWORD settings) at running servers.";

    private final TestDatabases databases;
    private final RuntimeException failure;
    private final Path script;

    private TestDatabaseServers(TestDatabases databases, RuntimeException failure, Path script) {
        this.databases = databases;
        this.failure = failure;
        this.script = script;
    }

    /** Starts or finds the servers; a failure is kept and thrown by {@link #databases()}, never swallowed. */
    static TestDatabaseServers open() {
        Path leasedFrom = null;
        try {
            Optional<ServerAccounts> configured = ServerAccounts.fromSystem();
            ServerAccounts accounts;
            if (configured.isPresent()) {
                accounts = configured.get();
            } else {
                Path found = locateScript(Path.of(System.getProperty("user.dir")).toAbsolutePath());
                leasedFrom = found;
                accounts = lease(found);
            }
            checkConnections(accounts);
            return new TestDatabaseServers(new TestDatabases(accounts), null, leasedFrom);
        } catch (RuntimeException e) {
            if (leasedFrom != null) {
                releaseQuietly(leasedFrom);
            }
            return new TestDatabaseServers(null, e, null);
        }
    }

    TestDatabases databases() {
        if (failure != null) {
            throw new IllegalStateException(failure.getMessage(), failure);
        }
        return databases;
    }

    @Override
    public void close() {
        if (databases != null) {
            databases.shutDownH2Databases();
        }
        if (script != null) {
            ScriptResult result = runUnchecked(script, SCRIPT_TIMEOUT, "release", pid());
            if (result.exitCode() != 0) {
                throw new IllegalStateException("'" + script + " release' failed with exit code " + result.exitCode()
                        + ":\n" + result.output());
            }
        }
    }

    static Path locateScript(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(SCRIPT);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("No " + SCRIPT + " found in " + start + " or any parent directory, and "
                + ServerAccounts.PG_URL + "/" + ServerAccounts.MARIADB_URL + " are not set. " + HOW_TO_FIX);
    }

    private static ServerAccounts lease(Path script) {
        ScriptResult leased = runUnchecked(script, LEASE_TIMEOUT, "lease", pid());
        if (leased.exitCode() != 0) {
            throw new IllegalStateException("Could not start the test databases: '" + script + " lease' failed"
                    + " with exit code " + leased.exitCode() + ". Its output:\n" + leased.output() + "\n" + HOW_TO_FIX);
        }
        ScriptResult env = runUnchecked(script, SCRIPT_TIMEOUT, "env");
        if (env.exitCode() != 0) {
            throw new IllegalStateException("'" + script + " env' failed with exit code " + env.exitCode() + ":\n"
                    + env.output());
        }
        Map<String, String> settings = new HashMap<>();
        for (String line : env.output().split("\n")) {
            Matcher matcher = EXPORT_LINE.matcher(line.strip());
            if (matcher.matches()) {
                settings.put(matcher.group(1), matcher.group(2));
            }
        }
        return ServerAccounts.fromSettings(settings::get).orElseThrow(() -> new IllegalStateException(
                "'" + script + " env' printed no " + ServerAccounts.PG_URL + ":\n" + env.output()));
    }

    private static void checkConnections(ServerAccounts accounts) {
        for (DatabaseAccount account : List.of(accounts.postgres(), accounts.mariaDb(), accounts.mariaDbWithoutProcess())) {
            try (Connection connection = new DriverManagerDataSource(account).getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("SELECT 1");
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot use the test database " + account + ": " + e.getMessage()
                        + " (SQLState " + e.getSQLState() + "). " + HOW_TO_FIX, e);
            }
        }
    }

    private static void releaseQuietly(Path script) {
        try {
            run(script, SCRIPT_TIMEOUT, "release", pid());
        } catch (IOException | RuntimeException e) {
            // the start already failed; that failure is what the tests report
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String pid() {
        return Long.toString(ProcessHandle.current().pid());
    }

    private static ScriptResult runUnchecked(Path script, Duration timeout, String... arguments) {
        try {
            return run(script, timeout, arguments);
        } catch (IOException e) {
            throw new IllegalStateException("Could not run " + script + ": " + e.getMessage() + ". " + HOW_TO_FIX, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + script, e);
        }
    }

    private static ScriptResult run(Path script, Duration timeout, String... arguments)
            throws IOException, InterruptedException {
        // output goes to a file, not a pipe: nothing the script starts can keep this call waiting for EOF
        Path output = Files.createTempFile("incident-sdk-test-databases", ".log");
        try {
            List<String> command = new ArrayList<>(List.of("bash", script.toString()));
            command.addAll(List.of(arguments));
            Process process = new ProcessBuilder(command)
                    .directory(script.getParent().getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new ScriptResult(-1, Files.readString(output, StandardCharsets.UTF_8)
                        + "\n(timed out after " + timeout.toSeconds() + "s)");
            }
            return new ScriptResult(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private record ScriptResult(int exitCode, String output) {
    }
}
