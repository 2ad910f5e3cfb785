package io.incidentsdk.internal.postmortem;

import io.incidentsdk.Incident;
import io.incidentsdk.TimeSeries;
import io.incidentsdk.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes the postmortem as one self-contained HTML page: no script, no external resource (a Content Security
 * Policy forbids any), an inline SVG chart of calls and failures over time with the timeline's moments marked on
 * it, an inline SVG diagram of each lock cycle (transactions as nodes, "waits for" arrows labelled with the
 * statement each waited in), then the Markdown sections, converted. Every text from a record is HTML-escaped;
 * the Markdown is converted by {@link #markdownToHtml}, which escapes everything it does not itself produce.
 *
 * <p>Internal: not part of the public API.
 */
public final class HtmlReport {

    /** The id of the error-rate chart's {@code svg} element. */
    public static final String CHART_ID = "error-rate-chart";
    /** The class of every lock-cycle diagram's {@code svg} element. */
    public static final String CYCLE_CLASS = "lock-cycle";
    private static final int MAX_CYCLES = 4;
    private static final int MAX_LABEL = 64;

    private HtmlReport() {
    }

    /**
     * Renders the report of related incidents.
     *
     * @param related one or more incidents, none {@code null}
     * @return the HTML document
     */
    public static String render(List<Incident> related) {
        List<Incident> incidents = PostmortemWriter.ordered(related);
        String markdown = PostmortemWriter.render(incidents);
        Map<String, String> sql = PostmortemWriter.sqlByFingerprint(incidents);
        StringBuilder html = new StringBuilder(32_768);
        String title = incidents.get(0).title();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                        + "style-src 'unsafe-inline'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Postmortem: ").append(escape(title)).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n<main>\n");
        String body = markdownToHtml(markdown);
        // the pictures go after the Issue Summary, before the Timeline section
        int timeline = body.indexOf("<h2>Timeline</h2>");
        StringBuilder pictures = new StringBuilder(8_192);
        pictures.append("<h2>Error rate over time</h2>\n");
        chart(pictures, incidents);
        List<LockCycle> cycles = cycles(incidents, sql);
        if (!cycles.isEmpty()) {
            pictures.append("<h2>Lock cycle").append(cycles.size() > 1 ? "s" : "").append("</h2>\n");
            for (int i = 0; i < cycles.size(); i++) {
                cycle(pictures, cycles.get(i), i + 1);
            }
        }
        if (timeline < 0) {
            html.append(body).append(pictures);
        } else {
            html.append(body, 0, timeline).append(pictures).append(body, timeline, body.length());
        }
        html.append("<footer>Written by Incident SDK from the recorded incidents only; no bind values or literals."
                + "</footer>\n</main>\n</body>\n</html>\n");
        return html.toString();
    }

    private static List<LockCycle> cycles(List<Incident> incidents, Map<String, String> sql) {
        List<LockCycle> cycles = new ArrayList<>();
        Set<List<String>> seen = new LinkedHashSet<>();
        for (Incident incident : incidents) {
            LockCycle cycle = LockCycle.of(incident, sql);
            if (cycle == null || cycles.size() == MAX_CYCLES) {
                continue;
            }
            List<String> shape = new ArrayList<>();
            cycle.transactions().forEach(t -> shape.add(t.waitingSql() + "|" + t.callSite()));
            if (seen.add(shape)) {
                cycles.add(cycle);
            }
        }
        return cycles;
    }

    // ------------------------------------------------------------------ the chart

    private static void chart(StringBuilder out, List<Incident> incidents) {
        Incident with = PostmortemWriter.withSeries(incidents);
        if (with == null) {
            out.append("<p class=\"note\">No time series of calls and failures was recorded with "
                    + (incidents.size() == 1 ? "this incident" : "these incidents")
                    + ", so no error-rate chart can be drawn (error spikes and the deadlocks of a watched data source "
                    + "record one while its spike window is on).</p>\n");
            return;
        }
        TimeSeries series = with.series();
        int n = series.calls().size();
        int width = 880;
        int height = 300;
        int left = 56;
        int right = 56;
        int top = 24;
        int bottom = 56;
        double plotW = width - left - right;
        double plotH = height - top - bottom;
        long max = 1;
        for (long c : series.calls()) {
            max = Math.max(max, c);
        }
        double barW = plotW / Math.max(1, n);
        String counting = series.counting();
        out.append("<figure>\n<svg id=\"").append(CHART_ID).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" role=\"img\" aria-labelledby=\"chart-title\">\n")
                .append("<title id=\"chart-title\">").append(escape(counting)).append(" and failures per ")
                .append(escape(HumanFormat.duration(series.bucket()))).append(" from ")
                .append(escape(HumanFormat.time(series.start()))).append(" to ")
                .append(escape(HumanFormat.time(series.end()))).append("</title>\n");
        // axes and grid
        for (int i = 0; i <= 4; i++) {
            double y = top + plotH * i / 4.0;
            out.append("<line class=\"grid\" x1=\"").append(left).append("\" y1=\"").append(num(y)).append("\" x2=\"")
                    .append(num(left + plotW)).append("\" y2=\"").append(num(y)).append("\"/>\n");
            out.append("<text class=\"axis\" x=\"").append(left - 6).append("\" y=\"").append(num(y + 4))
                    .append("\" text-anchor=\"end\">").append(Math.round(max * (4 - i) / 4.0)).append("</text>\n");
            out.append("<text class=\"axis right\" x=\"").append(num(left + plotW + 6)).append("\" y=\"")
                    .append(num(y + 4)).append("\">").append((4 - i) * 25).append("%</text>\n");
        }
        // bars: calls (grey), failures (red) in front
        for (int i = 0; i < n; i++) {
            long calls = series.calls().get(i);
            long failures = series.failures().get(i);
            double x = left + i * barW;
            double hCalls = plotH * calls / max;
            double hFail = plotH * failures / max;
            String at = HumanFormat.time(series.start().plus(series.bucket().multipliedBy(i)));
            out.append("<rect class=\"calls\" x=\"").append(num(x + barW * 0.1)).append("\" y=\"")
                    .append(num(top + plotH - hCalls)).append("\" width=\"").append(num(barW * 0.8))
                    .append("\" height=\"").append(num(hCalls)).append("\"><title>").append(escape(at)).append(": ")
                    .append(calls).append(' ').append(escape(counting)).append(", ").append(failures)
                    .append(" failed</title></rect>\n");
            if (failures > 0) {
                out.append("<rect class=\"failures\" x=\"").append(num(x + barW * 0.1)).append("\" y=\"")
                        .append(num(top + plotH - hFail)).append("\" width=\"").append(num(barW * 0.8))
                        .append("\" height=\"").append(num(hFail)).append("\"/>\n");
            }
        }
        // the failure rate as a line (right axis), broken where a bucket had no call (no rate to draw)
        StringBuilder path = new StringBuilder();
        boolean drawing = false;
        for (int i = 0; i < n; i++) {
            long calls = series.calls().get(i);
            if (calls == 0) {
                drawing = false;
                continue;
            }
            double rate = (double) series.failures().get(i) / calls;
            path.append(drawing ? " L " : (path.length() == 0 ? "M " : " M ")).append(num(left + (i + 0.5) * barW))
                    .append(' ').append(num(top + plotH * (1 - rate)));
            drawing = true;
        }
        if (path.length() > 0) {
            out.append("<path class=\"rate\" d=\"").append(path).append("\"/>\n");
        }
        // the timeline's moments on the time axis
        Instant start = series.start();
        Instant end = series.end();
        long span = Math.max(1, Duration.between(start, end).toMillis());
        int label = 0;
        for (TimelineEntry entry : moments(incidents, with)) {
            if (entry.at().isBefore(start) || entry.at().isAfter(end)) {
                continue;
            }
            double x = left + plotW * Duration.between(start, entry.at()).toMillis() / span;
            out.append("<line class=\"moment\" x1=\"").append(num(x)).append("\" y1=\"").append(top)
                    .append("\" x2=\"").append(num(x)).append("\" y2=\"").append(num(top + plotH)).append("\"/>\n");
            out.append("<text class=\"moment\" x=\"").append(num(x + 3)).append("\" y=\"")
                    .append(num(top + 10 + 12 * (label++ % 3))).append("\">")
                    .append(escape(Causes.timelineType(entry.type()))).append("</text>\n");
        }
        out.append("<text class=\"axis\" x=\"").append(left).append("\" y=\"").append(height - bottom + 18)
                .append("\">").append(escape(HumanFormat.time(start))).append("</text>\n");
        out.append("<text class=\"axis\" x=\"").append(num(left + plotW)).append("\" y=\"").append(height - bottom + 18)
                .append("\" text-anchor=\"end\">").append(escape(HumanFormat.time(end))).append("</text>\n");
        out.append("<rect class=\"calls\" x=\"").append(left).append("\" y=\"").append(height - 22)
                .append("\" width=\"12\" height=\"12\"/><text class=\"legend\" x=\"").append(left + 18).append("\" y=\"")
                .append(height - 12).append("\">").append(escape(counting)).append(" per ")
                .append(escape(HumanFormat.duration(series.bucket()))).append("</text>\n");
        out.append("<rect class=\"failures\" x=\"").append(left + 250).append("\" y=\"").append(height - 22)
                .append("\" width=\"12\" height=\"12\"/><text class=\"legend\" x=\"").append(left + 268)
                .append("\" y=\"").append(height - 12).append("\">failed</text>\n");
        out.append("<line class=\"rate\" x1=\"").append(left + 340).append("\" y1=\"").append(height - 16)
                .append("\" x2=\"").append(left + 360).append("\" y2=\"").append(height - 16)
                .append("\"/><text class=\"legend\" x=\"").append(left + 366).append("\" y=\"").append(height - 12)
                .append("\">failure rate (right axis)</text>\n");
        out.append("</svg>\n<figcaption>").append(escape(counting)).append(" (grey) and failures (red) per ")
                .append(escape(HumanFormat.duration(series.bucket()))).append(": ").append(series.totalFailures())
                .append(" of ").append(series.totalCalls()).append(" failed over the recorded ")
                .append(escape(HumanFormat.duration(Duration.between(start, end)))).append(".</figcaption>\n</figure>\n");
    }

    /**
     * The timeline entries worth marking on the chart, of every incident, one per type and time: the first failure,
     * a spike's opening, peak and resolution, and the resolution of the incident whose series is drawn.
     */
    private static List<TimelineEntry> moments(List<Incident> incidents, Incident drawn) {
        List<TimelineEntry> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        TimelineEntry first = null;
        for (Incident incident : incidents) {
            for (TimelineEntry entry : incident.timeline()) {
                switch (entry.type()) {
                    case TimelineEntry.FIRST_FAILURE -> {
                        if (first == null || entry.at().isBefore(first.at())) {
                            first = entry;
                        }
                    }
                    case TimelineEntry.SPIKE_OPENED, TimelineEntry.PEAK, TimelineEntry.RESOLVED -> {
                        boolean spike = incident.kind() == io.incidentsdk.IncidentKind.ERROR_SPIKE;
                        boolean drawnEnd = incident == drawn && TimelineEntry.RESOLVED.equals(entry.type());
                        if ((spike || drawnEnd) && seen.add(entry.type() + entry.at())) {
                            out.add(entry);
                        }
                    }
                    default -> {
                        // notes and the rest are in the timeline section
                    }
                }
            }
        }
        if (first != null) {
            out.add(0, first);
        }
        out.sort(java.util.Comparator.comparing(TimelineEntry::at));
        return out;
    }

    // ------------------------------------------------------------------ the lock cycle

    private static void cycle(StringBuilder out, LockCycle cycle, int number) {
        List<LockCycle.Transaction> txs = cycle.transactions();
        int n = txs.size();
        int width = 880;
        int height = n == 2 ? 300 : 460;
        double cx = width / 2.0;
        double cy = height / 2.0;
        double radius = n == 2 ? 250 : 160;
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            double angle = n == 2 ? Math.PI * i : -Math.PI / 2 + 2 * Math.PI * i / n;
            xs[i] = cx + (n == 2 ? -Math.cos(angle) * radius : Math.cos(angle) * radius * 1.6);
            ys[i] = cy + (n == 2 ? 0 : Math.sin(angle) * radius);
        }
        out.append("<figure>\n<svg class=\"").append(CYCLE_CLASS).append("\" id=\"lock-cycle-").append(number)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-labelledby=\"lock-cycle-title-").append(number).append("\">\n")
                .append("<title id=\"lock-cycle-title-").append(number).append("\">Lock cycle of ").append(n)
                .append(" transactions: each waits for the next</title>\n")
                .append("<defs><marker id=\"arrow-").append(number).append("\" viewBox=\"0 0 10 10\" refX=\"9\" "
                        + "refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\">"
                        + "<path d=\"M 0 0 L 10 5 L 0 10 z\" class=\"arrowhead\"/></marker></defs>\n");
        double boxW = 150;
        double boxH = 54;
        for (int i = 0; i < n; i++) {
            int j = cycle.waitsFor(i);
            LockCycle.Transaction t = txs.get(i);
            String label = "waits in " + shorten(t.waitingSql() == null ? "a statement not recorded" : t.waitingSql());
            if (n == 2) {
                // two arcs: T1 -> T2 above, T2 -> T1 below
                double sign = i == 0 ? -1 : 1;
                double x1 = xs[i] + (i == 0 ? boxW / 2 : -boxW / 2);
                double x2 = xs[j] + (i == 0 ? -boxW / 2 : boxW / 2);
                double y = cy + sign * 14;
                double cyCtrl = cy + sign * 110;
                out.append("<path class=\"waits\" d=\"M ").append(num(x1)).append(' ').append(num(y)).append(" Q ")
                        .append(num(cx)).append(' ').append(num(cyCtrl)).append(' ').append(num(x2)).append(' ')
                        .append(num(y)).append("\" marker-end=\"url(#arrow-").append(number).append(")\"/>\n");
                double ly = cy + sign * 62 + (sign < 0 ? -4 : 14);
                out.append("<text class=\"edge\" x=\"").append(num(cx)).append("\" y=\"").append(num(ly))
                        .append("\" text-anchor=\"middle\">").append(escape(t.name())).append(' ')
                        .append(escape(label)).append(", for ").append(escape(txs.get(j).name())).append("</text>\n");
            } else {
                double dx = xs[j] - xs[i];
                double dy = ys[j] - ys[i];
                double len = Math.max(1, Math.hypot(dx, dy));
                double shrink = 0.5 * Math.min(boxW * Math.abs(len / Math.max(1e-9, Math.abs(dx))),
                        boxH * Math.abs(len / Math.max(1e-9, Math.abs(dy))));
                shrink = Math.min(shrink, len / 2 - 4) + 4;
                double x1 = xs[i] + dx / len * shrink;
                double y1 = ys[i] + dy / len * shrink;
                double x2 = xs[j] - dx / len * shrink;
                double y2 = ys[j] - dy / len * shrink;
                out.append("<line class=\"waits\" x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1))
                        .append("\" x2=\"").append(num(x2)).append("\" y2=\"").append(num(y2))
                        .append("\" marker-end=\"url(#arrow-").append(number).append(")\"/>\n");
                double mx = (x1 + x2) / 2 + (-dy / len) * 16;
                double my = (y1 + y2) / 2 + (dx / len) * 16;
                out.append("<text class=\"edge\" x=\"").append(num(mx)).append("\" y=\"").append(num(my))
                        .append("\" text-anchor=\"middle\">").append(escape(label)).append("</text>\n");
            }
        }
        for (int i = 0; i < n; i++) {
            LockCycle.Transaction t = txs.get(i);
            out.append("<g class=\"tx").append(t.victim() ? " victim" : "").append("\">")
                    .append("<rect x=\"").append(num(xs[i] - boxW / 2)).append("\" y=\"").append(num(ys[i] - boxH / 2))
                    .append("\" width=\"").append(num(boxW)).append("\" height=\"").append(num(boxH))
                    .append("\" rx=\"8\"/>")
                    .append("<text class=\"name\" x=\"").append(num(xs[i])).append("\" y=\"").append(num(ys[i] - 6))
                    .append("\" text-anchor=\"middle\">").append(escape(t.name())).append(t.victim() ? " (victim)" : "")
                    .append("</text>")
                    .append("<text class=\"who\" x=\"").append(num(xs[i])).append("\" y=\"").append(num(ys[i] + 14))
                    .append("\" text-anchor=\"middle\">").append(escape(shortWho(t))).append("</text></g>\n");
        }
        out.append("</svg>\n<figcaption>");
        List<String> lines = PostmortemWriter.lockCycleLines(cycle);
        out.append("<ol class=\"cycle\">");
        for (String line : lines) {
            out.append("<li>").append(inline(line)).append("</li>");
        }
        out.append("</ol></figcaption>\n</figure>\n");
    }

    private static String shortWho(LockCycle.Transaction t) {
        if (t.callSite() != null && !t.callSite().isBlank()) {
            String site = t.callSite();
            int paren = site.indexOf('(');
            site = paren > 0 ? site.substring(0, paren) : site;
            int dot = site.lastIndexOf('.', site.lastIndexOf('.') - 1);
            return shorten(dot > 0 ? site.substring(dot + 1) : site, 26);
        }
        return t.thread() == null ? "" : "thread " + shorten(t.thread(), 19);
    }

    private static String shorten(String sql) {
        return shorten(sql, MAX_LABEL);
    }

    private static String shorten(String value, int max) {
        String s = value.replaceAll("\\s+", " ").strip();
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    // ------------------------------------------------------------------ Markdown to HTML

    /**
     * Converts the Markdown the postmortem writer produces (headings, paragraphs, lists, fenced code blocks,
     * code spans, strong emphasis, backslash escapes and the entities it writes) to HTML. Everything else is
     * escaped, so no text of a record can produce markup.
     *
     * @param markdown the document
     * @return the HTML fragment
     */
    public static String markdownToHtml(String markdown) {
        StringBuilder out = new StringBuilder(markdown.length() * 2);
        List<String> lines = markdown.lines().toList();
        boolean inList = false;
        StringBuilder paragraph = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String fence = fence(line);
            boolean item = line.startsWith("- ");
            if (!item && inList) {
                out.append("</ul>\n");
                inList = false;
            }
            if (fence != null || line.isBlank() || line.startsWith("#") || item) {
                flush(out, paragraph);
            }
            if (fence != null) {
                StringBuilder code = new StringBuilder();
                int j = i + 1;
                while (j < lines.size() && !lines.get(j).equals(fence)) {
                    code.append(lines.get(j)).append('\n');
                    j++;
                }
                String info = line.substring(fence.length()).strip();
                out.append("<pre><code").append(info.isEmpty() ? "" : " class=\"language-" + escape(info) + "\"")
                        .append('>').append(escape(code.toString().stripTrailing())).append("</code></pre>\n");
                i = j;
            } else if (line.isBlank()) {
                continue;
            } else if (line.startsWith("### ")) {
                out.append("<h3>").append(inline(line.substring(4))).append("</h3>\n");
            } else if (line.startsWith("## ")) {
                out.append("<h2>").append(inline(line.substring(3))).append("</h2>\n");
            } else if (line.startsWith("# ")) {
                out.append("<h1>").append(inline(line.substring(2))).append("</h1>\n");
            } else if (item) {
                if (!inList) {
                    out.append("<ul>\n");
                    inList = true;
                }
                out.append("<li>").append(inline(line.substring(2))).append("</li>\n");
            } else {
                if (paragraph.length() > 0) {
                    paragraph.append(' ');
                }
                paragraph.append(line);
            }
        }
        if (inList) {
            out.append("</ul>\n");
        }
        flush(out, paragraph);
        return out.toString();
    }

    private static void flush(StringBuilder out, StringBuilder paragraph) {
        if (paragraph.length() > 0) {
            out.append("<p>").append(inline(paragraph.toString())).append("</p>\n");
            paragraph.setLength(0);
        }
    }

    /** The fence of a fenced code block's opening line (three or more backticks), or {@code null}. */
    private static String fence(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == '`') {
            n++;
        }
        return n >= 3 && line.indexOf('`', n) < 0 ? line.substring(0, n) : null;
    }

    /** Inline Markdown to HTML: code spans, {@code **strong**}, backslash escapes, entities; the rest escaped. */
    static String inline(String s) {
        StringBuilder out = new StringBuilder(s.length() + 32);
        boolean strong = false;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && isAsciiPunctuation(s.charAt(i + 1))) {
                escapeChar(out, s.charAt(i + 1));
                i += 2;
            } else if (c == '`') {
                int run = run(s, i, '`');
                int close = closing(s, i + run, run);
                if (close < 0) {
                    out.append("`".repeat(run));
                    i += run;
                    continue;
                }
                String code = s.substring(i + run, close);
                if (code.length() >= 2 && code.startsWith(" ") && code.endsWith(" ") && !code.isBlank()) {
                    code = code.substring(1, code.length() - 1);
                }
                out.append("<code>").append(escape(code)).append("</code>");
                i = close + run;
            } else if (c == '*' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                out.append(strong ? "</strong>" : "<strong>");
                strong = !strong;
                i += 2;
            } else if (c == '&') {
                int semi = s.indexOf(';', i);
                String entity = semi > i ? s.substring(i, semi + 1) : "";
                if (entity.matches("&(amp|lt|gt|quot|#[0-9]{1,6});")) {
                    out.append(entity);
                    i = semi + 1;
                } else {
                    out.append("&amp;");
                    i++;
                }
            } else {
                escapeChar(out, c);
                i++;
            }
        }
        if (strong) {
            out.append("</strong>");
        }
        return out.toString();
    }

    private static int run(String s, int from, char c) {
        int n = 0;
        while (from + n < s.length() && s.charAt(from + n) == c) {
            n++;
        }
        return n;
    }

    /** The start of the next backtick run of exactly {@code length} from {@code from}, or -1. */
    private static int closing(String s, int from, int length) {
        int i = from;
        while (i < s.length()) {
            if (s.charAt(i) == '`') {
                int n = run(s, i, '`');
                if (n == length) {
                    return i;
                }
                i += n;
            } else {
                i++;
            }
        }
        return -1;
    }

    private static boolean isAsciiPunctuation(char c) {
        return c < 128 && "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".indexOf(c) >= 0;
    }

    /**
     * Escapes text for HTML element content and quoted attribute values.
     *
     * @param value the text, may be {@code null}
     * @return the escaped text
     */
    public static String escape(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            escapeChar(out, value.charAt(i));
        }
        return out.toString();
    }

    private static void escapeChar(StringBuilder out, char c) {
        switch (c) {
            case '<' -> out.append("&lt;");
            case '>' -> out.append("&gt;");
            case '&' -> out.append("&amp;");
            case '"' -> out.append("&quot;");
            case '\'' -> out.append("&#39;");
            default -> {
                if (c < 0x20 && c != '\n' && c != '\t') {
                    out.append(' ');
                } else {
                    out.append(c);
                }
            }
        }
    }

    private static final String STYLE = """
            body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330; \
            background: #f6f7f9; margin: 0; }
            main { max-width: 960px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
            h1 { font-size: 26px; margin: 8px 0 4px; }
            h2 { font-size: 20px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #e3e6eb; }
            h3 { font-size: 16px; margin: 20px 0 6px; }
            code { font: 13px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; background: #f0f2f5; \
            padding: 1px 4px; border-radius: 3px; }
            pre { background: #f0f2f5; padding: 10px 12px; border-radius: 6px; overflow-x: auto; }
            pre code { background: none; padding: 0; }
            ul, ol { padding-left: 22px; }
            li { margin: 3px 0; }
            figure { margin: 12px 0 20px; }
            figcaption { color: #4a5263; font-size: 14px; }
            svg { width: 100%; height: auto; background: #fff; border: 1px solid #e3e6eb; border-radius: 6px; }
            svg text { font: 12px system-ui, sans-serif; fill: #1d2330; }
            svg .axis { fill: #6b7385; }
            svg .axis.right { fill: #7a1b12; }
            svg .grid { stroke: #eceef2; stroke-width: 1; }
            svg rect.calls { fill: #c5cad3; }
            svg rect.failures { fill: #d93a2b; }
            svg .rate { fill: none; stroke: #7a1b12; stroke-width: 2; }
            svg line.moment { stroke: #3558c9; stroke-width: 1; stroke-dasharray: 4 3; }
            svg text.moment { fill: #3558c9; font-size: 11px; }
            svg .tx rect { fill: #eef3ff; stroke: #3558c9; stroke-width: 1.5; }
            svg .tx.victim rect { fill: #fdecea; stroke: #d93a2b; }
            svg .tx .name { font-weight: 600; font-size: 14px; }
            svg .tx .who { fill: #4a5263; font-size: 11px; }
            svg .waits { fill: none; stroke: #4a5263; stroke-width: 1.6; }
            svg .arrowhead { fill: #4a5263; }
            svg text.edge { font: 12px ui-monospace, Menlo, Consolas, monospace; fill: #1d2330; }
            p.note { color: #4a5263; font-style: italic; }
            footer { margin-top: 32px; color: #6b7385; font-size: 13px; }
            """;
}
