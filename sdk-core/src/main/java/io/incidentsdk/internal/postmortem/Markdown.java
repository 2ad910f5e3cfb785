package io.incidentsdk.internal.postmortem;

/**
 * Writes untrusted text into Markdown so that it cannot change the structure of the document: it can
 * create no heading, list item, block quote, table row, link, image, autolink, HTML tag, emphasis or code
 * span, whatever it contains. Targets CommonMark and GitHub Flavored Markdown.
 *
 * <p>Records are already single-line (see {@code internal.Text}); every method here is defensive anyway
 * and first folds line breaks and control characters into spaces.
 */
public final class Markdown {

    private Markdown() {
    }

    /**
     * Folds a string to one line: line breaks and tabs become one space, other control characters, Unicode
     * bidirectional controls and lone surrogates are removed or replaced, and the result is stripped.
     *
     * @param value the input, may be {@code null}
     * @return the single-line string, or {@code null} for {@code null}
     */
    public static String singleLine(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\u000b' || c == '\u0085'
                    || c == '\u2028' || c == '\u2029') {
                if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                    out.append(' ');
                }
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || isBidiControl(c)) {
                continue;
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                out.append(c).append(value.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.toString().strip();
    }

    /**
     * Whether a string has visible content.
     *
     * @param value the input, may be {@code null}
     * @return {@code false} for {@code null} and for strings that are blank once folded to one line
     */
    public static boolean present(String value) {
        return value != null && !singleLine(value).isEmpty();
    }

    /**
     * Escapes untrusted text for use inside a Markdown paragraph, list item or heading, at any position
     * of a line. Backslash escapes are used for Markdown punctuation, HTML-significant characters become
     * entities ({@code <} is written {@code &lt;}), and autolink triggers ({@code ://}, {@code www.},
     * {@code @}) are broken by an escape.
     *
     * @param value the input, may be {@code null} (written as an empty string)
     * @return the escaped single-line text
     */
    public static String text(String value) {
        String s = singleLine(value);
        if (s == null || s.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        int markerEnd = leadingMarkerEnd(s);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (i == markerEnd) {
                out.append('\\').append(c);
                continue;
            }
            switch (c) {
                case '\\', '`', '*', '[', ']', '#', '|', '~', '$', '@', '!', '+', '=', '-' -> {
                    if ((c == '+' || c == '=' || c == '-' || c == '!') && i > 0) {
                        out.append(c); // only list markers, setext underlines and images at the start matter
                    } else {
                        out.append('\\').append(c);
                    }
                }
                case '_' -> {
                    if (i > 0 && i + 1 < s.length() && Character.isLetterOrDigit(s.charAt(i - 1))
                            && Character.isLetterOrDigit(s.charAt(i + 1))) {
                        out.append(c); // an underscore inside a word can never open or close emphasis
                    } else {
                        out.append("\\_");
                    }
                }
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case ':' -> out.append(i + 1 < s.length() && s.charAt(i + 1) == '/' ? "\\:" : ":");
                case '.' -> out.append(followsWww(s, i) ? "\\." : ".");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Writes untrusted text as an inline code span: the delimiter is one backtick longer than the longest
     * backtick run inside, and the content is padded with a space where CommonMark would otherwise
     * misread it. Inside a code span nothing is interpreted, so no other escaping is needed.
     *
     * @param value the input; blank input gives the escaped text {@code (empty)}
     * @return the code span
     */
    public static String code(String value) {
        String s = singleLine(value);
        if (s == null || s.isEmpty()) {
            return "(empty)";
        }
        String fence = "`".repeat(longestBacktickRun(s) + 1);
        boolean pad = s.charAt(0) == '`' || s.charAt(s.length() - 1) == '`' || s.charAt(0) == ' '
                || s.charAt(s.length() - 1) == ' ';
        return pad ? fence + ' ' + s + ' ' + fence : fence + s + fence;
    }

    /**
     * Writes untrusted text as a fenced code block of one line. The fence is made of backticks and is
     * longer than any backtick run in the content (at least three), so the content cannot close it.
     *
     * @param info  the info string (language), plain ASCII letters, may be empty
     * @param value the content
     * @return the code block, three lines, without a trailing newline
     */
    public static String codeBlock(String info, String value) {
        String s = singleLine(value);
        if (s == null) {
            s = "";
        }
        String fence = "`".repeat(Math.max(3, longestBacktickRun(s) + 1));
        return fence + info + '\n' + s + '\n' + fence;
    }

    /** Returns the index of the character that makes the start of {@code s} a block marker, or -1. */
    private static int leadingMarkerEnd(String s) {
        int digits = 0;
        while (digits < s.length() && digits < 10 && s.charAt(digits) >= '0' && s.charAt(digits) <= '9') {
            digits++;
        }
        if (digits > 0 && digits < s.length() && (s.charAt(digits) == '.' || s.charAt(digits) == ')')
                && (digits + 1 == s.length() || s.charAt(digits + 1) == ' ')) {
            return digits; // an ordered list marker: "1. " or "1) "
        }
        return -1;
    }

    private static boolean followsWww(String s, int dot) {
        return dot >= 3 && s.regionMatches(true, dot - 3, "www", 0, 3);
    }

    private static int longestBacktickRun(String s) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '`') {
                run++;
                longest = Math.max(longest, run);
            } else {
                run = 0;
            }
        }
        return longest;
    }

    private static boolean isBidiControl(char c) {
        return (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c == '\u200e'
                || c == '\u200f' || c == '\u061c';
    }
}
