package io.incidentsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.invoke.convert.ConversionServiceParameterValueMapper;
import org.springframework.boot.actuate.endpoint.web.EndpointMediaTypes;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointHttpMethod;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpointDiscoverer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Issue 13, point 3: the {@code incidents} endpoint (open and recent incidents, one by id as its JSON record,
 * its postmortem as Markdown; created only when exposed) and the {@code incidents} health contributor (UP with
 * open incidents by severity and sink statistics; DOWN on an open CRITICAL incident only when asked).
 */
class IncidentActuatorAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(IncidentAutoConfiguration.class,
                    IncidentActuatorAutoConfiguration.class))
            .withPropertyValues("incident.update-interval=1ms");

    @Test
    void theEndpointIsNotThereUnlessTheApplicationExposesIt() {
        runner.run(context -> assertThat(context).doesNotHaveBean(IncidentsEndpoint.class)
                .hasSingleBean(IncidentsHealthIndicator.class));
    }

    @Test
    void theEndpointListsOpenAndRecentIncidentsAndShowsOneWithItsPostmortem() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=incidents").run(context -> {
            IncidentsEndpoint endpoint = context.getBean(IncidentsEndpoint.class);
            String id = recordCritical(context);

            @SuppressWarnings("unchecked")
            List<Map<String, Object>> open = (List<Map<String, Object>>) endpoint.incidents().get("open");
            assertThat(open).singleElement().satisfies(summary -> {
                assertThat(summary).containsEntry("incidentId", id).containsEntry("kind", "CUSTOM")
                        .containsEntry("severity", "CRITICAL").containsEntry("title", "Payment provider timing out");
            });
            assertThat((List<?>) endpoint.incidents().get("recent")).hasSize(1);
            assertThat(endpoint.incident(id)).startsWith("{").contains("\"incidentId\":\"" + id + "\"");
            assertThat(endpoint.postmortem(id, "postmortem")).contains("Payment provider timing out");
            assertThat(endpoint.incident("no-such-incident")).isNull();
            assertThat(endpoint.postmortem(id, "other")).isNull();
        });
    }

    @Test
    void actuatorDiscoversAReadOnlyWebEndpointWithItsThreePaths() {
        // Boot's own discovery validates the operations (selectors, media types) as it would for HTTP
        runner.withPropertyValues("management.endpoints.web.exposure.include=incidents")
                .run(context -> {
                    WebEndpointsSupplier discoverer = new WebEndpointDiscoverer(context,
                            new ConversionServiceParameterValueMapper(), EndpointMediaTypes.DEFAULT, List.of(),
                            List.of(), List.of(), List.of(), List.of());
                    ExposableWebEndpoint incidents = discoverer.getEndpoints().stream().filter(e -> e.getEndpointId().toString().equals("incidents")).findFirst()
                            .orElseThrow();
                    assertThat(incidents.getOperations()).extracting(o -> o.getRequestPredicate().getPath())
                            .containsExactlyInAnyOrder("incidents", "incidents/{id}", "incidents/{id}/{view}");
                    assertThat(incidents.getOperations()).allSatisfy(o -> {
                        assertThat(o.getType()).isEqualTo(OperationType.READ);
                        assertThat(o.getRequestPredicate().getHttpMethod()).isEqualTo(WebEndpointHttpMethod.GET);
                    });
                    assertThat(incidents.getOperations()).filteredOn(o -> o.getRequestPredicate().getPath()
                            .endsWith("{view}")).singleElement().satisfies(o -> assertThat(
                                    o.getRequestPredicate().getProduces()).containsExactly("text/markdown"));
                });
    }

    @Test
    void theHealthContributorIsUpWithACriticalIncidentOpenByDefault() {
        runner.run(context -> {
            recordCritical(context);

            Health health = context.getBean(IncidentsHealthIndicator.class).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails().get("open")).isEqualTo(Map.of(Severity.INFO, 0, Severity.WARNING, 0,
                    Severity.ERROR, 0, Severity.CRITICAL, 1));
            assertThat(health.getDetails()).containsKey("sinks");
        });
    }

    @Test
    void theHealthContributorIsDownOnAnOpenCriticalIncidentWhenAsked() {
        runner.withPropertyValues("incident.health.down-on-critical=true").run(context -> {
            HealthIndicator indicator = context.getBean(IncidentsHealthIndicator.class);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

            recordCritical(context);

            assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void theHealthContributorIsOffByProperty() {
        runner.withPropertyValues("management.health.incidents.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(IncidentsHealthIndicator.class));
    }

    @Test
    void backsOffForBeansOfTheApplication() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=incidents")
                .withBean("incidentsHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
                .withBean(IncidentsEndpoint.class, () -> new IncidentsEndpoint(new RecentIncidents()))
                .run(context -> assertThat(context).doesNotHaveBean(IncidentsHealthIndicator.class)
                        .hasSingleBean(IncidentsEndpoint.class));
    }

    @Test
    void withoutActuatorNothingOfItIsCreated() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=incidents")
                .withClassLoader(new FilteredClassLoader(Endpoint.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(IncidentSdk.class)
                        .doesNotHaveBean(RecentIncidents.class).doesNotHaveBean(IncidentsEndpoint.class)
                        .doesNotHaveBean(IncidentsHealthIndicator.class));
    }

    @Test
    void offWhenTheSdkIsOff() {
        runner.withPropertyValues("incident.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(RecentIncidents.class));
    }

    private static String recordCritical(AssertableApplicationContext context) {
        IncidentSdk sdk = context.getBean(IncidentSdk.class);
        RecentIncidents recent = context.getBean(RecentIncidents.class);
        sdk.record(Incident.builder(IncidentKind.CUSTOM, "Payment provider timing out").severity(Severity.CRITICAL)
                .fingerprint("test:payment-provider").build());
        await().atMost(Duration.ofSeconds(10)).until(() -> !recent.open().isEmpty());
        return recent.open().get(0).incident().incidentId();
    }
}
