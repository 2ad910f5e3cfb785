package io.incidentsdk;

import io.incidentsdk.internal.Limits;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Objects;

/**
 * Computes incident fingerprints: the deduplication key of an incident.
 *
 * <p>The algorithm is fixed so that the same inputs give the same fingerprint on every run, machine and
 * version: the kind name and each part (a {@code null} part counts as the empty string) are joined with
 * the unit separator {@code U+001F}, encoded as UTF-8 and hashed with SHA-256; the fingerprint is the
 * lowercase kind name, a colon and the first 16 bytes of the hash in lowercase hex, for example
 * {@code deadlock:3f0a…} (42 characters for the longest kind name is far below the 255-character bound).
 *
 * @since 0.1.0
 */
public final class Fingerprint {

    private Fingerprint() {
    }

    /**
     * The fingerprint of an incident of {@code kind} identified by {@code parts}.
     *
     * @param kind  the incident kind
     * @param parts what identifies the incident within its kind (for example statement fingerprints)
     * @return a stable fingerprint of at most 255 characters
     */
    public static String of(IncidentKind kind, String... parts) {
        Objects.requireNonNull(kind, "kind must not be null");
        Objects.requireNonNull(parts, "parts must not be null");
        MessageDigest sha256 = sha256();
        sha256.update(kind.name().getBytes(StandardCharsets.UTF_8));
        for (String part : parts) {
            sha256.update((byte) 0x1f);
            if (part != null) {
                sha256.update(part.getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] digest = sha256.digest();
        StringBuilder out = new StringBuilder(kind.name().length() + 33);
        out.append(kind.name().toLowerCase(Locale.ROOT)).append(':');
        for (int i = 0; i < 16; i++) {
            out.append(Character.forDigit((digest[i] >> 4) & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf, 16));
        }
        return out.toString();
    }

    /**
     * Makes a caller-supplied fingerprint safe: a value that is empty, too long or holds characters other
     * than printable ASCII is replaced by {@code custom:} and the hash of the value.
     *
     * @param fingerprint the caller's fingerprint
     * @return the value itself, or a stable hash of it
     */
    public static String normalize(String fingerprint) {
        Objects.requireNonNull(fingerprint, "fingerprint must not be null");
        if (!fingerprint.isEmpty() && fingerprint.length() <= Limits.FINGERPRINT && isPrintableAscii(fingerprint)) {
            return fingerprint;
        }
        return of(IncidentKind.CUSTOM, fingerprint);
    }

    private static boolean isPrintableAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
