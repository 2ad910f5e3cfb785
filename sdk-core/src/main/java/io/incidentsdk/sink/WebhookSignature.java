package io.incidentsdk.sink;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a {@link WebhookSink} request, and its verification on the receiver's side.
 *
 * <p><b>The header.</b> With a secret configured, every request carries
 * <pre>
 * Incident-Signature: t=1733212800,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd
 * </pre>
 * where {@code t} is the time of sending in Unix seconds and {@code v1} the lowercase hex HMAC-SHA256, keyed
 * with the UTF-8 bytes of the secret, of the ASCII text {@code t}, a dot, and the exact bytes of the request
 * body. Every attempt (a retry too) is signed anew with its own time. A header may carry several {@code v1}
 * values (while a secret is being rotated); one match is enough.
 *
 * <p><b>Verifying</b> (a receiver written in Java can use this class; others follow the recipe above):
 * <pre>{@code
 * WebhookSignature verifier = WebhookSignature.verifier(secret);        // tolerance 5 minutes
 * WebhookSignature.Result result = verifier.verify(request.header(WebhookSignature.HEADER), rawBody);
 * if (result != WebhookSignature.Result.VALID) { respond(401); return; }
 * }</pre>
 * A request is rejected when the header is missing or malformed, when the signature does not match the body
 * (a tampered body, or a wrong secret), when its time is further than the tolerance from now (a replay of an
 * old request), or when the same signature was already verified by this verifier within the tolerance (a
 * replay of a recent request; the verifier remembers at most 100,000 signatures). Retries of one event carry
 * new signatures but the same {@code eventId}: receivers drop those duplicates by {@code eventId}.
 *
 * <p>Thread-safe. {@link #toString()} never shows the secret.
 *
 * @since 0.2.0
 */
public final class WebhookSignature {

    /** The name of the signature header. */
    public static final String HEADER = "Incident-Signature";

    /** The default tolerance between the signature's time and the receiver's clock. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final int REMEMBERED = 100_000;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * The outcome of a verification.
     *
     * @since 0.2.0
     */
    public enum Result {
        /** The signature matches and the request is fresh and new. */
        VALID,
        /** No header, or not in the documented form. */
        MALFORMED,
        /** The signature does not match the body: the body was changed, or another secret signed it. */
        MISMATCH,
        /** The signature's time is further from now than the tolerance: an old request replayed. */
        EXPIRED,
        /** This exact signature was verified before: a recent request replayed. */
        REPLAYED,
        /**
         * The replay check already holds as many fresh signatures as it keeps (100,000 within the tolerance):
         * the request cannot be told apart from a replay and should be refused (the sender retries later).
         */
        UNVERIFIABLE
    }

    private final SecretKeySpec key;
    private final Duration tolerance;
    /** Signatures verified, with their time in seconds; oldest first. */
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    private WebhookSignature(String secret, Duration tolerance) {
        this.key = keyOf(secret);
        this.tolerance = tolerance;
    }

    /**
     * A verifier with the default tolerance of 5 minutes.
     *
     * @param secret the shared secret, not {@code null} or empty
     * @return a verifier
     */
    public static WebhookSignature verifier(String secret) {
        return verifier(secret, DEFAULT_TOLERANCE);
    }

    /**
     * A verifier with the given tolerance.
     *
     * @param secret    the shared secret, not {@code null} or empty
     * @param tolerance between 1 second and 1 day
     * @return a verifier
     */
    public static WebhookSignature verifier(String secret, Duration tolerance) {
        Objects.requireNonNull(tolerance, "tolerance must not be null");
        if (tolerance.compareTo(Duration.ofSeconds(1)) < 0 || tolerance.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("tolerance must be between PT1S and P1D, was " + tolerance);
        }
        return new WebhookSignature(secret, tolerance);
    }

    /**
     * The header value for a body sent at a time, as the sink computes it.
     *
     * @param secret       the shared secret, not {@code null} or empty
     * @param epochSeconds the time of sending, Unix seconds
     * @param body         the exact request body, not {@code null}
     * @return the value of the {@value #HEADER} header
     */
    public static String sign(String secret, long epochSeconds, byte[] body) {
        return "t=" + epochSeconds + ",v1=" + hex(mac(keyOf(secret), epochSeconds, Objects.requireNonNull(body, "body")));
    }

    /**
     * Verifies a request against the current time.
     *
     * @param header the value of the {@value #HEADER} header, may be {@code null}
     * @param body   the exact request body as received, not {@code null}
     * @return the outcome; only {@link Result#VALID} means the request may be processed
     */
    public Result verify(String header, byte[] body) {
        return verify(header, body, Instant.now());
    }

    /**
     * Verifies a request against a given time.
     *
     * @param header the value of the {@value #HEADER} header, may be {@code null}
     * @param body   the exact request body as received, not {@code null}
     * @param now    the receiver's current time, not {@code null}
     * @return the outcome; only {@link Result#VALID} means the request may be processed
     */
    public Result verify(String header, byte[] body, Instant now) {
        Objects.requireNonNull(body, "body must not be null");
        Objects.requireNonNull(now, "now must not be null");
        if (header == null || header.length() > 2048) {
            return Result.MALFORMED;
        }
        long timestamp = -1;
        List<String> signatures = new ArrayList<>(2);
        for (String part : header.split(",")) {
            String p = part.trim();
            if (p.startsWith("t=")) {
                try {
                    timestamp = Long.parseLong(p.substring(2));
                } catch (NumberFormatException e) {
                    return Result.MALFORMED;
                }
            } else if (p.startsWith("v1=") && p.length() == 3 + 64) {
                signatures.add(p.substring(3).toLowerCase(java.util.Locale.ROOT));
            }
        }
        if (timestamp < 0 || signatures.isEmpty()) {
            return Result.MALFORMED;
        }
        byte[] expected = hex(mac(key, timestamp, body)).getBytes(StandardCharsets.US_ASCII);
        String matched = null;
        for (String signature : signatures) {
            if (MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
                matched = signature;
            }
        }
        if (matched == null) {
            return Result.MISMATCH;
        }
        long nowSeconds = now.getEpochSecond();
        if (Math.abs(nowSeconds - timestamp) > tolerance.getSeconds()) {
            return Result.EXPIRED;
        }
        synchronized (seen) {
            // forget only signatures past the tolerance (they would be EXPIRED anyway); a fresh one forgotten
            // would let its request be replayed
            for (Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Long> oldest = it.next();
                if (Math.abs(nowSeconds - oldest.getValue()) <= tolerance.getSeconds()) {
                    break;
                }
                it.remove();
            }
            if (seen.containsKey(matched)) {
                return Result.REPLAYED;
            }
            if (seen.size() >= REMEMBERED) {
                return Result.UNVERIFIABLE;
            }
            seen.put(matched, timestamp);
        }
        return Result.VALID;
    }

    private static SecretKeySpec keyOf(String secret) {
        Objects.requireNonNull(secret, "secret must not be null");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    private static byte[] mac(SecretKeySpec key, long epochSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // every Java platform has HmacSHA256, and a non-empty key is always valid for it
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }

    /**
     * Describes the verifier without its secret.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "WebhookSignature[secret=***, tolerance=" + tolerance + "]";
    }
}
