package io.incidentsdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.internal.postmortem.HumanFormat;
import io.incidentsdk.internal.postmortem.Markdown;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The escaping and formatting rules the postmortem writer relies on, one case per rule. */
class PostmortemMarkdownTest {

    static Stream<Arguments> escapes() {
        return Stream.of(
                Arguments.of("# Drop", "\\# Drop"),
                Arguments.of("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
                Arguments.of("![i](x.png)", "\\!\\[i\\](x.png)"),
                Arguments.of("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
                Arguments.of("a & b &lt;", "a &amp; b &amp;lt;"),
                Arguments.of("**bold** and *it*", "\\*\\*bold\\*\\* and \\*it\\*"),
                Arguments.of("_it_ but LOCK_TIMEOUT stays", "\\_it\\_ but LOCK_TIMEOUT stays"),
                Arguments.of("a_ b", "a\\_ b"),
                Arguments.of("~~gone~~", "\\~\\~gone\\~\\~"),
                Arguments.of("| a | b |", "\\| a \\| b \\|"),
                Arguments.of("`code` and ```", "\\`code\\` and \\`\\`\\`"),
                Arguments.of("back\\slash\\", "back\\\\slash\\\\"),
                Arguments.of("$x$", "\\$x\\$"),
                Arguments.of("- item", "\\- item"),
                Arguments.of("+ item", "\\+ item"),
                Arguments.of("= underline", "\\= underline"),
                Arguments.of("> quote", "&gt; quote"),
                Arguments.of("1. first", "1\\. first"),
                Arguments.of("12) first", "12\\) first"),
                Arguments.of("1.4.2", "1.4.2"),
                Arguments.of("a - b + c = d 1. e", "a - b + c = d 1. e"),
                Arguments.of("see https://evil.example/x", "see https\\://evil.example/x"),
                Arguments.of("www.evil.example and WWW.evil.example", "www\\.evil.example and WWW\\.evil.example"),
                Arguments.of("mail a@b.example", "mail a\\@b.example"),
                Arguments.of("Note: time 10:00", "Note: time 10:00"),
                Arguments.of("line\nbreak\r\n# heading", "line break \\# heading"),
                Arguments.of("  \t padded \n ", "padded"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("escapes")
    void inlineTextIsEscaped(String input, String expected) {
        assertThat(Markdown.text(input)).isEqualTo(expected);
    }

    @Test
    void nullAndBlankTextAreEmptyAndNotPresent() {
        assertThat(Markdown.text(null)).isEmpty();
        assertThat(Markdown.text(" \n\t ")).isEmpty();
        assertThat(Markdown.present(null)).isFalse();
        assertThat(Markdown.present("\u202e \u0000")).isFalse();
        assertThat(Markdown.present("x")).isTrue();
        assertThat(Markdown.singleLine(null)).isNull();
    }

    @Test
    void singleLineDropsControlAndBidiCharactersAndRepairsLoneSurrogates() {
        assertThat(Markdown.singleLine("a\u0000b\u0007c\u009bd")).isEqualTo("abcd");
        assertThat(Markdown.singleLine("evil\u202egnp.exe\u2066x\u2069")).isEqualTo("evilgnp.exex");
        assertThat(Markdown.singleLine("lone \uD83D high, pair \uD83D\uDE00, lone \uDE00 low"))
                .isEqualTo("lone \uFFFD high, pair \uD83D\uDE00, lone \uFFFD low");
        assertThat(Markdown.singleLine("a\u2028b\u2029c\u0085d\fe\u000bf")).isEqualTo("a b c d e f");
    }

    @Test
    void codeSpansUseALongerDelimiterThanAnyBacktickRunInside() {
        assertThat(Markdown.code("stmt:upd-account")).isEqualTo("`stmt:upd-account`");
        assertThat(Markdown.code("a`b")).isEqualTo("``a`b``");
        assertThat(Markdown.code("a``b`c")).isEqualTo("```a``b`c```");
        assertThat(Markdown.code("`a")).isEqualTo("`` `a ``");
        assertThat(Markdown.code("b`")).isEqualTo("`` b` ``");
        assertThat(Markdown.code("<b>|x|")).isEqualTo("`<b>|x|`");
        assertThat(Markdown.code(" \n")).isEqualTo("(empty)");
        assertThat(Markdown.code(null)).isEqualTo("(empty)");
    }

    @Test
    void codeBlocksAreFencedLongerThanTheContentAndKeepItOnOneLine() {
        assertThat(Markdown.codeBlock("sql", "SELECT 1")).isEqualTo("```sql\nSELECT 1\n```");
        assertThat(Markdown.codeBlock("sql", "SELECT '````' FROM t")).isEqualTo("`````sql\nSELECT '````' FROM t\n`````");
        assertThat(Markdown.codeBlock("sql", "SELECT 1\n```\n# not a heading")).isEqualTo(
                "````sql\nSELECT 1 ``` # not a heading\n````");
        assertThat(Markdown.codeBlock("", null)).isEqualTo("```\n\n```");
    }

    static Stream<Arguments> durations() {
        return Stream.of(
                Arguments.of(Duration.ZERO, "0 s"),
                Arguments.of(Duration.ofMillis(120), "120 ms"),
                Arguments.of(Duration.ofMillis(45_999), "45 s"),
                Arguments.of(Duration.ofSeconds(60), "1 min"),
                Arguments.of(Duration.ofSeconds(65), "1 min 5 s"),
                Arguments.of(Duration.ofMinutes(150), "2 h 30 min"),
                Arguments.of(Duration.ofHours(3).plusSeconds(59), "3 h"),
                Arguments.of(Duration.ofHours(26), "1 d 2 h"),
                Arguments.of(Duration.ofDays(2), "2 d"),
                Arguments.of(Duration.ofSeconds(-5), "0 s"));
    }

    @ParameterizedTest(name = "{0} reads {1}")
    @MethodSource("durations")
    void durationsReadLikeAPersonWritesThem(Duration duration, String expected) {
        assertThat(HumanFormat.duration(duration)).isEqualTo(expected);
    }

    @Test
    void timesAreUtcToTheSecondOrMillisecond() {
        assertThat(HumanFormat.time(Instant.parse("2025-03-01T09:00:00Z"))).isEqualTo("2025-03-01T09:00:00Z");
        assertThat(HumanFormat.time(Instant.parse("2025-03-01T09:00:00.250Z"))).isEqualTo("2025-03-01T09:00:00.250Z");
        assertThat(HumanFormat.time(Instant.parse("2025-03-01T09:00:00.123456789Z")))
                .isEqualTo("2025-03-01T09:00:00.123Z");
        assertThat(HumanFormat.time(Instant.parse("2025-03-01T09:00:00.000999Z"))).isEqualTo("2025-03-01T09:00:00Z");
    }

    @Test
    void sharesHaveAtMostOneDecimal() {
        assertThat(HumanFormat.percent(0.31)).isEqualTo("31%");
        assertThat(HumanFormat.percent(3007.0 / 3100)).isEqualTo("97%");
        assertThat(HumanFormat.percent(0.9675)).isEqualTo("96.8%");
        assertThat(HumanFormat.percent(1.0)).isEqualTo("100%");
        assertThat(HumanFormat.percent(0.0)).isEqualTo("0%");
        assertThat(HumanFormat.percent(0.0004)).isEqualTo("0%");
        assertThat(HumanFormat.percent(Double.NaN)).isEqualTo("unknown %");
    }

    @Test
    void countsAgreeWithTheirNoun() {
        assertThat(HumanFormat.count(1, "occurrence", "occurrences")).isEqualTo("1 occurrence");
        assertThat(HumanFormat.count(0, "occurrence", "occurrences")).isEqualTo("0 occurrences");
        assertThat(HumanFormat.count(2367, "occurrence", "occurrences")).isEqualTo("2367 occurrences");
    }
}
