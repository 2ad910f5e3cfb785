package io.incidentsdk.spring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.MDC;
import org.springframework.util.ClassUtils;

/**
 * What the application was doing when a JDBC call failed, for the incident's attributes: the HTTP method and
 * route template of the Spring MVC request of the thread ({@code http.method}, {@code http.route}), and the
 * values of the configured MDC keys ({@code mdc.<key>}). Asked by the watch only on the failure path, on the
 * application thread; reads thread-bound state only, never blocks.
 *
 * <p>The route is the template the request matched ({@code /transfers/{id}}), never the request's path: a path
 * carries ids and other values. A request that matched no handler has no route. Methods other than the standard
 * ones are reported as {@code OTHER} (a client chooses them freely). Values of MDC keys that look like
 * credentials are not copied.
 */
final class RequestContextAttributes implements Supplier<Map<String, String>> {

    /** MDC keys at most ({@code incident.context.mdc-keys}). */
    static final int MAX_MDC_KEYS = 16;
    /** Length of an MDC key at most (the attribute key {@code mdc.<key>} is bounded to 64 characters). */
    static final int MAX_MDC_KEY_LENGTH = 60;
    /** Length of a copied MDC value at most. */
    static final int MAX_MDC_VALUE_LENGTH = 128;

    static final String REDACTED = "[redacted]";

    /** What {@link WebMvcRequest} needs: Spring MVC and the Servlet API. */
    private static final String[] WEB_MVC_CLASSES = {"org.springframework.web.servlet.HandlerMapping",
            "org.springframework.web.context.request.RequestContextHolder", "jakarta.servlet.http.HttpServletRequest"};

    private static final List<String> CREDENTIAL_WORDS = List.of("password", "passwd", "secret", "token",
            "authorization", "cookie", "credential", "apikey", "api-key", "api_key");

    private final boolean http;
    private final String[] mdcKeys;
    private final String[] attributeKeys;
    private final boolean[] redacted;

    /**
     * @param http    whether to add the Spring MVC request's method and route (only when Spring MVC is present)
     * @param mdcKeys the MDC keys to copy
     */
    RequestContextAttributes(boolean http, List<String> mdcKeys) {
        this.http = http;
        this.mdcKeys = mdcKeys.stream().filter(k -> k != null && !k.isBlank()).distinct().limit(MAX_MDC_KEYS)
                .toArray(String[]::new);
        this.attributeKeys = new String[this.mdcKeys.length];
        this.redacted = new boolean[this.mdcKeys.length];
        for (int i = 0; i < this.mdcKeys.length; i++) {
            attributeKeys[i] = "mdc." + this.mdcKeys[i];
            redacted[i] = looksLikeCredential(this.mdcKeys[i]);
        }
    }

    /** Whether there is anything to add at all (otherwise the watch is not given this supplier). */
    boolean isEmpty() {
        return !http && mdcKeys.length == 0;
    }

    @Override
    public Map<String, String> get() {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (http) {
            WebMvcRequest.addTo(attributes);
        }
        for (int i = 0; i < mdcKeys.length; i++) {
            String value = MDC.get(mdcKeys[i]);
            if (value != null) {
                attributes.put(attributeKeys[i], redacted[i] ? REDACTED
                        : value.length() > MAX_MDC_VALUE_LENGTH ? value.substring(0, MAX_MDC_VALUE_LENGTH) : value);
            }
        }
        return attributes;
    }

    /** Whether Spring MVC and the Servlet API are on the class path, so that a request's route can be read. */
    static boolean webMvcPresent(ClassLoader classLoader) {
        for (String name : WEB_MVC_CLASSES) {
            if (!ClassUtils.isPresent(name, classLoader)) {
                return false;
            }
        }
        return true;
    }

    static boolean looksLikeCredential(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        for (String word : CREDENTIAL_WORDS) {
            if (lower.contains(word)) {
                return true;
            }
        }
        return false;
    }
}
