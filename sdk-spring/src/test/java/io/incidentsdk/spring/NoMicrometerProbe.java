package io.incidentsdk.spring;

import static org.awaitility.Awaitility.await;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.sink.InMemorySink;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Runs inside a class loader that has no Micrometer at all (see {@link WithoutMicrometerTests}): starts a
 * context with a Hikari DataSource, provokes a failure and reports what it saw as a plain string, the only
 * thing that crosses the class loaders.
 */
public final class NoMicrometerProbe {

    private NoMicrometerProbe() {
    }

    /**
     * Starts the context and describes the outcome.
     *
     * @return {@code "<micrometer visible> <sdk bean> <watched> <incident category>"}
     */
    public static String run() {
        AtomicReference<String> outcome = new AtomicReference<>("context did not run");
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        IncidentAutoConfiguration.class, IncidentJdbcAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + IncidentJdbcAutoConfigurationTests.freshH2Url(),
                        "incident.jdbc.incident-categories=programming-error")
                .withBean(InMemorySink.class, () -> new InMemorySink(10))
                .run(context -> {
                    if (context.getStartupFailure() != null) {
                        outcome.set("failed: " + context.getStartupFailure());
                        return;
                    }
                    DataSource dataSource = context.getBean(DataSource.class);
                    try (Connection connection = dataSource.getConnection();
                            Statement statement = connection.createStatement()) {
                        statement.execute("SELECT * FROM missing");
                    } catch (SQLException expected) {
                        // the failure the incident is about
                    }
                    InMemorySink sink = context.getBean(InMemorySink.class);
                    await().atMost(Duration.ofSeconds(10)).until(() -> !sink.events().isEmpty());
                    outcome.set(micrometerVisible() + " " + context.getBeanNamesForType(IncidentSdk.class).length + " "
                            + JdbcIncidents.isWatched(dataSource) + " "
                            + sink.events().get(0).incident().error().category());
                });
        return outcome.get();
    }

    private static boolean micrometerVisible() {
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry", false, NoMicrometerProbe.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
