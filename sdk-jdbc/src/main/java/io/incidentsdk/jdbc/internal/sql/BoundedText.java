package io.incidentsdk.jdbc.internal.sql;

/**
 * The sanitized statement text, bounded to a maximum length. Tokens are appended whole; when the next
 * token does not fit, the text is cut back to the last token boundary that leaves room for the
 * truncation marker, the marker is appended and everything after is ignored.
 */
final class BoundedText {

    /** Appended (with its leading space) when the text was cut. */
    static final String TRUNCATION_MARKER = " \u2026[truncated]";

    private final int maxChars;
    private final StringBuilder text;
    private int lastSafeCut;
    private boolean truncated;

    BoundedText(int maxChars, int expectedLength) {
        this.maxChars = maxChars;
        this.text = new StringBuilder(Math.min(maxChars, Math.max(16, expectedLength)));
    }

    void append(String source, int start, int end, boolean spaceBefore) {
        if (truncated) {
            return;
        }
        boolean space = spaceBefore && text.length() > 0;
        if (reserve((space ? 1 : 0) + (end - start))) {
            if (space) {
                text.append(' ');
            }
            text.append(source, start, end);
            remember();
        }
    }

    void append(char token, boolean spaceBefore) {
        if (truncated) {
            return;
        }
        boolean space = spaceBefore && text.length() > 0;
        if (reserve(space ? 2 : 1)) {
            if (space) {
                text.append(' ');
            }
            text.append(token);
            remember();
        }
    }

    boolean truncated() {
        return truncated;
    }

    @Override
    public String toString() {
        return text.toString();
    }

    private boolean reserve(int needed) {
        if (text.length() + needed <= maxChars) {
            return true;
        }
        truncated = true;
        text.setLength(lastSafeCut);
        text.append(lastSafeCut == 0 ? TRUNCATION_MARKER.substring(1) : TRUNCATION_MARKER);
        return false;
    }

    private void remember() {
        if (text.length() <= maxChars - TRUNCATION_MARKER.length()) {
            lastSafeCut = text.length();
        }
    }
}
