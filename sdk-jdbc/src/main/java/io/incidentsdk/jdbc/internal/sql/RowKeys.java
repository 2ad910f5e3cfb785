package io.incidentsdk.jdbc.internal.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Salted 32-bit hashes of the values a statement binds or writes as literals, so deadlock forensics can tell
 * which transactions touched the same rows (DESIGN section 6) without keeping a value.
 *
 * <p>A hash is kept in memory only, in a connection's transaction history, and never reaches a record, a log
 * or a metric. The salt is random per process, so hashes of two processes cannot be compared. {@code 0}
 * means "no hash" (a value of a type that is not a row key, such as a timestamp or a stream, or
 * {@code null}); a real hash is never {@code 0}.
 *
 * <p>The same value hashes the same whichever way it was given: {@code setInt(1, 7)}, {@code setLong(1, 7L)},
 * {@code setObject(1, 7)}, {@code setBigDecimal(1, BigDecimal.valueOf(7))} and a literal {@code 7} in the SQL
 * text all give one hash, and so do {@code setString(1, "x")} and {@code 'x'}.
 *
 * <p>Internal: not part of the public API.
 */
public final class RowKeys {

    private static final long SALT = new SecureRandom().nextLong() | 1L;

    private RowKeys() {
    }

    /**
     * The hash of an integral value.
     *
     * @param value the value
     * @return its hash, never {@code 0}
     */
    public static int ofLong(long value) {
        long z = (value ^ SALT) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 32)) * 0xD6E8FEB86659FD93L;
        int h = (int) (z ^ (z >>> 32));
        return h == 0 ? 1 : h;
    }

    /**
     * The hash of a character string.
     *
     * @param value the value, may be {@code null}
     * @return its hash, or {@code 0} for {@code null}
     */
    public static int ofString(String value) {
        return value == null ? 0 : ofLong(0x5354524EL ^ ((long) value.hashCode() << 16) ^ value.length());
    }

    /**
     * The hash of a value given to {@code setObject} or {@code setBigDecimal}: integral numbers, strings,
     * UUIDs; {@code 0} for anything else (its {@code hashCode} is not called).
     *
     * @param value the value, may be {@code null}
     * @return its hash, or {@code 0}
     */
    public static int ofObject(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ofLong(((Number) value).longValue());
        }
        if (value instanceof String s) {
            return ofString(s);
        }
        if (value instanceof BigDecimal d) {
            return ofDecimal(d);
        }
        if (value instanceof BigInteger i) {
            return i.bitLength() < 64 ? ofLong(i.longValue()) : ofLong(i.hashCode());
        }
        if (value instanceof UUID u) {
            return ofLong(u.getMostSignificantBits() * 31 + u.getLeastSignificantBits());
        }
        return 0;
    }

    private static int ofDecimal(BigDecimal d) {
        if (d.scale() <= 0 || d.signum() == 0) {
            if (d.precision() - d.scale() < 19) {
                return ofLong(d.longValue());
            }
            return ofLong(d.hashCode());
        }
        BigDecimal stripped = d.stripTrailingZeros();
        if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() < 19) {
            return ofLong(stripped.longValue());
        }
        return ofLong(0x44454349L ^ stripped.hashCode());
    }

    /**
     * The row-key hashes of one statement: of the values that pick its rows. For {@code UPDATE},
     * {@code DELETE} and {@code SELECT} the bind values and literals after {@code WHERE} (a {@code SET} value
     * does not pick a row); for {@code INSERT} and the like all of them (the new row's key is among them).
     * Failure path only.
     *
     * @param sql      the raw SQL
     * @param bindKeys the hashes of its bind values as kept ({@code BINDS} slots: parameter {@code i} in slot
     *                 {@code (i - 1) % slots}), or {@code null} for none
     * @return the hashes, possibly empty; never {@code 0} among them
     */
    public static int[] keysOf(String sql, int[] bindKeys) {
        if (sql == null) {
            return new int[0];
        }
        int slots = bindKeys == null ? 0 : bindKeys.length;
        int placeholders = 0;
        SqlLexer count = new SqlLexer(sql, false, null);
        for (int kind = count.next(); kind != SqlLexer.EOF; kind = count.next()) {
            if (kind == SqlLexer.PLACEHOLDER && count.end() - count.start() == 1) {
                placeholders++;
            }
        }
        int[] out = new int[16];
        int n = 0;
        int ordinal = 0;
        boolean first = true;
        boolean keyRegion = false;
        SqlLexer lexer = new SqlLexer(sql, false, null);
        for (int kind = lexer.next(); kind != SqlLexer.EOF && n < out.length; kind = lexer.next()) {
            if (kind == SqlLexer.WORD) {
                String word = sql.substring(lexer.start(), lexer.end());
                if (first) {
                    keyRegion = !(word.equalsIgnoreCase("UPDATE") || word.equalsIgnoreCase("DELETE")
                            || word.equalsIgnoreCase("SELECT") || word.equalsIgnoreCase("WITH"));
                    first = false;
                } else if (word.equalsIgnoreCase("WHERE")) {
                    keyRegion = true;
                }
                continue;
            }
            first = false;
            int h = 0;
            if (kind == SqlLexer.PLACEHOLDER && lexer.end() - lexer.start() == 1) {
                ordinal++;
                // a slot holds the latest parameter of its residue: an earlier one was overwritten
                if (keyRegion && slots > 0 && ordinal > placeholders - slots) {
                    h = bindKeys[(ordinal - 1) % slots];
                }
            } else if (keyRegion && kind == SqlLexer.NUMBER) {
                h = ofNumberText(sql.substring(lexer.start(), lexer.end()));
            } else if (keyRegion && kind == SqlLexer.STRING && !lexer.unterminated()) {
                String text = sql.substring(lexer.start(), lexer.end());
                int open = text.indexOf('\'');
                if (open >= 0 && text.length() - open >= 2) {
                    h = ofString(text.substring(open + 1, text.length() - 1).replace("''", "'"));
                }
            }
            if (h != 0) {
                out[n++] = h;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static int ofNumberText(String text) {
        try {
            return ofDecimal(new BigDecimal(text));
        } catch (NumberFormatException e) {
            return 0; // hexadecimal, binary: not worth it
        }
    }
}
