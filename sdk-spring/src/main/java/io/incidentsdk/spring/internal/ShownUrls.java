package io.incidentsdk.spring.internal;

import io.incidentsdk.internal.UrlRedactor;

/**
 * How the Spring module shows a URL from the application's properties in a startup failure: only its scheme, host
 * and port (its path or query may hold a token, as a chat webhook's does).
 *
 * <p>Internal: not part of the public API.
 *
 * @since 0.2.0
 */
public final class ShownUrls {

    private ShownUrls() {
    }

    /**
     * The URL reduced to where it points.
     *
     * @param url the configured value
     * @return scheme, host and port, or a placeholder when the value is not a URL
     */
    public static String origin(String url) {
        return UrlRedactor.origin(url);
    }
}
