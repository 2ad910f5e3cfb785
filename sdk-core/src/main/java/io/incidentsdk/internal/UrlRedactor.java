package io.incidentsdk.internal;

import java.util.Locale;

/**
 * Removes credentials from JDBC and HTTP URLs: the user-info part ({@code user:secret@host}), Oracle's
 * {@code user/secret@} form (also before {@code //host} and {@code (DESCRIPTION=...)}), and the values of
 * parameters that name a user, password, secret, token or key, in the {@code ?a=b&c=d}, {@code ;a=b;c=d}
 * and MySQL {@code (a=b,c=d)} styles, including SQL Server's braced {@code {...}} values.
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
        int firstAt = url.indexOf('@');
        if (firstAt < 0) {
            return url;
        }
        int scheme = url.indexOf("//");
        if (scheme >= 0 && scheme < firstAt) {
            int hostEnd = indexOfAny(url, scheme + 2, "/?;");
            int at = url.lastIndexOf('@', hostEnd < 0 ? url.length() - 1 : hostEnd);
            if (at > scheme) {
                return url.substring(0, scheme + 2) + url.substring(at + 1);
            }
            return url;
        }
        return stripOracleCredentials(url, scheme);
    }

    /**
     * Oracle thin: {@code jdbc:oracle:thin:user/secret@host:port/service}, also followed by {@code //host}
     * (EZConnect) or {@code (DESCRIPTION=...)}. The secret may hold any character, the user name may not.
     */
    private static String stripOracleCredentials(String url, int scheme) {
        int bound = scheme >= 0 ? scheme : url.length();
        int paren = url.indexOf('(');
        if (paren >= 0 && paren < bound) {
            bound = paren;
        }
        int at = bound > 0 ? url.lastIndexOf('@', bound - 1) : -1;
        int slash = url.indexOf('/');
        if (at <= 0 || slash < 0 || slash > at) {
            return url;
        }
        int start = url.lastIndexOf(':', slash);
        if (start < 0 || !isUserName(url, start + 1, slash)) {
            return url;
        }
        return url.substring(0, start + 1) + MASK + url.substring(at);
    }

    /** Whether {@code url[from, to)} looks like a database user name (and not a file path or a parameter). */
    private static boolean isUserName(String url, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = url.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '#' || c == '"' || c == '['
                    || c == ']')) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfAny(String s, int from, String chars) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Masks the values of secret-looking parameters: {@code ?a=b&c=d}, {@code ;a=b;c=d}, MySQL's host
     * specifications {@code (host=h,user=u,password=p)} and {@code address=(host=h)(password=p)}, and SQL
     * Server's braced values {@code password={a;b}}.
     */
    private static String maskSecretParameters(String url) {
        StringBuilder out = new StringBuilder(url.length());
        int n = url.length();
        int depth = 0;
        int i = 0;
        while (i < n) {
            char c = url.charAt(i);
            out.append(c);
            i++;
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            }
            if (!(c == '?' || c == '&' || c == ';' || c == '(' || (c == ',' && depth > 0))) {
                continue;
            }
            int eq = indexOfAny(url, i, "=?&;(),");
            if (eq < 0 || url.charAt(eq) != '=' || !isSecret(url.substring(i, eq))) {
                // not a secret: keep scanning the parameter character by character
                continue;
            }
            out.append(url, i, eq + 1).append(MASK);
            i = valueEnd(url, eq + 1, depth > 0);
        }
        return out.toString();
    }

    private static int valueEnd(String url, int from, boolean inParentheses) {
        int n = url.length();
        if (from < n && url.charAt(from) == '{') {
            // SQL Server: a braced value may hold ; and = and writes } as }}
            int i = from + 1;
            while (i < n) {
                if (url.charAt(i) == '}') {
                    if (i + 1 < n && url.charAt(i + 1) == '}') {
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                i++;
            }
            return n;
        }
        int end = indexOfAny(url, from, inParentheses ? ",)" : "&;");
        return end < 0 ? n : end;
    }

    private static boolean isSecret(String parameter) {
        String p = parameter.trim().toLowerCase(Locale.ROOT);
        return p.contains("password") || p.contains("passwd") || p.equals("pwd") || p.contains("secret")
                || p.contains("token") || p.equals("user") || p.equals("username") || p.equals("uid")
                || p.equals("user id") || p.contains("key") || p.contains("credential");
    }
}
