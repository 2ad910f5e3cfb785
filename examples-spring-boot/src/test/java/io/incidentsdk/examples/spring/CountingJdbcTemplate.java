package io.incidentsdk.examples.spring;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.MDC;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The application's {@code JdbcTemplate} with a count, per request id (the MDC key of {@link RequestIdFilter}),
 * of the debit statements run: one per attempt of a transfer, since the debit is the first statement of its
 * transaction. A request counted more than once is one whose transfer was retried.
 */
final class CountingJdbcTemplate extends JdbcTemplate {

    /** Debits run, by request id. */
    final Map<String, AtomicInteger> debitsByRequest = new ConcurrentHashMap<>();

    CountingJdbcTemplate(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    public int update(String sql, Object... args) {
        String request = MDC.get(RequestIdFilter.MDC_KEY);
        if (request != null && sql.startsWith("UPDATE account SET balance = balance - ")) {
            debitsByRequest.computeIfAbsent(request, r -> new AtomicInteger()).incrementAndGet();
        }
        return super.update(sql, args);
    }

    /** Replaces Boot's {@code JdbcTemplate} (which backs off for this one) in the application under test. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Replacement {

        @Bean
        CountingJdbcTemplate jdbcTemplate(DataSource dataSource) {
            return new CountingJdbcTemplate(dataSource);
        }
    }
}
