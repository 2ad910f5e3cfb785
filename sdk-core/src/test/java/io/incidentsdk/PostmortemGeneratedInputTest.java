package io.incidentsdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile strings in every text field of every record must never change the structure of the document.
 * Each case builds the same incidents twice from one seed: once with benign words, once with random strings
 * made of Markdown, HTML and autolink syntax. The block structure of the two documents (which line is a
 * heading, a list item, a fence, a paragraph...) must be identical, and neither may contain a link, an
 * HTML tag, a table row, a block quote or a stray code span outside the places the writer puts them.
 */
class PostmortemGeneratedInputTest {

    private static final long MASTER_SEED = 20_250_301L;
    private static final int CASES = 60;

    private static final List<String> PIECES = List.of(
            "# ", "## ", "###### x", "- ", "+ ", "* ", "1. ", "2) ", "> ", ">> quote", "|", "| a | b |",
            "|---|---|", "[x](javascript:alert(1))", "![i](http://e.example/x.png)", "[ref]: http://x.example",
            "[^1]", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<!-- c -->", "</div>",
            "<https://x.example>", "`", "``", "```", "````sql", "~~~", "~~s~~", "***", "---", "___", "===",
            "**b**", "_i_", "\\", "\\\n", "&lt;", "&#60;", "&amp;", "http://evil.example",
            "https://evil.example/p?q=1", "www.evil.example", "WWW.Evil.example", "mailto:a@b.example",
            "a@b.example", "$x$", "\n", "\r\n", "\n# injected", "\n- item", "\n```\n", "\n    indented",
            "\u2028", "\u202e", "\t", "    code", "@team", ":", "{", "}", "(", ")", "!", "=", "a", "word",
            "1", ".", " ", "\u0000", "\u001b[31m", "é", "\uD83D\uDE00");

