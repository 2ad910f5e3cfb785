package io.incidentsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.sink.InMemorySink;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Issue 13, request context: every condition of {@code incident.context.*} (on by default, off by property,
 * Spring MVC absent, no request on the thread, MDC keys) on a real H2 database behind Boot's own DataSource
 * auto-configuration. The request is bound to the test thread as Spring MVC's {@code DispatcherServlet} binds it;
 * {@link RequestContextHttpTests} does the same over real HTTP.
 */
class RequestContextTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    IncidentAutoConfiguration.class, IncidentJdbcAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:context-" + UUID.randomUUID(),
                    "incident.jdbc.incident-categories=programming-error")
            .withUserConfiguration(MemorySink.class);

    @AfterEach
    void unbind() {
        RequestContextHolder.resetRequestAttributes();
        MDC.clear();
    }

    private static void inRequest(String method, String route) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/orders/90210/lines/7");
        if (route != null) {
            request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, route);
        }
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
    }

    @Test
    void theRequestsMethodAndRouteTemplateAreAddedByDefault() {
        runner.run(context -> {
            inRequest("PUT", "/orders/{id}/lines/{line}");

            Map<String, String> attributes = failAndAwait(context).attributes();

            assertThat(attributes).containsEntry("http.method", "PUT")
                    .containsEntry("http.route", "/orders/{id}/lines/{line}");
            assertThat(attributes.values()).noneMatch(value -> value.contains("90210"));
        });
    }

    @Test
    void aRequestThatMatchedNoRouteHasNoRouteAndAnUnusualMethodIsNotCopied() {
        runner.run(context -> {
            inRequest("X-CUSTOM-VERB", null);

            Map<String, String> attributes = failAndAwait(context).attributes();

            assertThat(attributes).containsEntry("http.method", "OTHER").doesNotContainKey("http.route");
        });
    }

    @Test
    void noHttpAttributesWithoutARequestOnTheThread() {
        runner.run(context -> assertThat(failAndAwait(context).attributes()).doesNotContainKeys("http.method",
                "http.route"));
    }

    @Test
    void offByProperty() {
        runner.withPropertyValues("incident.context.http=false").run(context -> {
            inRequest("PUT", "/orders/{id}/lines/{line}");
            assertThat(failAndAwait(context).attributes()).doesNotContainKeys("http.method", "http.route");
        });
    }

    @Test
    void offWithoutSpringMvcOnTheClassPath() {
        runner.withClassLoader(new FilteredClassLoader(HandlerMapping.class)).run(context -> {
            inRequest("PUT", "/orders/{id}/lines/{line}");
            assertThat(failAndAwait(context).attributes()).doesNotContainKeys("http.method", "http.route");
        });
    }

    @Test
    void theConfiguredMdcKeysAreCopiedBoundedAndCredentialsAreNot() {
        runner.withPropertyValues("incident.context.mdc-keys=requestId,tenant,db.password,missing").run(context -> {
            MDC.put("requestId", "req-1");
            MDC.put("tenant", "t".repeat(1_000));
            MDC.put("db.password", "hunter2");
            MDC.put("unlisted", "not copied");

            Map<String, String> attributes = failAndAwait(context).attributes();

            assertThat(attributes).containsEntry("mdc.requestId", "req-1")
                    .containsEntry("mdc.db.password", RequestContextAttributes.REDACTED)
                    .doesNotContainKeys("mdc.missing", "mdc.unlisted", "unlisted");
            assertThat(attributes.get("mdc.tenant")).hasSize(RequestContextAttributes.MAX_MDC_VALUE_LENGTH);
        });
    }

    private static Incident failAndAwait(AssertableApplicationContext context) throws SQLException {
        assertThat(context).hasNotFailed();
        DataSource dataSource = context.getBean(DataSource.class);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("SELECT * FROM missing")).isInstanceOf(SQLException.class);
        }
        InMemorySink memory = context.getBean(InMemorySink.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> !memory.events().isEmpty());
        return memory.events().stream().map(IncidentEvent::incident).findFirst().orElseThrow();
    }

    @Configuration(proxyBeanMethods = false)
    static class MemorySink {

        @Bean
        InMemorySink memorySink() {
            return new InMemorySink(100);
        }
    }
}
