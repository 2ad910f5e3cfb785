package io.incidentsdk.internal;

import java.util.Locale;
import java.util.Set;

/**
 * Reduces a JDBC (or HTTP) URL to what a person needs to know which database it is: scheme, hosts, ports,
 * database or path, and the few settings of {@link #KEPT_KEYS}. It parses each vendor's URL grammar instead of
 * looking for secret-sounding names:
 * <ul>
 *   <li>{@code scheme://[user-info@]hosts[/database][?key=value&...][;key=value;...]} (PostgreSQL, MySQL,
 *       MariaDB, H2 server, HSQLDB, Derby, Db2, SQL Server, HTTP): the user-info is dropped, also when its
 *       password holds {@code /}, {@code ?}, {@code ;}, {@code =} or {@code @} (the user-info ends at the
 *       {@code @} after which a valid host list follows and no other {@code @} comes before the parameters;
 *       when an {@code @} that reads as inside a parameter value is followed by a valid host list too, the URL
 *       reads two ways and its hosts are written {@code ***});
 *       MySQL's host specifications {@code (host=h,port=p,user=u,...)} and {@code address=(host=h)(...)} keep
 *       only host and port;</li>
 *   <li>{@code jdbc:oracle:thin:[user/password]@target}: everything before the {@code @} that precedes the
 *       target goes; a {@code (DESCRIPTION=...)} keeps only its address and service groups;</li>
 *   <li>{@code jdbc:sqlserver://host;key=value;...} with braced values {@code {a;b}}: properties are read with
 *       their braces;</li>
 *   <li>opaque forms ({@code jdbc:h2:mem:x;...}, {@code jdbc:derby:db;...}, {@code jdbc:sqlite:file}): the name
 *       stays, properties are filtered.</li>
 * </ul>
 * A parameter is kept only if its key is in {@link #KEPT_KEYS} (case-insensitive) and its value is short and
 * plain ({@code [A-Za-z0-9_.,:+/-]}, at most 64 chars; else it is written {@code ***}); every other parameter
 * is dropped, key and value. A host list or path that does not parse is written {@code ***}. So pgjdbc's
 * {@code getURL()}, which echoes every driver setting, becomes the short URL a person needs.
 */
public final class UrlRedactor {

    private static final String MASK = "***";
    private static final int MAX_VALUE = 64;

    /**
     * The parameters that stay (lower case): TLS ({@code ssl}, {@code sslmode}, {@code useSSL},
     * {@code requireSSL}, {@code encrypt}), where the session looks ({@code currentSchema}, {@code schema},
     * {@code databaseName}, {@code database}, {@code serverName}, {@code portNumber}, {@code instanceName},
     * {@code targetServerType}), who connects as an application ({@code applicationName}), H2's
     * compatibility {@code MODE}, and the timeouts that explain a failure ({@code connectTimeout},
     * {@code socketTimeout}, {@code loginTimeout}).
     */
    static final Set<String> KEPT_KEYS = Set.of("ssl", "sslmode", "usessl", "requiressl", "encrypt", "currentschema",
            "schema", "databasename", "database", "servername", "portnumber", "instancename", "targetservertype",
            "applicationname", "mode", "connecttimeout", "sockettimeout", "logintimeout");

    /** The groups of an Oracle connect descriptor that stay. */
    private static final Set<String> ORACLE_GROUPS = Set.of("description", "description_list", "address_list",
            "address", "protocol", "host", "port", "connect_data", "service_name", "sid", "server");

    private UrlRedactor() {
    }

