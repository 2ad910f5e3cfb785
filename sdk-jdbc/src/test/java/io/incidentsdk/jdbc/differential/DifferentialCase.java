package io.incidentsdk.jdbc.differential;

import io.incidentsdk.jdbc.testing.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A generated case: operations on one connection (or in one runner unit) and the faults of the run.
 *
 * @param ops    the operations, in order
 * @param faults the failures injected at numbered steps
 */
record DifferentialCase(List<Op> ops, List<Fault> faults) {

    /** The keys the operations touch: 1..4 exist before each run, 5..8 do not. */
    static final int KEYS = 8;

    DifferentialCase {
        ops = List.copyOf(ops);
        faults = List.copyOf(faults);
    }

    /** The operation list as a reader would want it in a failure message. */
    String describe() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < ops.size(); i++) {
            text.append(String.format("    %2d  %s%n", i, ops.get(i)));
        }
        text.append("    faults: ").append(faults.isEmpty() ? "none" : faults);
        return text.toString();
    }

    /** A case on one connection, as application code writes it. */
    static DifferentialCase connectionCase(Random random, Database database, boolean sqlTransactions) {
        List<Op> ops = new ArrayList<>();
        int length = 4 + random.nextInt(10);
        boolean autoCommit = true;
        boolean sqlTransaction = false;
        int savepoints = 0;
        for (int i = 0; i < length; i++) {
            int roll = random.nextInt(100);
            Op op;
            if (roll < 10) {
                op = Op.of(autoCommit ? Op.Type.AUTOCOMMIT_OFF : Op.Type.AUTOCOMMIT_ON);
            } else if (roll < 22) {
                op = new Op(Op.Type.INSERT, key(random), 0, random.nextBoolean());
            } else if (roll < 34) {
                op = new Op(Op.Type.UPDATE, key(random), 1 + random.nextInt(9), random.nextBoolean());
            } else if (roll < 38) {
                op = new Op(Op.Type.DELETE, key(random), 0, random.nextBoolean());
            } else if (roll < 43) {
                op = new Op(Op.Type.SELECT_SUM, 0, 0, random.nextBoolean());
            } else if (roll < 47) {
                op = new Op(Op.Type.SELECT_ROW, key(random), 0, random.nextBoolean());
            } else if (roll < 51) {
                op = new Op(Op.Type.BATCH_INSERT, key(random), 1 + random.nextInt(3), true);
            } else if (roll < 59) {
                op = new Op(Op.Type.SAVEPOINT, savepoints++, 0, false);
            } else if (roll < 65) {
                op = new Op(Op.Type.ROLLBACK_TO, savepoints == 0 ? 0 : random.nextInt(savepoints), 0, false);
            } else if (roll < 67) {
                op = new Op(Op.Type.RELEASE, savepoints == 0 ? 0 : random.nextInt(savepoints), 0, false);
            } else if (roll < 77) {
                op = Op.of(Op.Type.COMMIT);
            } else if (roll < 81) {
                op = Op.of(Op.Type.ROLLBACK);
            } else if (roll < 83) {
                op = Op.of(Op.Type.CLOSE_REOPEN);
            } else if (roll < 86) {
                op = Op.of(Op.Type.REPEATABLE_READ);
            } else if (roll < 88 && database == Database.POSTGRESQL) {
                // a real lock wait timeout (lock_timeout 20 ms). MariaDB's is 1 s at least, and H2 2.5.252 spins
                // without end in lockRow after some injected failures: there the measured codes are injected
                op = new Op(Op.Type.OTHER_SESSION_LOCK, key(random), 0, false);
            } else if (roll < 91 && database == Database.POSTGRESQL) {
                // a concurrent committed update: a real serialization failure for a REPEATABLE READ snapshot (H2
                // 2.5.252 can spin without end in lockRow, ignoring LOCK_TIMEOUT, when another session writes a row
                // these cases touched; there its measured 40001 is injected)
                op = new Op(Op.Type.OTHER_SESSION_UPDATE, key(random), 0, false);
            } else if (roll < 96 && sqlTransactions && database != Database.H2 && autoCommit) {
                op = Op.of(sqlTransaction ? Op.Type.SQL_COMMIT : Op.Type.SQL_BEGIN);
            } else {
                op = new Op(Op.Type.UPDATE, key(random), 1 + random.nextInt(9), random.nextBoolean());
            }
            switch (op.type()) {
                case AUTOCOMMIT_OFF -> autoCommit = false;
                case AUTOCOMMIT_ON -> autoCommit = true;
                case SQL_BEGIN -> sqlTransaction = true;
                case SQL_COMMIT, CLOSE_REOPEN -> sqlTransaction = false;
                default -> {
                    // no state
                }
            }
            if (op.type() == Op.Type.CLOSE_REOPEN) {
                autoCommit = true;
            }
            ops.add(op);
        }
        if (!autoCommit && random.nextInt(4) > 0) {
            ops.add(Op.of(Op.Type.COMMIT));
        }
        return new DifferentialCase(ops, faults(random, database, ops.size() + 4));
    }

    /** A unit of work for a {@code TransactionRunner}: statements, savepoints, now and then a call the runner owns. */
    static DifferentialCase unitCase(Random random, Database database) {
        List<Op> ops = new ArrayList<>();
        int length = 1 + random.nextInt(6);
        int savepoints = 0;
        for (int i = 0; i < length; i++) {
            int roll = random.nextInt(100);
            Op op;
            if (roll < 30) {
                op = new Op(Op.Type.INSERT, key(random), 0, random.nextBoolean());
            } else if (roll < 60) {
                op = new Op(Op.Type.UPDATE, key(random), 1 + random.nextInt(9), random.nextBoolean());
            } else if (roll < 65) {
                op = new Op(Op.Type.DELETE, key(random), 0, true);
            } else if (roll < 72) {
                op = new Op(Op.Type.SELECT_SUM, 0, 0, true);
            } else if (roll < 77) {
                op = new Op(Op.Type.BATCH_INSERT, key(random), 1 + random.nextInt(3), true);
            } else if (roll < 85) {
                op = new Op(Op.Type.SAVEPOINT, savepoints++, 0, false);
            } else if (roll < 92) {
                op = new Op(Op.Type.ROLLBACK_TO, savepoints == 0 ? 0 : random.nextInt(savepoints), 0, false);
            } else if (roll < 96) {
                op = new Op(Op.Type.RUNNER_CALL, random.nextInt(4), 0, false);
            } else {
                op = new Op(Op.Type.SELECT_ROW, key(random), 0, false);
            }
            ops.add(op);
        }
        return new DifferentialCase(ops, faults(random, database, ops.size() + 4));
    }

    private static int key(Random random) {
        return 1 + random.nextInt(KEYS);
    }

    private static List<Fault> faults(Random random, Database database, int steps) {
        List<Fault> faults = new ArrayList<>();
        int count = random.nextInt(10) < 3 ? 0 : (random.nextInt(5) == 0 ? 2 : 1);
        for (int i = 0; i < count; i++) {
            int roll = random.nextInt(100);
            Fault.Kind kind;
            if (roll < 40) {
                kind = Fault.Kind.DEADLOCK;
            } else if (roll < 60) {
                kind = database == Database.MARIADB ? Fault.Kind.DEADLOCK : Fault.Kind.SERIALIZATION;
            } else if (roll < 85) {
                kind = Fault.Kind.LOCK_TIMEOUT;
            } else {
                kind = Fault.Kind.CONNECTION_LOSS;
            }
            int step = random.nextInt(steps);
            if (faults.stream().noneMatch(f -> f.step() == step)) {
                faults.add(new Fault(step, kind));
            }
        }
        return faults;
    }
}
