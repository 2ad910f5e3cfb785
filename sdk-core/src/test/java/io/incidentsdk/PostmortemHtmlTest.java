package io.incidentsdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The HTML postmortem: one self-contained page, the pictures present, every text of a record escaped. */
class PostmortemHtmlTest {

    @Test
    void thePageHasTheChartTheLockCycleAndTheMarkdownSectionsAndNeedsNothingFromOutside() {
        String html = Postmortem.renderHtml(ReportFixtures.outage(""));

        assertThat(html).startsWith("<!DOCTYPE html>")
                .contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                        + "style-src 'unsafe-inline'\">")
                .contains("<svg id=\"error-rate-chart\"")
                .contains("<svg class=\"lock-cycle\" id=\"lock-cycle-1\"")
                .contains("<h2>Issue Summary</h2>", "<h2>Error rate over time</h2>", "<h2>Lock cycle</h2>",
                        "<h2>Timeline</h2>", "<h2>Root Cause and Resolution</h2>",
                        "<h2>Corrective and Preventative Measures</h2>", "<h2>Misleading Paths</h2>",
                        "<h2>Escalation</h2>")
                .contains("T1 waits in UPDATE accounts SET balance = balance + ? WHERE id = ?, for T2")
                .contains("T2 waits in UPDATE accounts SET balance = balance - ? WHERE id = ?, for T1")
                .contains("<strong>T1</strong> (the victim, thread <code>worker-1</code>")
                .contains("<pre><code class=\"language-sql\">" + ReportFixtures.CREDIT + "</code></pre>");
        assertThat(html.indexOf("<h2>Issue Summary</h2>")).isLessThan(html.indexOf("<svg id=\"error-rate-chart\""));
        assertThat(html.indexOf("<svg class=\"lock-cycle\"")).isLessThan(html.indexOf("<h2>Timeline</h2>"));
        // 40 buckets: 40 bars of calls, one rate line, the timeline's moments on the axis
        assertThat(html.split("<rect class=\"calls\"", -1)).hasSize(40 + 1 + 1); // and the legend's
        assertThat(html).contains(">first failure</text>", ">spike opened</text>", ">peak</text>", ">resolved</text>");
        // nothing from outside: no script, no link, no URL
        assertThat(html).doesNotContain("<script", "<link", "<img", "src=", "href=", "http:", "https:", "@import",
                "url(http", "//");
    }

    @Test
    void withoutATimeSeriesThePageSaysSoAndStillDrawsTheCycle() {
        String html = Postmortem.renderHtml(ReportFixtures.outage("").get(1));

        assertThat(html).contains("No time series of calls and failures was recorded")
                .doesNotContain("id=\"error-rate-chart\"").contains("class=\"lock-cycle\"");
    }

    static List<String> hostile() {
        return List.of("<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "`</code><b>x</b>`",
                "**bold** & &lt;entity&gt; &#60;script&#62;", "</svg><svg onload=alert(1)>", "\\<i>escaped\\</i>",
                "line\nbreak\u2028<style>body{display:none}</style>");
    }

    private static final Pattern TAG = Pattern.compile("<\\s*/?\\s*([a-zA-Z][a-zA-Z0-9-]*)");
    private static final java.util.Set<String> OURS = java.util.Set.of("!doctype", "html", "head", "meta", "title",
            "style", "body", "main", "h1", "h2", "h3", "p", "ul", "ol", "li", "code", "pre", "strong", "figure",
            "figcaption", "svg", "defs", "marker", "path", "line", "rect", "text", "g", "footer");

    @ParameterizedTest(name = "hostile text {index}")
    @MethodSource("hostile")
    void everyTextOfARecordIsEscaped(String hostile) {
        List<Incident> records = ReportFixtures.outage(hostile);

        String html = Postmortem.renderHtml(records);

        java.util.regex.Matcher tags = TAG.matcher(html);
        while (tags.find()) {
            assertThat(OURS).as("element <%s> in %s", tags.group(1), hostile)
                    .contains(tags.group(1).toLowerCase(java.util.Locale.ROOT));
        }
        assertThat(Pattern.compile("<[^>]*\\son[a-z]+\\s*=").matcher(html).find()).as("an event handler attribute")
                .isFalse();
        assertThat(html).doesNotContain("<script").doesNotContain("<img");
        assertThat(html.split("<style>", -1)).hasSize(2); // only ours
    }
}
