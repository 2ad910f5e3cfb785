package io.incidentsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * Issue 13, point 4: a bad {@code incident.*} value stops the application with Spring Boot's failure analysis
 * naming the property, the value and the allowed range (not a stack trace from a factory method); an empty
 * service name is refused; a name in {@code incident.jdbc.excluded-beans} that matches no DataSource bean is
 * warned about, and the watched DataSources are listed in one INFO line.
 */
@ExtendWith(OutputCaptureExtension.class)
class IncidentPropertiesValidationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    IncidentAutoConfiguration.class, IncidentJdbcAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:validation-" + UUID.randomUUID());

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "incident.jdbc.spike.threshold          | 1.5  | must be within (0, 1], was 1.5",
            "incident.jdbc.spike.recovery-threshold | 0.5  | must be within [0, spikeThreshold]",
            "incident.jdbc.spike.buckets            | 1    | must be between 2 and 600, was 1",
            "incident.jdbc.spike.window             | 0s   | must be between PT1S and PT1H",
            "incident.jdbc.auto-commit-max-attempts | 11   | must be between 1 and 10, was 11",
            "incident.jdbc.lock-order.sampling      | 1.5  | must be between 0 and 1, was 1.5",
            "incident.retry.max-attempts            | 0    | must be between 1 and 100, was 0",
            "incident.retry.max-backoff             | 1h   | must be between initialBackoff and PT10M",
            "incident.update-interval               | 0s   | must be between",
            "incident.service.name                  | ''   | must not be empty",
            "incident.context.mdc-keys              | k1,k2,k3,k4,k5,k6,k7,k8,k9,k10,k11,k12,k13,k14,k15,k16,k17 "
                    + "| must name at most 16 keys, was 17"})
    void aBadValueIsReportedByBootsFailureAnalysisNamingTheProperty(String property, String value, String reason) {
        runner.withPropertyValues(property + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis).as("a failure analysis, not a bare stack trace").isNotNull();
            assertThat(analysis.getDescription()).contains("Property: " + property, reason);
            assertThat(analysis.getAction()).isNotBlank();
        });
    }

    @Test
    void goodValuesStart() {
        runner.withPropertyValues("incident.jdbc.spike.threshold=1", "incident.jdbc.spike.recovery-threshold=0",
                "incident.retry.max-attempts=100", "incident.service.name=checkout")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void anExcludedNameThatMatchesNoDataSourceBeanIsWarnedAbout(CapturedOutput output) {
        runner.withPropertyValues("incident.jdbc.excluded-beans=dataSource,reportingDataSorce").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).contains("incident.jdbc.excluded-beans names \"reportingDataSorce\", which is no "
                    + "DataSource bean").doesNotContain("names \"dataSource\"");
        });
    }

    @Test
    void theWatchedDataSourcesAreListedInOneInfoLine(CapturedOutput output) {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(IncidentJdbcStartupReport.class);
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        try {
            runner.run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(output).contains(
                        "Incident SDK watches 1 DataSource bean: dataSource (under the HikariCP pool)");
            });
        } finally {
            logger.setLevel(level);
        }
    }

    private static FailureAnalysis analyze(Throwable failure) {
        for (FailureAnalyzer analyzer : SpringFactoriesLoader.forDefaultResourceLocation(
                IncidentPropertiesValidationTests.class.getClassLoader()).load(FailureAnalyzer.class,
                SpringFactoriesLoader.FailureHandler.handleMessage((message, e) -> { }))) {
            FailureAnalysis analysis = analyzer.analyze(failure);
            if (analysis != null) {
                return analysis;
            }
        }
        return null;
    }
}
