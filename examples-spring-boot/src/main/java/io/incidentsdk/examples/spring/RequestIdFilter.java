package io.incidentsdk.examples.spring;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts a request id into the logging MDC for the duration of each request (the caller's {@code X-Request-Id}, or
 * a new one) and echoes it in the response. With {@code incident.context.mdc-keys=requestId}, the incident of a
 * failed call carries it too, next to the HTTP method and route template.
 */
@Component
public class RequestIdFilter extends OncePerRequestFilter {

    /** The header and the MDC key. */
    public static final String HEADER = "X-Request-Id";
    /** The MDC key. */
    public static final String MDC_KEY = "requestId";

    /**
     * Creates the filter.
     */
    public RequestIdFilter() {
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader(HEADER);
        String id = given != null && given.matches("[A-Za-z0-9._-]{1,64}") ? given : UUID.randomUUID().toString();
        MDC.put(MDC_KEY, id);
        response.setHeader(HEADER, id);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }
}
