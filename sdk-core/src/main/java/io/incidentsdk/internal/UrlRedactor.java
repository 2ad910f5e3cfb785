package io.incidentsdk.internal;

import java.util.Locale;

/**
 * Removes credentials from JDBC and HTTP URLs: the user-info part ({@code user:secret@host}), Oracle's
 * {@code user/secret@} form, and the values of parameters that name a user, password, secret, token or
 * key, in both {@code ?a=b&c=d} and {@code ;a=b;c=d} styles.
 */
public final class UrlRedactor {

    private static final String MASK = "***";

    private UrlRedactor() {
    }

    /**
     * Returns {@code url} without credentials; {@code null} stays {@code null}. Never throws.
     *
     * @param url a URL, may be {@code null}
     * @return the URL with credentials masked
     */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        String result = stripUserInfo(url);
        return maskSecretParameters(result);
    }

    private static String stripUserInfo(String url) {
        int scheme = url.indexOf("//");
        int at;
        if (scheme >= 0) {
            int hostEnd = indexOfAny(url, scheme + 2, "/?;");
            at = url.lastIndexOf('@', hostEnd < 0 ? url.length() - 1 : hostEnd);
            if (at > scheme) {
                return url.substring(0, scheme + 2) + url.substring(at + 1);
            }
            return url;
        }
        // Oracle thin: jdbc:oracle:thin:user/secret@host:port/service
        at = url.indexOf('@');
        int slash = url.indexOf('/');
        if (at > 0 && slash > 0 && slash < at) {
            int start = url.lastIndexOf(':', slash);
            if (start >= 0) {
                return url.substring(0, start + 1) + MASK + url.substring(at);
            }
        }
        return url;
    }

    private static int indexOfAny(String s, int from, String chars) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static String maskSecretParameters(String url) {
        StringBuilder out = new StringBuilder(url.length());
        int i = 0;
        int n = url.length();
        while (i < n) {
            char c = url.charAt(i);
            out.append(c);
            i++;
            if (c == '?' || c == '&' || c == ';') {
                int eq = url.indexOf('=', i);
                int end = indexOfAny(url, i, "&;");
                if (eq < 0 || (end >= 0 && eq > end)) {
                    continue;
                }
                String name = url.substring(i, eq);
                out.append(name).append('=');
                int valueEnd = end < 0 ? n : end;
                if (isSecret(name)) {
                    out.append(MASK);
                } else {
                    out.append(url, eq + 1, valueEnd);
                }
                i = valueEnd;
            }
        }
        return out.toString();
    }

    private static boolean isSecret(String parameter) {
        String p = parameter.trim().toLowerCase(Locale.ROOT);
        return p.contains("password") || p.contains("passwd") || p.equals("pwd") || p.contains("secret")
                || p.contains("token") || p.equals("user") || p.equals("username") || p.equals("uid")
                || p.equals("user id") || p.contains("key") || p.contains("credential");
    }
}
