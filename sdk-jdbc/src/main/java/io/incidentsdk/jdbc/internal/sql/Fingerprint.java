package io.incidentsdk.jdbc.internal.sql;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Streaming statement fingerprint: SHA-256 over the UTF-8 bytes of the tokens joined by single spaces,
 * unquoted words with ASCII letters lower-cased; the result is the first 8 bytes as 16 lowercase hex
 * digits. Tokens are encoded through a reused buffer, so hashing allocates nothing per token.
 */
final class Fingerprint {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int FINGERPRINT_BYTES = 8;

    private final MessageDigest digest = sha256();
    private final byte[] buffer = new byte[1024];
    private int buffered;
    private boolean first = true;

    /** Adds {@code text[start, end)} as one token; {@code foldCase} lower-cases its ASCII letters. */
    void token(String text, int start, int end, boolean foldCase) {
        separator();
        int i = start;
        while (i < end) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (foldCase && c >= 'A' && c <= 'Z') {
                    c = (char) (c + ('a' - 'A'));
                }
                put(c);
                i++;
            } else if (c < 0x800) {
                put(0xC0 | (c >> 6));
                put(0x80 | (c & 0x3F));
                i++;
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, text.charAt(i + 1));
                put(0xF0 | (codePoint >> 18));
                put(0x80 | ((codePoint >> 12) & 0x3F));
                put(0x80 | ((codePoint >> 6) & 0x3F));
                put(0x80 | (codePoint & 0x3F));
                i += 2;
            } else if (Character.isSurrogate(c)) {
                // an unpaired surrogate is encoded as '?', as the JDK's UTF-8 encoder does
                put('?');
                i++;
            } else {
                put(0xE0 | (c >> 12));
                put(0x80 | ((c >> 6) & 0x3F));
                put(0x80 | (c & 0x3F));
                i++;
            }
        }
    }

    /** Adds an ASCII constant token (punctuation or {@code ?}). */
    void token(char asciiToken) {
        separator();
        put(asciiToken);
    }

    /** The fingerprint of everything added so far; call once. */
    String finish() {
        flush();
        byte[] hash = digest.digest();
        char[] hex = new char[FINGERPRINT_BYTES * 2];
        for (int i = 0; i < FINGERPRINT_BYTES; i++) {
            hex[2 * i] = HEX[(hash[i] >> 4) & 0xF];
            hex[2 * i + 1] = HEX[hash[i] & 0xF];
        }
        return new String(hex);
    }

    private void separator() {
        if (first) {
            first = false;
        } else {
            put(' ');
        }
    }

    private void put(int b) {
        if (buffered == buffer.length) {
            flush();
        }
        buffer[buffered++] = (byte) b;
    }

    private void flush() {
        digest.update(buffer, 0, buffered);
        buffered = 0;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // every Java platform is required to provide SHA-256
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
