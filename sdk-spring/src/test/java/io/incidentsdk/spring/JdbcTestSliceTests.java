package io.incidentsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.TransactionRunner;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.ApplicationContext;

/**
 * Issue 13, point 5: a {@code @JdbcTest} slice includes the SDK without the user importing anything: the
 * slice's (embedded, replaced) DataSource is watched. The same registration covers {@code @DataJpaTest},
 * {@code @DataJdbcTest} and {@code @JooqTest} (the {@code AutoConfigure*.imports} files of this module).
 */
@JdbcTest(properties = {"spring.liquibase.enabled=false", "spring.flyway.enabled=false"})
class JdbcTestSliceTests {

    @Autowired
    ApplicationContext context;

    @Autowired
    DataSource dataSource;

    @Test
    void theSliceWatchesItsDataSource() {
        assertThat(context.getBeansOfType(IncidentSdk.class)).hasSize(1);
        assertThat(context.getBeansOfType(TransactionRunner.class)).hasSize(1);
        assertThat(JdbcIncidents.isWatched(dataSource)).isTrue();
    }

    @SpringBootConfiguration
    static class SliceApplication {
    }
}