    /**
     * Returns the short, credential-free form of {@code url}; {@code null} stays {@code null}. Never throws.
     *
     * @param url a URL, may be {@code null}
     * @return scheme, hosts, ports, database and the kept settings
     */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        try {
            String u = url.trim();
            if (u.isEmpty()) {
                return u;
            }
            if (u.regionMatches(true, 0, "jdbc:oracle:", 0, 12)) {
                return oracle(u);
            }
            int slashes = u.indexOf("//");
            int firstParameter = indexOfAny(u, 0, "?;");
            if (slashes > 0 && u.charAt(slashes - 1) == ':' && (firstParameter < 0 || slashes < firstParameter)) {
                return hierarchical(u, slashes + 2);
            }
            return opaque(u);
        } catch (RuntimeException e) {
            return schemeOf(url) + MASK;
        }
    }

    // ---------------------------------------------------------------- scheme://authority/path?query;props

    private static String hierarchical(String u, int authority) {
        StringBuilder out = new StringBuilder(Math.min(u.length(), 256));
        out.append(u, 0, authority);
        int at = userInfoEnd(u, authority);
        if (at == AMBIGUOUS) {
            // two readings, each with a valid host list: the hosts of either may be a piece of the password
            out.append(MASK);
            return out.toString();
        }
        int hosts = at < 0 ? authority : at + 1;
        int hostsEnd;
        if (hosts < u.length() && (u.charAt(hosts) == '(' || u.regionMatches(true, hosts, "address=", 0, 8))) {
            hostsEnd = mysqlHostSpecs(u, hosts, out);
        } else {
            hostsEnd = indexOfAny(u, hosts, "/?;");
            if (hostsEnd < 0) {
                hostsEnd = u.length();
            }
            if (!isHostList(u, hosts, hostsEnd)) {
                // not a host list: the user-info was not found where it ends (a password holding #, / or ?), so
                // what looks like a path or parameters after it may be the rest of the password
                out.append(MASK);
                return out.toString();
            }
            out.append(u, hosts, hostsEnd);
        }
        int parametersStart = path(u, hostsEnd, out);
        parameters(u, parametersStart, out);
        return out.toString();
    }

    /** {@link #userInfoEnd}: more than one {@code @} could end the user-info. */
    private static final int AMBIGUOUS = -2;

    /**
     * The index of the {@code @} ending the user-info, -1 when there is none, or {@link #AMBIGUOUS}. When the
     * text before the first delimiter is a valid host list and an {@code =} comes before the {@code @}, the
     * {@code @} is inside a parameter value ({@code ?user=app@server}). When a later {@code @}, read as inside a
     * parameter value, is itself followed by hosts, the URL reads two ways: the user-info may end there, and a
     * password holding {@code @} and {@code ?} ({@code alice:@pw?k=v@db:5432/shop}) would put its piece in the
     * host list of the first reading; so does {@code alice:12345?x=y@db:5432/shop} (user and password read as
     * host and port, the @ as inside a parameter value): whenever an @ that reads as inside a parameter value is
     * followed by hosts and what comes before it reads as {@code user:password}, the hosts are masked (outside SQL
     * Server's grammar, which has no user-info). An ordinary URL loses its hosts only when a parameter value holds
     * an @ followed by a host name up to a delimiter and the URL's hosts hold a port ({@code db:5432/app?user=
     * admin@server}), never when more parameters follow ({@code ...@server&ssl=true}).
     */
    private static int userInfoEnd(String u, int from) {
        int firstAt = u.indexOf('@', from);
        if (firstAt < 0) {
            return -1;
        }
        int delimiter = indexOfAny(u, from, "/?;#");
        int query = indexOfAny(u, from, "?;");
        if (delimiter >= 0 && delimiter < firstAt && isHostList(u, from, delimiter) && query >= 0 && query < firstAt
                && u.substring(query, firstAt).indexOf('=') >= 0) {
            // the @ is inside a parameter value, unless what reads as hosts, path and parameters is user:password
            // and the user-info ends at an @ followed by hosts (alice:12345?x=y@db:5432/shop and
            // alice:5/rn;=z@db:5432/shop read both ways); SQL Server's URLs have no user-info
            if (!withoutUserInfo(u) && userThenColon(u, from, firstAt)) {
                for (int at = firstAt; at >= 0; at = u.indexOf('@', at + 1)) {
                    if (hostsAfter(u, at)) {
                        return AMBIGUOUS;
                    }
                }
            }
            return -1;
        }
        if (u.charAt(from) == '(' || u.regionMatches(true, from, "address=", 0, 8)) {
            return -1; // MySQL host specifications carry user and password inside, read there
        }
        for (int at = firstAt; at >= 0; at = u.indexOf('@', at + 1)) {
            if (hostsAfter(u, at) && laterAtsInParameterValues(u, at)) {
                for (int next = u.indexOf('@', at + 1); next >= 0; next = u.indexOf('@', next + 1)) {
                    if (hostsAfter(u, next)) {
                        return AMBIGUOUS;
                    }
                }
                return at;
            }
        }
        return u.lastIndexOf('@');
    }

    /**
     * Whether the text from {@code from} reads as {@code user:password} up to {@code before}: a {@code :} before
     * it, and no URL delimiter or parameter character in the user name ({@code db.internal/shop?password=...} is
     * a path and parameters, not a user name).
     */
    private static boolean userThenColon(String u, int from, int before) {
        int colon = u.indexOf(':', from);
        if (colon < 0 || colon >= before) {
            return false;
        }
        for (int i = from; i < colon; i++) {
            if ("/?;#&=@".indexOf(u.charAt(i)) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether the URL's grammar has no user-info: SQL Server's ({@code jdbc:sqlserver:}, jTDS). */
    private static boolean withoutUserInfo(String u) {
        return u.regionMatches(true, 0, "jdbc:sqlserver:", 0, 15) || u.regionMatches(true, 0, "jdbc:jtds:", 0, 10);
    }

    /**
     * Whether hosts follow the {@code @} at {@code at}: a valid host list up to the next {@code /}, {@code ?},
     * {@code ;} or {@code #}, or MySQL host specifications ({@code (host=...)}, {@code address=(...)}).
     */
    private static boolean hostsAfter(String u, int at) {
        int hosts = at + 1;
        if (hosts >= u.length()) {
            return false;
        }
        if (u.charAt(hosts) == '(' || u.regionMatches(true, hosts, "address=", 0, 8)) {
            return true;
        }
        int end = indexOfAny(u, hosts, "/?;#");
        if (end < 0) {
            end = u.length();
        }
        return end > hosts && isHostList(u, hosts, end);
    }

    /**
     * Whether every {@code @} after {@code at} is inside the value of a {@code key=value} parameter: after the
     * parameters start, some separator ({@code ?}, {@code &}, {@code ;}) before it opens a valid key and an
     * {@code =} that is also before it.
     */
    private static boolean laterAtsInParameterValues(String u, int at) {
        int parameters = indexOfAny(u, at + 1, "?;#");
        for (int next = u.indexOf('@', at + 1); next >= 0; next = u.indexOf('@', next + 1)) {
            if (parameters < 0 || parameters > next) {
                return false;
            }
            boolean inValue = false;
            for (int k = parameters; k < next && !inValue; k++) {
                if ("?&;".indexOf(u.charAt(k)) >= 0) {
                    int eq = u.indexOf('=', k + 1);
                    inValue = eq > k + 1 && eq < next && isKey(u, k + 1, eq);
                }
            }
            if (!inValue) {
                return false;
            }
        }
        return true;
    }

    /** MySQL's {@code (host=h,port=p,...)} and {@code address=(host=h)(port=p)...} lists: host and port only. */
    private static int mysqlHostSpecs(String u, int from, StringBuilder out) {
        int i = from;
        boolean first = true;
        while (i < u.length()) {
            char c = u.charAt(i);
            if (c == '/' || c == '?' || c == ';') {
                break;
            }
            if (c == ',') {
                i++;
                continue;
            }
            if (u.regionMatches(true, i, "address=", 0, 8)) {
                i += 8;
            }
            if (i >= u.length() || u.charAt(i) != '(') {
                throw new IllegalArgumentException("host specification");
            }
            String host = null;
            String port = null;
            // one specification: (k=v,k=v) or (k=v)(k=v)...
            while (i < u.length() && u.charAt(i) == '(') {
                int close = u.indexOf(')', i);
                if (close < 0) {
                    throw new IllegalArgumentException("host specification");
                }
                for (String pair : u.substring(i + 1, close).split(",")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        String key = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                        String value = pair.substring(eq + 1).trim();
                        if (key.equals("host")) {
                            host = value;
                        } else if (key.equals("port")) {
                            port = value;
                        }
                    }
                }
                i = close + 1;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            String spec = (host == null ? "" : host) + (port == null ? "" : ":" + port);
            out.append(isHostList(spec, 0, spec.length()) ? spec : MASK);
        }
        if (u.indexOf(')', i) >= 0) {
            // a ) after the specifications: a value inside them held one (an unencoded password such as
            // "d-Js)/x"), so where they end is not known and what follows may be the rest of that value
            throw new IllegalArgumentException("host specification");
        }
        return i;
    }

    /** Writes the path (database) starting at {@code from}; returns where the parameters start. */
    private static int path(String u, int from, StringBuilder out) {
        if (from >= u.length() || u.charAt(from) != '/') {
            return from;
        }
        int end = indexOfAny(u, from, "?;");
        if (end < 0) {
            end = u.length();
        }
        // Db2: /database:key=value;...
        int colon = u.indexOf(':', from);
        if (colon >= 0 && colon < end && u.indexOf('=', colon) >= 0 && u.indexOf('=', colon) < end) {
            end = colon;
        }
        String path = u.substring(from, end);
        out.append(isPlain(path, 1, path.length(), 256, "/~._-:$") ? path : "/" + MASK);
        return end < u.length() && u.charAt(end) == ':' ? end + 1 : end;
    }

    // ---------------------------------------------------------------- parameters

    /** Writes the kept parameters of {@code u[from..]}, in the style of the first separator. */
    private static void parameters(String u, int from, StringBuilder out) {
        if (from >= u.length()) {
            return;
        }
        char style = u.charAt(from);
        char separator = style == '?' ? '&' : ';';
        int i = style == '?' || style == ';' ? from + 1 : from;
        boolean first = true;
        while (i < u.length()) {
            int keyEnd = indexOfAny(u, i, "=&;?");
            if (keyEnd < 0) {
                break;
            }
            if (u.charAt(keyEnd) != '=') {
                i = keyEnd + 1;
                continue;
            }
            String key = u.substring(i, keyEnd).trim();
            int valueEnd = valueEnd(u, keyEnd + 1);
            String value = u.substring(keyEnd + 1, valueEnd);
            if (KEPT_KEYS.contains(key.toLowerCase(Locale.ROOT)) && isPlain(key, 0, key.length(), 64, "_")) {
                out.append(first ? (style == '?' ? '?' : ';') : separator).append(key).append('=')
                        .append(isPlain(value, 0, value.length(), MAX_VALUE, "_.,:+/-") ? value : MASK);
                first = false;
            }
            i = valueEnd + 1;
        }
    }

    /** The end of a value starting at {@code from}: a SQL Server braced value may hold {@code ;} and {@code }}}. */
    private static int valueEnd(String u, int from) {
        int n = u.length();
        if (from < n && u.charAt(from) == '{') {
            int i = from + 1;
            while (i < n) {
                if (u.charAt(i) == '}') {
                    if (i + 1 < n && u.charAt(i + 1) == '}') {
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                i++;
            }
            return n;
        }
        int end = indexOfAny(u, from, "&;");
        return end < 0 ? n : end;
    }

    // ---------------------------------------------------------------- opaque and Oracle

    /** {@code jdbc:h2:mem:x;k=v}, {@code jdbc:derby:db;k=v}, {@code jdbc:sqlite:path}: the name and kept settings. */
    private static String opaque(String u) {
        int parameters = indexOfAny(u, 0, "?;");
        int end = parameters < 0 ? u.length() : parameters;
        String base = u.substring(0, end);
        StringBuilder out = new StringBuilder(Math.min(u.length(), 256));
        out.append(isPlain(base, 0, base.length(), 256, "/~._-:$@\\") ? base : schemeOf(u) + MASK);
        parameters(u, end, out);
        return out.toString();
    }

    /** {@code jdbc:oracle:thin:[user[/password]]@target[?params]}. */
    private static String oracle(String u) {
        int driver = u.indexOf(':', 12);
        if (driver < 0) {
            return schemeOf(u) + MASK;
        }
        StringBuilder out = new StringBuilder(Math.min(u.length(), 256));
        out.append(u, 0, driver + 1);
        // the target follows the first @ after which a connect descriptor, or a plain connect string with no
        // other @ before its parameters, begins: a password (quoted or not) may hold @, /, ( and ?
        int at = -1;
        for (int k = unquotedAt(u, driver + 1); k >= 0; k = unquotedAt(u, k + 1)) {
            int end = u.indexOf('?', k + 1);
            if (end < 0) {
                end = u.length();
            }
            boolean descriptor = k + 1 < u.length() && u.charAt(k + 1) == '(';
            if (descriptor || (isPlain(u, k + 1, end, 256, "/._-:[]") && end > k + 1
                    && laterAtsInParameterValues(u, k))) {
                at = k;
                break;
            }
        }
        // a later @ (read as inside a parameter value) followed by a target too: the URL reads two ways
        // (scott/8@q.Fr4n?K=q@(DESCRIPTION=...)), and the first target may be a piece of the password
        for (int k = at < 0 || u.charAt(at + 1) == '(' ? -1 : unquotedAt(u, at + 1); k >= 0; k = unquotedAt(u, k + 1)) {
            int end = u.indexOf('?', k + 1);
            if (end < 0) {
                end = u.length();
            }
            if (k + 1 < u.length() && (u.charAt(k + 1) == '('
                    || (end > k + 1 && isPlain(u, k + 1, end, 256, "/._-:[]")))) {
                at = -1;
            }
        }
        if (at < 0) {
            out.append(MASK);
            return out.toString();
        }
        out.append('@');
        int target = at + 1;
        if (target < u.length() && u.charAt(target) == '(') {
            int end = descriptor(u, target, out);
            parameters(u, end, out);
            return out.toString();
        }
        int end = indexOfAny(u, target, "?");
        if (end < 0) {
            end = u.length();
        }
        String connect = u.substring(target, end);
        out.append(isPlain(connect, 0, connect.length(), 256, "/._-:[]") ? connect : MASK);
        parameters(u, end, out);
        return out.toString();
    }

    /**
     * The next {@code @} at or after {@code from} that is not inside a double-quoted part (Oracle lets a
     * password be quoted, and then it may hold {@code @}, {@code ?} and {@code =}); {@code -1} when none.
     * Quotes are counted from {@code from}: an unclosed quote hides every later {@code @}.
     */
    private static int unquotedAt(String u, int from) {
        boolean quoted = false;
        int start = from;
        // quotes opened before from (a quoted password whose @ was already rejected) still count
        for (int i = 0; i < from && i < u.length(); i++) {
            if (u.charAt(i) == '"') {
                quoted = !quoted;
            }
        }
        for (int i = start; i < u.length(); i++) {
            char c = u.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '@' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /** An Oracle connect descriptor {@code (KEY=value)} or {@code (KEY=(...)(...))}: kept groups only. */
    private static int descriptor(String u, int open, StringBuilder out) {
        int eq = u.indexOf('=', open);
        if (eq < 0) {
            throw new IllegalArgumentException("descriptor");
        }
        String key = u.substring(open + 1, eq).trim();
        boolean kept = ORACLE_GROUPS.contains(key.toLowerCase(Locale.ROOT)) && isPlain(key, 0, key.length(), 32, "_");
        int mark = out.length();
        if (kept) {
            out.append('(').append(key).append('=');
        }
        int i = eq + 1;
        while (i < u.length() && u.charAt(i) == ' ') {
            i++;
        }
        if (i < u.length() && u.charAt(i) == '(') {
            while (i < u.length() && u.charAt(i) == '(') {
                i = descriptor(u, i, kept ? out : new StringBuilder());
                while (i < u.length() && u.charAt(i) == ' ') {
                    i++;
                }
            }
        } else {
            int close = u.indexOf(')', i);
            if (close < 0) {
                throw new IllegalArgumentException("descriptor");
            }
            String value = u.substring(i, close).trim();
            if (kept) {
                out.append(isPlain(value, 0, value.length(), MAX_VALUE, "._-:") ? value : MASK);
            }
            i = close;
        }
        if (i >= u.length() || u.charAt(i) != ')') {
            throw new IllegalArgumentException("descriptor");
        }
        if (kept) {
            out.append(')');
        } else {
            out.setLength(mark);
        }
        return i + 1;
    }

    // ---------------------------------------------------------------- helpers

    /** {@code jdbc:vendor:} (or {@code https:}) of a URL, for the forms that cannot be read. */
    /**
     * Only where a URL points: scheme, hosts and ports, without user-info, path, query or fragment (a path that
     * was left out shows as {@code /…}). For URLs whose path or query holds a secret: a chat webhook's token, a
     * signed link. {@code null} stays {@code null}; a value that does not parse as {@code scheme://authority}
     * gives {@code scheme:***} or {@code ***}. Never throws.
     *
     * @param url a URL as configured, may be {@code null} or malformed
     * @return the display form
     */
    public static String origin(String url) {
        if (url == null) {
            return null;
        }
        try {
            String redacted = redact(url); // user-info gone, whatever it held
            int slashes = redacted.indexOf("://");
            if (slashes <= 0 || !isPlain(redacted, 0, slashes, 64, "+.-:")) {
                int colon = redacted.indexOf(':');
                return colon > 0 && isPlain(redacted, 0, colon, 32, "+.-") ? redacted.substring(0, colon + 1) + MASK
                        : MASK;
            }
            int end = indexOfAny(redacted, slashes + 3, "/?#;");
            return end < 0 ? redacted : redacted.substring(0, end) + "/\u2026";
        } catch (RuntimeException e) {
            return MASK;
        }
    }

    private static String schemeOf(String url) {
        int colon = url.indexOf(':');
        if (colon < 0) {
            return "";
        }
        if (url.regionMatches(true, 0, "jdbc:", 0, 5)) {
            int second = url.indexOf(':', 5);
            if (second > 5 && isPlain(url, 5, second, 32, "_-")) {
                return url.substring(0, second + 1);
            }
            return "jdbc:";
        }
        return isPlain(url, 0, colon, 16, "+.-") ? url.substring(0, colon + 1) : "";
    }

    /** Whether {@code s[from, to)} looks like a parameter name: a letter or {@code _}, then word chars. */
    private static boolean isKey(String s, int from, int to) {
        if (from >= to || to - from > 64) {
            return false;
        }
        char first = s.charAt(from);
        return (Character.isLetter(first) || first == '_') && isPlain(s, from, to, 64, "_.-");
    }

    /** Whether {@code s[from, to)} is a comma-separated list of {@code host[:port]} ({@code [v6]} allowed). */
    private static boolean isHostList(String s, int from, int to) {
        if (from == to) {
            return true; // SQL Server: jdbc:sqlserver://;serverName=...
        }
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || s.charAt(i) == ',') {
                if (!isHost(s, start, i)) {
                    return false;
                }
                start = i + 1;
            }
        }
        return true;
    }

    private static boolean isHost(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        int i = from;
        if (s.charAt(i) == '[') {
            int close = s.indexOf(']', i);
            if (close < 0 || close >= to || !isPlain(s, i + 1, close, 64, ":.%")) {
                return false;
            }
            i = close + 1;
        } else {
            while (i < to && s.charAt(i) != ':') {
                char c = s.charAt(i);
                if (!(isAsciiLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == '\\' || c == '%')) {
                    return false;
                }
                i++;
            }
            if (i == from) {
                return false;
            }
        }
        if (i == to) {
            return true;
        }
        if (s.charAt(i) != ':' || i + 1 == to || to - i > 6) {
            return false;
        }
        for (int k = i + 1; k < to; k++) {
            if (s.charAt(k) < '0' || s.charAt(k) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code s[from, to)} is at most {@code max} ASCII letters, digits and {@code extra} chars. */
    private static boolean isPlain(String s, int from, int to, int max, String extra) {
        if (to - from > max) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!isAsciiLetterOrDigit(c) && extra.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static int indexOfAny(String s, int from, String chars) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
