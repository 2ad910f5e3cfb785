package io.incidentsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.sink.InMemorySink;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Issue 13, request context and {@code /actuator/beans}, over real HTTP (the JDK's client against the embedded
 * server): the incident of a failed request carries the HTTP method, the route template the request matched (not
 * its path with the account id) and a configured MDC value; and Actuator reports the DataSource bean as the SDK's
 * public {@link WatchedDataSource}, not an internal class.
 */
@SpringBootTest(classes = RequestContextHttpTests.Bank.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"incident.update-interval=1ms", "incident.context.mdc-keys=requestId,authToken",
                "management.endpoints.web.exposure.include=health,incidents,beans",
                "spring.flyway.enabled=false", "spring.liquibase.enabled=false"})
class RequestContextHttpTests {

    /** An id that must appear nowhere in a record: only the route template may. */
    private static final long ACCOUNT = 4_711_042;
    private static final String DATABASE = "jdbc:h2:mem:request-context-" + UUID.randomUUID()
            + ";LOCK_TIMEOUT=300;DB_CLOSE_DELAY=-1";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    InMemorySink sink;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE);
    }

    @BeforeEach
    void account() {
        jdbc.execute("CREATE TABLE IF NOT EXISTS account (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL)");
        jdbc.update("MERGE INTO account KEY (id) VALUES (?, 0)", ACCOUNT);
        sink.clear();
    }

    @Test
    void theIncidentOfAFailedRequestCarriesItsMethodRouteTemplateAndMdcValueNeverItsPath() throws Exception {
        HttpResponse<String> response;
        // another transaction holds the account's row, so the request's UPDATE times out waiting for its lock
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("UPDATE account SET balance = balance WHERE id = ?")) {
                lock.setLong(1, ACCOUNT);
                lock.executeUpdate();
            }
            response = http.send(HttpRequest.newBuilder(uri("/accounts/" + ACCOUNT + "/deposits"))
                    .header("X-Request-Id", "req-7f3a").header("X-Auth-Token", "s3cr3t-bearer")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            holder.rollback();
        }
        assertThat(response.statusCode()).as("the application's own answer to the lock timeout").isEqualTo(500);

        await().atMost(Duration.ofSeconds(10)).until(() -> lockTimeout().isPresent());
        IncidentEvent event = lockTimeout().orElseThrow();
        Incident incident = event.incident();
        assertThat(incident.attributes())
                .containsEntry("http.method", "POST")
                .containsEntry("http.route", "/accounts/{id}/deposits")
                .containsEntry("mdc.requestId", "req-7f3a")
                .containsEntry("mdc.authToken", "[redacted]")
                .containsKey("operation");
        String record = IncidentJson.toJson(event);
        assertThat(record).doesNotContain(Long.toString(ACCOUNT)).doesNotContain("s3cr3t");

        // and the incidents endpoint, over HTTP, serves the same record
        JsonNode shown = json.readTree(get("/actuator/incidents/" + incident.incidentId()));
        assertThat(shown.at("/attributes/http.route").asText()).isEqualTo("/accounts/{id}/deposits");
    }

    @Test
    void actuatorReportsTheDataSourceBeanAsThePublicWatchedDataSource() throws Exception {
        JsonNode beans = json.readTree(get("/actuator/beans"));
        JsonNode dataSourceBean = beans.at("/contexts").elements().next().at("/beans/dataSource");

        assertThat(dataSourceBean.path("type").asText()).isEqualTo("io.incidentsdk.spring.WatchedDataSource")
                .doesNotContain(".internal.");
        assertThat(dataSource).isInstanceOf(WatchedDataSource.class);
        assertThat(JdbcIncidents.isWatched(dataSource)).isTrue();
        assertThat(dataSource.unwrap(HikariDataSource.class)).isNotNull();
        assertThat(((WatchedDataSource) dataSource).placement()).isEqualTo("under the HikariCP pool");
    }

    private Optional<IncidentEvent> lockTimeout() {
        return sink.events().stream().filter(e -> e.incident().kind() == IncidentKind.LOCK_TIMEOUT).findFirst();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        return response.body();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Bank {

        @Bean
        InMemorySink memorySink() {
            return new InMemorySink(1_000);
        }

        @Bean
        Deposits deposits(JdbcTemplate jdbc) {
            return new Deposits(jdbc);
        }

        /** What a logging filter of the application does: the request id (and, carelessly, a token) in the MDC. */
        @Bean
        OncePerRequestFilter requestIdFilter() {
            return new OncePerRequestFilter() {
                @Override
                protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                        FilterChain chain) throws ServletException, IOException {
                    MDC.put("requestId", request.getHeader("X-Request-Id"));
                    MDC.put("authToken", request.getHeader("X-Auth-Token"));
                    try {
                        chain.doFilter(request, response);
                    } finally {
                        MDC.remove("requestId");
                        MDC.remove("authToken");
                    }
                }
            };
        }
    }

    @RestController
    static class Deposits {

        private final JdbcTemplate jdbc;

        Deposits(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @PostMapping("/accounts/{id}/deposits")
        void deposit(@PathVariable("id") long id) {
            jdbc.update("UPDATE account SET balance = balance + 1 WHERE id = ?", id);
        }
    }
}