    private static final List<String> TIMELINE_TYPES = List.of(TimelineEntry.FIRST_FAILURE, TimelineEntry.DETECTED,
            TimelineEntry.RETRY_ABSORBED, TimelineEntry.SPIKE_OPENED, TimelineEntry.PEAK, TimelineEntry.NOTE,
            TimelineEntry.SEVERITY_CHANGED, TimelineEntry.RESOLVED);

    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})(?: |$).*");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,}).*");
    private static final Pattern LIST_ITEM = Pattern.compile("^ {0,3}(?:[-+*]|\\d{1,9}[.)])(?: |$).*");
    private static final Pattern THEMATIC_BREAK = Pattern.compile("^ {0,3}(?:(?:\\* *){3,}|(?:- *){3,}|(?:_ *){3,})$");
    private static final Pattern SETEXT = Pattern.compile("^ {0,3}(?:=+|-+) *$");
    private static final Pattern SQL_FENCE = Pattern.compile("^(`{3,})sql$");

    static Stream<Arguments> seeds() {
        Random master = new Random(MASTER_SEED);
        return Stream.generate(master::nextLong).limit(CASES).map(Arguments::of);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void hostileTextNeverChangesTheStructureOfTheDocument(long seed) {
        List<Incident> benign = scenario(seed, benignWords());
        List<Incident> hostile = scenario(seed, hostileStrings(new Random(seed ^ 0x5DEECE66DL)));

        String benignDoc = Postmortem.render(benign);
        String hostileDoc = Postmortem.render(hostile);

        assertThat(blockStructure(hostileDoc)).as("block structure").isEqualTo(blockStructure(benignDoc));
        assertThat(headings(hostileDoc)).as("headings").containsExactlyElementsOf(expectedHeadings(hostile));
        assertThat(unescapedAsterisks(hostileDoc)).as("emphasis markers").isEqualTo(unescapedAsterisks(benignDoc));
        for (String doc : List.of(benignDoc, hostileDoc)) {
            assertNoInlineInjection(doc);
            assertFencesHoldOneLineEach(doc);
        }
        assertThat(Postmortem.render(hostile)).as("deterministic").isEqualTo(hostileDoc);
    }

    // ------------------------------------------------------------------ scenarios

    private static Supplier<String> benignWords() {
        int[] n = {0};
        return () -> "word" + (++n[0]);
    }

    /** Random strings of Markdown, HTML and autolink syntax, each ending in a unique word so none is blank. */
    private static Supplier<String> hostileStrings(Random random) {
        int[] n = {0};
        return () -> {
            StringBuilder s = new StringBuilder();
            int pieces = 1 + random.nextInt(3);
            for (int i = 0; i < pieces; i++) {
                s.append(PIECES.get(random.nextInt(PIECES.size())));
            }
            if (s.length() > 40) {
                s.setLength(40); // stays within every bound of the record, so the unique word is never cut
            }
            return s.append(" z").append(++n[0]).toString();
        };
    }

    /** Builds incidents whose shape depends only on {@code seed}; every string comes from {@code text}. */
    private static List<Incident> scenario(long seed, Supplier<String> text) {
        Random shape = new Random(seed);
        Instant t0 = Instant.parse("2025-03-01T09:00:00Z");
        int count = 1 + shape.nextInt(4);
        List<Incident> incidents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            IncidentKind kind = i == 0 && shape.nextBoolean() ? IncidentKind.ERROR_SPIKE
                    : IncidentKind.values()[shape.nextInt(IncidentKind.values().length)];
            Instant first = t0.plusSeconds(i * 600L + shape.nextInt(60));
            Incident.Builder b = Incident.builder(kind, text.get())
                    .incidentId(text.get())
                    .severity(Severity.values()[shape.nextInt(Severity.values().length)])
                    .firstSeen(first)
                    .lastSeen(first.plusSeconds(shape.nextInt(5_000)))
                    .occurrences(1 + shape.nextInt(1_000))
                    .suppressed(shape.nextInt(3))
                    .service(new ServiceInfo(text.get(), maybe(shape, text), maybe(shape, text), maybe(shape, text)));
            if (shape.nextBoolean()) {
                b.resolvedAt(first.plusSeconds(5_000 + shape.nextInt(5_000)));
            }
            if (shape.nextBoolean()) {
                b.summary(text.get());
            }
            if (shape.nextBoolean()) {
                b.database(new DatabaseInfo(maybe(shape, text), maybe(shape, text), maybe(shape, text),
                        maybe(shape, text), null));
            }
            if (shape.nextBoolean()) {
                Boolean rolledBack = shape.nextBoolean() ? null : shape.nextBoolean();
                b.error(new ErrorInfo(maybe(shape, text), maybe(shape, text),
                        shape.nextBoolean() ? shape.nextInt(2_000) : null, maybe(shape, text), maybe(shape, text),
                        rolledBack));
            }
            int statements = shape.nextInt(4);
            for (int s = 0; s < statements; s++) {
                StatementInfo.Role role = StatementInfo.Role.values()[shape.nextInt(StatementInfo.Role.values().length)];
                List<String> earlier = new ArrayList<>();
                int n = shape.nextInt(4);
                for (int e = 0; e < n; e++) {
                    earlier.add(text.get());
                }
                b.statement(new StatementInfo(role, maybe(shape, text), maybe(shape, text), maybe(shape, text),
                        maybe(shape, text), maybe(shape, text), shape.nextBoolean() ? (long) shape.nextInt(10_000) : null,
                        earlier));
            }
            if (shape.nextBoolean()) {
                RetryInfo.Outcome outcome = RetryInfo.Outcome.values()[shape.nextInt(RetryInfo.Outcome.values().length)];
                b.retry(new RetryInfo(1 + shape.nextInt(5), outcome, maybe(shape, text)));
            }
            if (kind == IncidentKind.ERROR_SPIKE || shape.nextInt(4) == 0) {
                Map<String, Long> categories = new LinkedHashMap<>();
                int n = shape.nextInt(4);
                for (int c = 0; c < n; c++) {
                    categories.put(text.get(), (long) shape.nextInt(500));
                }
                List<String> top = new ArrayList<>();
                int tops = shape.nextInt(3);
                for (int f = 0; f < tops; f++) {
                    top.add(text.get());
                }
                long calls = 1 + shape.nextInt(10_000);
                long failures = shape.nextInt((int) calls + 1);
                b.impact(new Impact(shape.nextBoolean() ? Duration.ofSeconds(1 + shape.nextInt(600)) : null, calls,
                        failures, (double) failures / calls, categories, top));
            }
            int hints = shape.nextInt(4);
            for (int h = 0; h < hints; h++) {
                b.hint(text.get());
            }
            int entries = shape.nextInt(6);
            for (int e = 0; e < entries; e++) {
                String type = shape.nextInt(5) == 0 ? text.get() : TIMELINE_TYPES.get(shape.nextInt(TIMELINE_TYPES.size()));
                b.timeline(new TimelineEntry(first.plusMillis(shape.nextInt(9_000_000)), type, maybe(shape, text)));
            }
            int attributes = shape.nextInt(3);
            for (int a = 0; a < attributes; a++) {
                b.attribute(text.get(), text.get());
            }
            if (shape.nextBoolean()) {
                b.trace(new TraceInfo(maybe(shape, text), maybe(shape, text)));
            }
            incidents.add(b.build());
        }
        return incidents;
    }

    /** A string from {@code text} or, decided by {@code shape} alone, {@code null}. */
    private static String maybe(Random shape, Supplier<String> text) {
        return shape.nextInt(3) == 0 ? null : text.get();
    }

    // ------------------------------------------------------------------ reading Markdown like a renderer

    /** One token per line: what kind of block the line starts or belongs to. */
    private static List<String> blockStructure(String doc) {
        List<String> kinds = new ArrayList<>();
        String fence = null;
        for (String line : doc.split("\n", -1)) {
            if (fence != null) {
                if (line.strip().equals(fence)) {
                    kinds.add("fence-close");
                    fence = null;
                } else {
                    kinds.add("code");
                }
                continue;
            }
            Matcher f = FENCE.matcher(line);
            Matcher h = HEADING.matcher(line);
            if (line.isBlank()) {
                kinds.add("blank");
            } else if (f.matches()) {
                fence = f.group(1);
                kinds.add("fence-open");
            } else if (h.matches()) {
                kinds.add("h" + h.group(1).length());
            } else if (THEMATIC_BREAK.matcher(line).matches()) {
                kinds.add("thematic-break");
            } else if (LIST_ITEM.matcher(line).matches()) {
                kinds.add("list-item");
            } else if (SETEXT.matcher(line).matches()) {
                kinds.add("setext-underline");
            } else if (line.startsWith("    ") || line.startsWith("\t")) {
                kinds.add("indented-code");
            } else if (line.stripLeading().startsWith(">")) {
                kinds.add("quote");
            } else if (line.stripLeading().startsWith("<")) {
                kinds.add("html");
            } else if (line.stripLeading().startsWith("|")) {
                kinds.add("table");
            } else {
                kinds.add("paragraph");
            }
        }
        assertThat(fence).as("every fence is closed").isNull();
        assertThat(kinds).doesNotContain("thematic-break", "setext-underline", "indented-code", "quote", "html",
                "table");
        return kinds;
    }

    private static List<String> headings(String doc) {
        List<String> headings = new ArrayList<>();
        String fence = null;
        for (String line : doc.split("\n", -1)) {
            Matcher f = FENCE.matcher(line);
            if (fence != null) {
                if (line.strip().equals(fence)) {
                    fence = null;
                }
            } else if (f.matches()) {
                fence = f.group(1);
            } else {
                Matcher h = HEADING.matcher(line);
                if (h.matches()) {
                    headings.add(h.group(1));
                }
            }
        }
        return headings;
    }

    private static List<String> expectedHeadings(List<Incident> incidents) {
        List<String> expected = new ArrayList<>(List.of("#", "##", "##"));
        expected.add("##"); // Root Cause and Resolution
        for (int i = 0; i < incidents.size(); i++) {
            expected.add("###");
        }
        expected.addAll(List.of("##", "##", "##"));
        return expected;
    }

    /** The lines outside fenced code blocks, with code spans replaced by {@code C} and escapes by {@code E}. */
    private static List<String> inlineText(String doc) {
        List<String> lines = new ArrayList<>();
        String fence = null;
        for (String line : doc.split("\n", -1)) {
            Matcher f = FENCE.matcher(line);
            if (fence != null) {
                if (line.strip().equals(fence)) {
                    fence = null;
                }
                continue;
            }
            if (f.matches()) {
                fence = f.group(1);
                continue;
            }
            lines.add(withoutCodeSpansAndEscapes(line));
        }
        return lines;
    }

    private static String withoutCodeSpansAndEscapes(String line) {
        StringBuilder out = new StringBuilder(line.length());
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length() && isAsciiPunctuation(line.charAt(i + 1))) {
                out.append('E');
                i += 2;
            } else if (c == '`') {
                int run = runLength(line, i);
                int close = closingRun(line, i + run, run);
                if (close < 0) {
                    out.append(line, i, i + run); // a backtick run that opens nothing: left for the checks to see
                    i += run;
                } else {
                    out.append('C');
                    i = close + run;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int runLength(String line, int from) {
        int end = from;
        while (end < line.length() && line.charAt(end) == '`') {
            end++;
        }
        return end - from;
    }

    private static int closingRun(String line, int from, int length) {
        int i = from;
        while (i < line.length()) {
            if (line.charAt(i) == '`') {
                int run = runLength(line, i);
                if (run == length) {
                    return i;
                }
                i += run;
            } else {
                i++;
            }
        }
        return -1;
    }

    private static boolean isAsciiPunctuation(char c) {
        return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~';
    }

    private static void assertNoInlineInjection(String doc) {
        for (String line : inlineText(doc)) {
            assertThat(line).as("inline text of: %s", line)
                    .doesNotContain("<", ">", "[", "]", "|", "`", "~", "$", "\\")
                    .doesNotContain("://")
                    .doesNotContain("@");
            assertThat(line.toLowerCase(Locale.ROOT)).as("autolink in: %s", line).doesNotContain("www.");
            Matcher amp = Pattern.compile("&(?!lt;|gt;|amp;)").matcher(line);
            assertThat(amp.find()).as("raw entity in: %s", line).isFalse();
        }
    }

    private static long unescapedAsterisks(String doc) {
        return inlineText(doc).stream().mapToLong(l -> l.chars().filter(c -> c == '*').count()).sum();
    }

    /** Every fenced block is an {@code sql} block of exactly one line whose fence is longer than its backtick runs. */
    private static void assertFencesHoldOneLineEach(String doc) {
        String[] lines = doc.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher f = FENCE.matcher(lines[i]);
            if (f.matches()) {
                Matcher sql = SQL_FENCE.matcher(lines[i]);
                assertThat(sql.matches()).as("fence line %s", lines[i]).isTrue();
                String fence = sql.group(1);
                assertThat(lines[i + 2]).as("fence closes after one line").isEqualTo(fence);
                assertThat(lines[i + 1]).doesNotContain(fence);
                i += 2;
            }
        }
    }
}
