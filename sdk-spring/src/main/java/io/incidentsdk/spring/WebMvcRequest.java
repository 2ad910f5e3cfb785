package io.incidentsdk.spring;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Set;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Reads the HTTP method and the matched route template of the Spring MVC request bound to the current thread.
 * Loaded only when Spring MVC and the Servlet API are on the class path
 * ({@link RequestContextAttributes#webMvcPresent(ClassLoader)}).
 */
final class WebMvcRequest {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "TRACE", "CONNECT");

    private WebMvcRequest() {
    }

    static void addTo(Map<String, String> attributes) {
        RequestAttributes bound = RequestContextHolder.getRequestAttributes();
        if (!(bound instanceof ServletRequestAttributes servlet)) {
            return; // no request on this thread (a scheduled job, a worker thread)
        }
        HttpServletRequest request = servlet.getRequest();
        String method = request.getMethod();
        if (method != null) {
            attributes.put("http.method", METHODS.contains(method) ? method : "OTHER");
        }
        // the template the handler was chosen by; set by Spring MVC's handler mappings once one matched
        Object route = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (route != null) {
            attributes.put("http.route", route.toString());
        }
    }
}
