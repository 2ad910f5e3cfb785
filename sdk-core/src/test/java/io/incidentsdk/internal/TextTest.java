package io.incidentsdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentsdk.Fixtures;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TextTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void nullStaysNull() {
        assertThat(Text.clean(null, 100)).isNull();
    }

    @Test
    void aCleanShortStringIsReturnedUnchanged() {
        String value = "Deadlock on UPDATE account \u00e9";
        String withPair = "Deadlock \uD83D\uDE00 on UPDATE account";

        assertThat(Text.clean(value, 100)).isSameAs(value);
        assertThat(Text.clean(withPair, 100)).isEqualTo(withPair);
    }

    @Test
    void lineBreaksAndBlanksBecomeOneSpaceAndTheResultIsTrimmed() {
        assertThat(Text.clean("  a\n\n b\t\tc \r\n d\u000b\fe  ", 100)).isEqualTo("a b c d e");
    }

    @Test
    void unicodeLineSeparatorsAndNextLineBecomeSpaces() {
        assertThat(Text.clean("a\u2028b\u2029c\u0085d", 100)).isEqualTo("a b c d");
    }

    @Test
    void ansiEscapeSequencesAreRemoved() {
        assertThat(Text.clean("\u001b[31mred\u001b[0m and \u001b[1;4;38;5;196mbold\u001b[m", 100))
                .isEqualTo("red and bold");
        assertThat(Text.clean("osc \u001b]0;title\u0007done and \u001b]8;;http://x\u001b\\link", 100))
                .isEqualTo("osc done and link");
        assertThat(Text.clean("two-char \u001bMescape", 100)).isEqualTo("two-char escape");
        assertThat(Text.clean("cut off at the end \u001b[31", 100)).isEqualTo("cut off at the end");
    }

    @Test
    void otherC0AndC1ControlCharactersAreRemoved() {
        assertThat(Text.clean("a\u0000b\u0007c\bd\u007fe\u0080f\u009bg\u009fh", 100)).isEqualTo("abcdefgh");
    }

    @Test
    void loneSurrogatesBecomeReplacementCharactersAndPairsAreKept() {
        assertThat(Text.clean("a\uD83Db", 100)).isEqualTo("a\uFFFDb");
        assertThat(Text.clean("a\uDE00b", 100)).isEqualTo("a\uFFFDb");
        assertThat(Text.clean("ab\uD83D", 100)).isEqualTo("ab\uFFFD");
        assertThat(Text.clean("\uDE00\uD83D", 100)).isEqualTo("\uFFFD\uFFFD");
        assertThat(Text.clean("x\uD83D\uDE00y", 100)).isEqualTo("x\uD83D\uDE00y");
    }

    @Test
    void aTenMegabyteStringIsCutToItsBoundWithAMarker() {
        String huge = "x".repeat(10 * 1024 * 1024);

        String cleaned = Text.clean(huge, Limits.TITLE);

        assertThat(cleaned).hasSize(Limits.TITLE).endsWith(Text.TRUNCATION_MARKER)
                .startsWith("x".repeat(Limits.TITLE - Text.TRUNCATION_MARKER.length()));
    }

    @Test
    void aStringOfExactlyTheBoundIsNotCut() {
        String value = "y".repeat(40);

        assertThat(Text.clean(value, 40)).isEqualTo(value);
        assertThat(Text.clean(value + "\n", 40)).isEqualTo(value);
        assertThat(Text.clean(value + "z", 40)).endsWith(Text.TRUNCATION_MARKER).hasSize(40);
    }

    @Test
    void aLongRunOfRemovedCharactersIsStillBoundedAndMarked() {
        String value = "\u0000".repeat(100_000) + "late text";

        assertThat(Text.clean(value, 16)).isEqualTo(Text.TRUNCATION_MARKER);
    }

    @Test
    void truncationNeverSplitsASurrogatePair() {
        String pairs = "\uD83D\uDE00".repeat(200);
        for (int max = 16; max <= 64; max++) {
            for (String prefix : new String[] {"", "a", "ab"}) {
                String cleaned = Text.clean(prefix + pairs, max);

                assertThat(cleaned).as("max %d, prefix '%s'", max, prefix)
                        .endsWith(Text.TRUNCATION_MARKER)
                        .hasSizeLessThanOrEqualTo(max);
                assertThat(hasLoneSurrogate(cleaned)).as("lone surrogate in %s", cleaned).isFalse();
                assertThat(cleaned).doesNotContain("\uFFFD");
            }
        }
    }

    @Test
    void aBoundBelowSixteenIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Text.clean("x", 15)).withMessageContaining("max");
    }

    @Test
    void requireNamesTheParameterWhenTheValueIsNull() {
        assertThatNullPointerException().isThrownBy(() -> Text.require(null, 100, "title"))
                .withMessage("title must not be null");
        assertThat(Text.require(" a\nb ", 100, "title")).isEqualTo("a b");
    }

    @Test
    void anIdentifierIsNeverEmpty() {
        assertThat(Text.cleanId(null, 64)).isNull();
        assertThat(Text.cleanId(" \n\u0000 ", 64)).isNull();
        assertThat(Text.cleanId(" id-1\n", 64)).isEqualTo("id-1");
        assertThat(Text.requireId(" id-1\n", 64, "incidentId")).isEqualTo("id-1");
        assertThatIllegalArgumentException().isThrownBy(() -> Text.requireId("\u001b[0m", 64, "incidentId"))
                .withMessage("incidentId must not be blank");
        assertThatNullPointerException().isThrownBy(() -> Text.requireId(null, 64, "incidentId"))
                .withMessage("incidentId must not be null");
    }

    @ParameterizedTest(name = "hostile string {index}")
    @MethodSource("hostileStrings")
    void everyHostileStringBecomesASafeSingleLine(String hostile) throws Exception {
        String cleaned = Text.clean(hostile, 64);

        assertSafeSingleLine(cleaned, 64);
        assertThat(JSON.writeValueAsString(cleaned)).doesNotContain("\n", "\r", "\u2028", "\u2029", "\u001b");
    }

    static Stream<String> hostileStrings() {
        return Fixtures.HOSTILE.stream();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void generatedStringsAreAlwaysBoundedSingleLinesAndCleaningIsIdempotent(long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            String input = randomNastyString(random, random.nextInt(600));
            int max = 16 + random.nextInt(300);

            String cleaned = Text.clean(input, max);

            assertSafeSingleLine(cleaned, max);
            assertThat(Text.clean(cleaned, max)).as("idempotent for %s", input).isEqualTo(cleaned);
            if (cleaned.endsWith(Text.TRUNCATION_MARKER)) {
                assertThat(input.length()).isGreaterThan(cleaned.length() - Text.TRUNCATION_MARKER.length());
            }
        }
    }

    static Stream<Arguments> seeds() {
        return LongStream.range(0, 20).mapToObj(i -> Arguments.of(0x5EED_0000L + i));
    }

    /** A string drawn from an alphabet heavy in characters that break lines, terminals and parsers. */
    static String randomNastyString(Random random, int length) {
        String nasty = "\n\r\t\u000b\f \u0000\u0007\u001b[]m;\u007f\u0080\u0085\u009b\u009f\u2028\u2029\"\\{}"
                + "\uD83D\uDE00\u00e9";
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(10);
            if (pick < 4) {
                out.append(nasty.charAt(random.nextInt(nasty.length())));
            } else if (pick < 5) {
                out.append("\uD83D\uDE00");
            } else {
                out.append((char) ('a' + random.nextInt(26)));
            }
        }
        return out.toString();
    }

    static void assertSafeSingleLine(String cleaned, int max) {
        assertThat(cleaned).hasSizeLessThanOrEqualTo(max);
        assertThat(cleaned).doesNotStartWith(" ").doesNotEndWith(" ").doesNotContain("  ");
        for (int i = 0; i < cleaned.length(); i++) {
            char c = cleaned.charAt(i);
            assertThat(c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029')
                    .as("control character U+%04X at %d in %s", (int) c, i, cleaned).isFalse();
        }
        assertThat(hasLoneSurrogate(cleaned)).as("lone surrogate in %s", cleaned).isFalse();
    }

    static boolean hasLoneSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void escapeSequencesAreRemovedWholeBeforeAnyParsing() {
        assertThat(Text.withoutEscapeSequences("\u001b[31mred\u001b[0m \u001b]0;title\u0007x\u001bMy"))
                .isEqualTo("red xy");
        assertThat(Text.withoutEscapeSequences("plain")).isEqualTo("plain");
    }

    @Test
    void everyFieldGoesThroughOneGateThatKnowsItsRules() {
        assertThat(Text.field(Text.Field.URL, "jdbc:postgresql://u:S3cr3t@db/app?password=S3cr3t&sslmode=require"))
                .isEqualTo("jdbc:postgresql://db/app?sslmode=require");
        assertThat(Text.field(Text.Field.SUMMARY, "could not reach jdbc:postgresql://u:S3cr3t@db/app?password=S3cr3t now"))
                .isEqualTo("could not reach jdbc:postgresql://db/app now");
        assertThat(Text.field(Text.Field.TITLE, "\u001b[31mDeadlock\u001b[0m on t\n" + "x".repeat(500)))
                .startsWith("Deadlock on t x").hasSize(Text.Field.TITLE.max());
        assertThat(Text.field(Text.Field.SQL, null)).isNull();
    }
}
