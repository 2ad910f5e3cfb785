package io.incidentsdk.internal.delivery;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Locale;
import java.util.Objects;

/** Checks of receiver URLs and headers, and their display without secrets. */
public final class Endpoint {

    private Endpoint() {
    }

    /**
     * Checks that a URL can receive events: absolute, {@code http} or {@code https}, with a host, without
     * user-info.
     *
     * @param field the field name for the message
     * @param url   the URL
     * @return the URL
     */
    public static URI requireHttp(String field, URI url) {
        Objects.requireNonNull(url, field + " must not be null");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException(field + " must be an absolute http or https URL with a host, was "
                    + display(url));
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException(field + " must not carry user-info; use a header instead");
        }
        return url;
    }

    /**
     * Checks a header the user configures: a valid name and value that the HTTP client accepts, and not one
     * the sink sets itself.
     *
     * @param name  the header name
     * @param value the header value
     */
    public static void requireHeader(String name, String value) {
        Objects.requireNonNull(name, "header name must not be null");
        Objects.requireNonNull(value, "header value must not be null (header " + name + ")");
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("content-type") || lower.equals("incident-signature") || lower.equals("incident-event-id")) {
            throw new IllegalArgumentException("header " + name + " is set by the sink");
        }
        try {
            HttpRequest.newBuilder().header(name, value);
        } catch (IllegalArgumentException e) {
            // the value is not echoed: it may be a credential
            throw new IllegalArgumentException("header " + name + " is not allowed or its value is not valid", null);
        }
    }

    /**
     * A URL as it may appear in logs and {@code toString()}: scheme, host and port; the path and query are
     * left out because receivers put tokens there (Slack, for one).
     *
     * @param url the URL, may be {@code null}
     * @return the display form
     */
    public static String display(URI url) {
        if (url == null) {
            return "null";
        }
        if (url.getHost() == null) {
            return "(not a URL with a host)";
        }
        return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "") + "/…";
    }
}
