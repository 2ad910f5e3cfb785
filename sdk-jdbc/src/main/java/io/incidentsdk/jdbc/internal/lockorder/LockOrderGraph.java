package io.incidentsdk.jdbc.internal.lockorder;

import io.incidentsdk.jdbc.LockOrderRisk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The bounded graph of one data source: transaction shapes (the sequence of locking statements of a transaction,
 * consecutive repeats collapsed), the order in which each shape first locks each table, and the directions in
 * which it locked consecutive keys of one table. Edges "some shape locks A before B" carry the shapes that do.
 *
 * <p>Found, when something new is learned:
 * <ul>
 *   <li>{@link LockOrderRisk.Kind#OPPOSITE_TABLE_ORDER}: a new edge A→B while B→A is known from another shape;</li>
 *   <li>{@link LockOrderRisk.Kind#DATA_DEPENDENT_ROW_ORDER}: one shape locked keys of one table ascending in some
 *       runs (or steps) and descending in others;</li>
 *   <li>{@link LockOrderRisk.Kind#OPPOSITE_ROW_ORDER}: one shape only ever ascending, another only descending, on
 *       one table.</li>
 * </ul>
 *
 * <p>Bounded: at most {@value #MAX_SHAPES} shapes and {@value #MAX_EDGES} edges; when full, the least used
 * shape (or edge) is forgotten. Guarded by its own monitor, entered once per sampled transaction at its end.
 *
 * <p>Internal: not part of the public API.
 */
final class LockOrderGraph {

    static final int MAX_SHAPES = 256;
    static final int MAX_EDGES = 2048;
    static final byte ASCENDING = 1;
    static final byte DESCENDING = 2;
    /** Lock modes of a table's first lock in a shape: a shared lock (FOR SHARE, a foreign-key check). */
    static final byte SHARED = 1;
    /** An exclusive row lock (UPDATE, DELETE, FOR UPDATE). */
    static final byte EXCLUSIVE = 2;
    /** The lock of a new row (INSERT): it blocks no other statement's existing rows. */
    static final byte NEW_ROW = 3;
    /**
     * A foreign-key check's lock on a parent row where the database takes it as a key-share lock (PostgreSQL's
     * {@code FOR KEY SHARE}): only a delete, {@code FOR UPDATE} or a key change blocks it, not a plain update.
     */
    static final byte KEY_SHARED = 4;
    /**
     * An {@code UPDATE}'s row lock: exclusive, but on PostgreSQL it leaves key-share locks alone ({@code FOR NO
     * KEY UPDATE}: the analysis assumes the update changes no key column, as updates almost always do).
     */
    static final byte UPDATED = 5;
    private static final int SHAPES_PER_EDGE = 4;

    /** One transaction shape. */
    static final class Shape {
        final long key;
        final LockStatement[] steps;
        final String[] callSites;
        LockTable[] tables;
        /** Per entry of {@link #tables}: the key directions seen ({@link #ASCENDING}, {@link #DESCENDING}). */
        byte[] directions;
        /** Per entry of {@link #tables}: the mode of its first lock ({@link #SHARED}, ...). */
        byte[] modes;
        boolean parentsComplete;
        long uses = 1;

        Shape(long key, LockStatement[] steps, String[] callSites) {
            this.key = key;
            this.steps = steps;
            this.callSites = callSites;
        }

        int indexOf(LockTable table) {
            for (int i = 0; i < tables.length; i++) {
                if (tables[i] == table) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** "Some shape locks {@code from} before {@code to}". */
    static final class Edge {
        final LockTable from;
        final LockTable to;
        final Shape[] shapes = new Shape[SHAPES_PER_EDGE];
        int count;
        long uses;

        Edge(LockTable from, LockTable to) {
            this.from = from;
            this.to = to;
        }

        boolean add(Shape shape) {
            for (int i = 0; i < count; i++) {
                if (shapes[i] == shape) {
                    return false;
                }
            }
            if (count < SHAPES_PER_EDGE) {
                shapes[count++] = shape;
            }
            return true;
        }

        void remove(Shape shape) {
            for (int i = 0; i < count; i++) {
                if (shapes[i] == shape) {
                    System.arraycopy(shapes, i + 1, shapes, i, count - i - 1);
                    shapes[--count] = null;
                    return;
                }
            }
        }
    }

    /**
     * A risk found: for table order, {@code first} locks {@code a} before {@code b} and {@code second} the other
     * way; for row order, {@code first} locked rows of {@code a} ascending and {@code second} descending.
     */
    record Found(LockOrderRisk.Kind kind, Shape first, Shape second, LockTable a, LockTable b, long firstUses,
                 long secondUses) {
    }

    private final ShapeTable shapes = new ShapeTable();
    private final Map<Long, Edge> edges = new HashMap<>();

    /**
     * Records one sampled transaction.
     *
     * @param steps      its locking statements, consecutive repeats collapsed
     * @param directions per step, the key directions seen against the table's previous key
     * @param callSites  per step, the application's call site when it was taken ({@code null} otherwise)
     * @param n          how many steps
     * @return what was found, possibly nothing ({@code null})
     */
    synchronized List<Found> record(LockStatement[] steps, byte[] directions, String[] callSites, int n) {
        long key = shapeKey(steps, n);
        Shape shape = shapes.get(key);
        List<Found> found = null;
        if (shape == null) {
            if (shapes.size() >= MAX_SHAPES) {
                evictShape();
            }
            LockStatement[] kept = java.util.Arrays.copyOf(steps, n);
            shape = new Shape(key, kept, java.util.Arrays.copyOf(callSites, n));
            shapes.put(key, shape);
            found = order(shape, found);
        } else {
            shape.uses++;
            for (int i = 0; i < n && i < shape.callSites.length; i++) {
                if (shape.callSites[i] == null && callSites[i] != null) {
                    shape.callSites[i] = callSites[i];
                }
            }
            if (!shape.parentsComplete && parentsKnown(shape.steps)) {
                found = order(shape, found);
            }
        }
        for (int i = 0; i < n; i++) {
            if (directions[i] == 0) {
                continue;
            }
            int t = shape.indexOf(steps[i].table);
            if (t < 0) {
                continue;
            }
            byte before = shape.directions[t];
            byte after = (byte) (before | directions[i]);
            if (after != before) {
                shape.directions[t] = after;
                found = rows(shape, steps[i].table, after, found);
            }
        }
        return found;
    }

    /** The number of shapes kept (tests). */
    synchronized int shapeCount() {
        return shapes.size();
    }

    /** The number of edges kept (tests). */
    synchronized int edgeCount() {
        return edges.size();
    }

    /** Works out (again) the shape's table order, FK parents first, and adds its edges. */
    private List<Found> order(Shape shape, List<Found> found) {
        List<LockTable> order = new ArrayList<>(shape.steps.length + 2);
        List<Byte> modes = new ArrayList<>(shape.steps.length + 2);
        boolean complete = true;
        for (LockStatement step : shape.steps) {
            if (step.kind == io.incidentsdk.jdbc.internal.sql.LockingStatement.Kind.INSERT) {
                if (!step.table.parentsKnown()) {
                    complete = false;
                }
                for (LockTable parent : step.table.parents()) {
                    if (parent != step.table && !order.contains(parent)) {
                        order.add(parent);
                        // the foreign-key check reads the parent row under a shared (or key-share) lock
                        modes.add(step.table.keyShareParents() ? KEY_SHARED : SHARED);
                    }
                }
            }
            if (!order.contains(step.table)) {
                order.add(step.table);
                modes.add(mode(step));
            }
        }
        shape.modes = new byte[modes.size()];
        for (int i = 0; i < shape.modes.length; i++) {
            shape.modes[i] = modes.get(i);
        }
        byte[] directions = new byte[order.size()];
        if (shape.tables != null) {
            for (int i = 0; i < shape.tables.length; i++) {
                int at = order.indexOf(shape.tables[i]);
                if (at >= 0) {
                    directions[at] = shape.directions[i];
                }
            }
        }
        shape.tables = order.toArray(new LockTable[0]);
        shape.directions = directions;
        shape.parentsComplete = complete;
        for (int i = 0; i < shape.tables.length; i++) {
            for (int j = i + 1; j < shape.tables.length; j++) {
                found = edge(shape, shape.tables[i], shape.tables[j], found);
            }
        }
        return found;
    }

    private static boolean parentsKnown(LockStatement[] steps) {
        for (LockStatement step : steps) {
            if (step.kind == io.incidentsdk.jdbc.internal.sql.LockingStatement.Kind.INSERT
                    && !step.table.parentsKnown()) {
                return false;
            }
        }
        return true;
    }

    private List<Found> edge(Shape shape, LockTable a, LockTable b, List<Found> found) {
        long key = edgeKey(a, b);
        Edge e = edges.get(key);
        if (e == null) {
            if (edges.size() >= MAX_EDGES) {
                evictEdge();
            }
            e = new Edge(a, b);
            edges.put(key, e);
        }
        e.uses++;
        if (!e.add(shape)) {
            return found;
        }
        Edge reverse = edges.get(edgeKey(b, a));
        if (reverse != null) {
            for (int i = 0; i < reverse.count; i++) {
                Shape other = reverse.shapes[i];
                // a cycle needs each path's second lock to conflict with the other path's first lock on that table
                if (other != shape && conflict(shape, other, a) && conflict(shape, other, b)) {
                    found = add(found, new Found(LockOrderRisk.Kind.OPPOSITE_TABLE_ORDER, shape, other, a, b,
                            shape.uses, other.uses));
                    break;
                }
            }
        }
        return found;
    }

    private List<Found> rows(Shape shape, LockTable table, byte directions, List<Found> found) {
        if (directions == (ASCENDING | DESCENDING) && conflict(shape, shape, table)) {
            return add(found, new Found(LockOrderRisk.Kind.DATA_DEPENDENT_ROW_ORDER, shape, shape, table, table,
                    shape.uses, shape.uses));
        }
        byte opposite = directions == ASCENDING ? DESCENDING : ASCENDING;
        for (Shape other : shapes.all()) {
            if (other == null || other == shape) {
                continue;
            }
            int t = other.indexOf(table);
            if (t >= 0 && other.directions[t] == opposite && conflict(shape, other, table)) {
                Shape ascending = directions == ASCENDING ? shape : other;
                Shape descending = ascending == shape ? other : shape;
                return add(found, new Found(LockOrderRisk.Kind.OPPOSITE_ROW_ORDER, ascending, descending, table,
                        table, ascending.uses, descending.uses));
            }
        }
        return found;
    }

    private static byte mode(LockStatement step) {
        switch (step.kind) {
            case INSERT:
                return NEW_ROW;
            case SELECT_FOR_SHARE:
                return SHARED;
            case UPDATE:
                return UPDATED;
            default:
                return EXCLUSIVE;
        }
    }

    /** Whether the two shapes' first locks of a table can block each other (new rows and two shared locks cannot). */
    private static boolean conflict(Shape one, Shape two, LockTable table) {
        int i = one.indexOf(table);
        int j = two.indexOf(table);
        if (i < 0 || j < 0) {
            return false;
        }
        byte m = one.modes[i];
        byte n = two.modes[j];
        if (m == NEW_ROW || n == NEW_ROW) {
            return false;
        }
        boolean mShared = m == SHARED || m == KEY_SHARED;
        boolean nShared = n == SHARED || n == KEY_SHARED;
        if (mShared && nShared) {
            return false;
        }
        // PostgreSQL: FOR KEY SHARE and FOR NO KEY UPDATE do not block each other
        return !(m == KEY_SHARED && n == UPDATED || m == UPDATED && n == KEY_SHARED);
    }

    private static List<Found> add(List<Found> found, Found f) {
        List<Found> list = found == null ? new ArrayList<>(1) : found;
        list.add(f);
        return list;
    }

    private void evictShape() {
        Shape least = null;
        for (Shape s : shapes.all()) {
            if (s != null && (least == null || s.uses < least.uses)) {
                least = s;
            }
        }
        if (least == null) {
            return;
        }
        shapes.remove(least.key);
        for (Iterator<Edge> it = edges.values().iterator(); it.hasNext(); ) {
            Edge e = it.next();
            e.remove(least);
            if (e.count == 0) {
                it.remove();
            }
        }
    }

    private void evictEdge() {
        Edge least = null;
        for (Edge e : edges.values()) {
            if (least == null || e.uses < least.uses) {
                least = e;
            }
        }
        if (least != null) {
            edges.remove(edgeKey(least.from, least.to));
        }
    }

    /**
     * The shapes by key: open addressing over {@code long} keys (no boxing on the path of every sampled
     * transaction), at most half full; a removal rebuilds it (only when the bound evicts a shape).
     */
    private static final class ShapeTable {
        private static final int CAPACITY = 2 * MAX_SHAPES;
        private long[] keys = new long[CAPACITY];
        private Shape[] values = new Shape[CAPACITY];
        private int size;

        Shape get(long key) {
            for (int i = index(key); ; i = (i + 1) & (CAPACITY - 1)) {
                Shape v = values[i];
                if (v == null || keys[i] == key) {
                    return v;
                }
            }
        }

        void put(long key, Shape shape) {
            for (int i = index(key); ; i = (i + 1) & (CAPACITY - 1)) {
                if (values[i] == null) {
                    keys[i] = key;
                    values[i] = shape;
                    size++;
                    return;
                }
                if (keys[i] == key) {
                    values[i] = shape;
                    return;
                }
            }
        }

        void remove(long key) {
            Shape[] old = values;
            long[] oldKeys = keys;
            keys = new long[CAPACITY];
            values = new Shape[CAPACITY];
            size = 0;
            for (int i = 0; i < old.length; i++) {
                if (old[i] != null && oldKeys[i] != key) {
                    put(oldKeys[i], old[i]);
                }
            }
        }

        int size() {
            return size;
        }

        /** The slots, {@code null} where empty (a view: not to be changed). */
        Shape[] all() {
            return values;
        }

        private static int index(long key) {
            return (int) ((key * 0x9E3779B97F4A7C15L) >>> 54) & (CAPACITY - 1);
        }
    }

    static long shapeKey(LockStatement[] steps, int n) {
        long h = 0x6A09E667F3BCC908L;
        for (int i = 0; i < n; i++) {
            h = (h ^ steps[i].id) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
        }
        return h ^ n;
    }

    private static long edgeKey(LockTable a, LockTable b) {
        return ((long) a.id << 32) | (b.id & 0xFFFF_FFFFL);
    }
}
