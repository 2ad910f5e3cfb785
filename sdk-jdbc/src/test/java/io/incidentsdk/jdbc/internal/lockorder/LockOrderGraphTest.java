package io.incidentsdk.jdbc.internal.lockorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.jdbc.LockOrderRisk;
import io.incidentsdk.jdbc.internal.sql.LockingStatement.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The graph of shapes and edges: what it finds, and its bounds. */
class LockOrderGraphTest {

    private int ids;

    private LockStatement update(LockTable table) {
        return new LockStatement(++ids, Kind.UPDATE, table, 1, "fp" + ids, "UPDATE " + table.name + " SET x = ? WHERE id = ?");
    }

    private LockTable table(String name) {
        LockTable t = new LockTable(++ids, name);
        t.parents(new LockTable[0]);
        return t;
    }

    private static List<LockOrderGraph.Found> run(LockOrderGraph graph, byte[] directions, LockStatement... steps) {
        return graph.record(steps, directions, new String[steps.length], steps.length);
    }

    @Test
    void oppositeTableOrdersOfTwoShapesAreFoundOnce() {
        LockOrderGraph graph = new LockOrderGraph();
        LockTable a = table("a");
        LockTable b = table("b");
        LockStatement ua = update(a);
        LockStatement ub = update(b);
        assertThat(run(graph, new byte[2], ua, ub)).isNull();
        assertThat(run(graph, new byte[2], ua, ub)).isNull();
        List<LockOrderGraph.Found> found = run(graph, new byte[2], ub, ua);
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(LockOrderRisk.Kind.OPPOSITE_TABLE_ORDER);
            assertThat(f.firstUses()).isEqualTo(1);
            assertThat(f.secondUses()).isEqualTo(2);
        });
        assertThat(run(graph, new byte[2], ub, ua)).isNull();
    }

    @Test
    void oneShapeWithBothKeyDirectionsIsFoundAndOneDirectionIsNot() {
        LockOrderGraph graph = new LockOrderGraph();
        LockTable t = table("t");
        LockStatement debit = update(t);
        LockStatement credit = update(t);
        assertThat(run(graph, new byte[] {0, LockOrderGraph.ASCENDING}, debit, credit)).isNull();
        assertThat(run(graph, new byte[] {0, LockOrderGraph.ASCENDING}, debit, credit)).isNull();
        assertThat(run(graph, new byte[] {0, LockOrderGraph.DESCENDING}, debit, credit)).singleElement()
                .extracting(LockOrderGraph.Found::kind).isEqualTo(LockOrderRisk.Kind.DATA_DEPENDENT_ROW_ORDER);
    }

    @Test
    void shapesAndEdgesStayBoundedAndTheLeastUsedGo() {
        LockOrderGraph graph = new LockOrderGraph();
        LockTable[] tables = new LockTable[200];
        for (int i = 0; i < tables.length; i++) {
            tables[i] = table("t" + i);
        }
        LockStatement hot = update(tables[0]);
        LockStatement hot2 = update(tables[1]);
        for (int i = 0; i < 10; i++) {
            run(graph, new byte[2], hot, hot2);
        }
        for (int i = 0; i < 5_000; i++) {
            LockTable x = tables[2 + i % 198];
            LockTable y = tables[2 + (i * 7 + 3) % 198];
            run(graph, new byte[3], update(x), update(y), update(tables[2 + (i * 13) % 198]));
        }
        assertThat(graph.shapeCount()).isLessThanOrEqualTo(LockOrderGraph.MAX_SHAPES);
        assertThat(graph.edgeCount()).isLessThanOrEqualTo(LockOrderGraph.MAX_EDGES);
        // the hot shape survived: running it again finds nothing new and creates nothing
        int shapes = graph.shapeCount();
        run(graph, new byte[2], hot, hot2);
        assertThat(graph.shapeCount()).isEqualTo(shapes);
    }
}
