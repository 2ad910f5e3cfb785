package io.incidentsdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.incidentsdk.internal.Limits;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FingerprintTest {

    private static final String PRINTABLE_ASCII = "[!-~]{1,255}";

    @Test
    void theAlgorithmIsPinnedSoThatFingerprintsStayStableAcrossVersions() {
        // SHA-256 of "DEADLOCK" US "UPDATE account SET balance = ? WHERE id = ?" US "orders-db", first 16 bytes
        assertThat(Fingerprint.of(IncidentKind.DEADLOCK, "UPDATE account SET balance = ? WHERE id = ?", "orders-db"))
                .isEqualTo("deadlock:a46842a43e80e44827187c4ea6186284");
    }

    @Test
    void theSameInputsGiveTheSameFingerprint() {
        assertThat(Fingerprint.of(IncidentKind.LOCK_TIMEOUT, "a", "b"))
                .isEqualTo(Fingerprint.of(IncidentKind.LOCK_TIMEOUT, "a", "b"));
    }

    @Test
    void differentInputsGiveDifferentFingerprints() {
        Set<String> fingerprints = new HashSet<>();
        fingerprints.add(Fingerprint.of(IncidentKind.DEADLOCK, "a", "b"));
        fingerprints.add(Fingerprint.of(IncidentKind.DEADLOCK, "b", "a"));
        fingerprints.add(Fingerprint.of(IncidentKind.DEADLOCK, "ab"));
        fingerprints.add(Fingerprint.of(IncidentKind.DEADLOCK, "a", "b", ""));
        fingerprints.add(Fingerprint.of(IncidentKind.DEADLOCK));
        fingerprints.add(Fingerprint.of(IncidentKind.LOCK_TIMEOUT, "a", "b"));
        fingerprints.add(Fingerprint.of(IncidentKind.DEADLOCK, "a\u001fb"));

        assertThat(fingerprints).hasSize(6);
        // a separator inside a part is the one collision the documented encoding allows
        assertThat(Fingerprint.of(IncidentKind.DEADLOCK, "a\u001fb"))
                .isEqualTo(Fingerprint.of(IncidentKind.DEADLOCK, "a", "b"));
    }

    @Test
    void aNullPartCountsAsTheEmptyString() {
        assertThat(Fingerprint.of(IncidentKind.CUSTOM, (String) null))
                .isEqualTo(Fingerprint.of(IncidentKind.CUSTOM, ""));
    }

    @Test
    void everyKindGivesAShortPrintableAsciiFingerprintWhateverItsParts() {
        String huge = "\u00e9\n\uD83D\uDE00".repeat(100_000);
        for (IncidentKind kind : IncidentKind.values()) {
            String fingerprint = Fingerprint.of(kind, huge, null, "x");

            assertThat(fingerprint).matches(PRINTABLE_ASCII).startsWith(kind.name().toLowerCase() + ":")
                    .hasSizeLessThanOrEqualTo(Limits.FINGERPRINT);
        }
    }

    @Test
    void nullKindOrPartsAreRejectedNamingTheParameter() {
        assertThatNullPointerException().isThrownBy(() -> Fingerprint.of(null, "a")).withMessageContaining("kind");
        assertThatNullPointerException().isThrownBy(() -> Fingerprint.of(IncidentKind.CUSTOM, (String[]) null))
                .withMessageContaining("parts");
        assertThatNullPointerException().isThrownBy(() -> Fingerprint.normalize(null))
                .withMessageContaining("fingerprint");
    }

    @ParameterizedTest(name = "keeps \"{0}\"")
    @ValueSource(strings = {"orders-db:deadlock:42", "a", "deadlock:a46842a43e80e44827187c4ea6186284",
            "!\"#$%&'()*+,-./0123456789:;<=>?@[\\]^_`{|}~"})
    void normalizeKeepsAGoodFingerprint(String good) {
        assertThat(Fingerprint.normalize(good)).isSameAs(good);
    }

    @Test
    void normalizeKeepsAFingerprintOfExactlyTheBound() {
        String longest = "f".repeat(Limits.FINGERPRINT);

        assertThat(Fingerprint.normalize(longest)).isEqualTo(longest);
    }

    @ParameterizedTest(name = "hashes {0}")
    @MethodSource("badFingerprints")
    void normalizeHashesABadFingerprintStably(String description, String bad) {
        String normalized = Fingerprint.normalize(bad);

        assertThat(normalized).isNotEqualTo(bad).matches(PRINTABLE_ASCII).startsWith("custom:")
                .isEqualTo(Fingerprint.of(IncidentKind.CUSTOM, bad))
                .isEqualTo(Fingerprint.normalize(bad));
    }

    static Stream<Arguments> badFingerprints() {
        return Stream.of(
                Arguments.of("the empty string", ""),
                Arguments.of("one character too long", "f".repeat(Limits.FINGERPRINT + 1)),
                Arguments.of("a space", "has space"),
                Arguments.of("a newline", "line\nbreak"),
                Arguments.of("a non-ASCII letter", "caf\u00e9"),
                Arguments.of("DEL", "x\u007f"),
                Arguments.of("a lone surrogate", "x\uD83D"));
    }

    @Test
    void normalizePinsTheHashOfABadFingerprint() {
        assertThat(Fingerprint.normalize("has space")).isEqualTo("custom:8e34df96007a78cbc90bddf2e0441460");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void normalizeAlwaysGivesAValidFingerprintAndIsIdempotent(long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 500; round++) {
            StringBuilder value = new StringBuilder();
            int length = random.nextInt(random.nextBoolean() ? 20 : 400);
            for (int i = 0; i < length; i++) {
                value.append((char) (random.nextBoolean() ? 0x21 + random.nextInt(0x5e) : random.nextInt(0x3000)));
            }

            String normalized = Fingerprint.normalize(value.toString());

            assertThat(normalized).matches(PRINTABLE_ASCII);
            assertThat(Fingerprint.normalize(normalized)).isEqualTo(normalized);
        }
    }

    static Stream<Arguments> seeds() {
        return LongStream.range(0, 5).mapToObj(i -> Arguments.of(0xF1A6L + i));
    }
}
