#!/usr/bin/env bash
# Builds the JMH uber-jar and runs the Incident SDK benchmark suite the way
# shared/reference/peer-overhead.md measured the peers: JDK 17, one thread, a fixed pre-touched 1 GiB heap
# per forked JVM, -prof gc, JSON results; then writes a Markdown summary.
#
#   scripts/run-benchmarks.sh                 full run (about 20 minutes on 2 cores)
#   QUICK=1 scripts/run-benchmarks.sh         smoke run (about 2 minutes; figures are indicative only)
#   scripts/run-benchmarks.sh -p backend=stub extra arguments go to JMH as they are
#
# Settings (environment):
#   QUICK=1                 1 fork, 2 x 200 ms warm-up, 3 x 200 ms measurement per benchmark and parameter set
#   FORKS, WARMUP_ITERATIONS, WARMUP_TIME, ITERATIONS, TIME
#                           override the defaults (full: 2, 5, 1s, 5, 1s)
#   BENCHMARKS              JMH include pattern (default: every benchmark, io.incidentsdk.benchmarks.*)
#   SKIP_BUILD=1            reuse benchmarks/target/benchmarks.jar
#   SKIP_STORM_CHECK=1      do not run StormHeapCheck (1,000,000 failures, heap after GC)
#   INCIDENT_SDK_PG_URL, INCIDENT_SDK_PG_USER, INCIDENT_SDK_PG_PASSWORD
#                           when set (eval "$(scripts/test-databases.sh env)"), JdbcPathsBench also runs its pgjdbc
#                           backend (PostgreSQL, a schema of its own per JVM) and TransferCostCheck runs: the transfer
#                           workload on PostgreSQL (race + safe retry vs bug fixed vs race without retry); when not
#                           set the pgjdbc backend is left out (the script says so) unless -p backend=... asks for it
#   TRANSFER_SECONDS        seconds per transfer variant (default 20; QUICK=1: 10); TRANSFER_THREADS (8),
#                           TRANSFER_ACCOUNTS (10), TRANSFER_WARMUP_SECONDS (2), TRANSFER_VARIANTS (A,B,C)
#   SKIP_TRANSFER_CHECK=1   do not run TransferCostCheck even when INCIDENT_SDK_PG_URL is set
#   MVN_ARGS                extra Maven arguments for the build (e.g. -o)
#   JAVA_HOME               the JDK to use (must be 17; ALLOW_ANY_JDK=1 to run on another one)
#
# Output: benchmarks/target/results.json (JMH), benchmarks/target/results.md (summary),
#         benchmarks/target/jmh-output.txt (JMH's console), benchmarks/target/storm-heap.txt,
#         benchmarks/target/transfer-cost.txt (only with PostgreSQL).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGET="$ROOT/benchmarks/target"
JAR="$TARGET/benchmarks.jar"

if [[ -n "${JAVA_HOME:-}" ]]; then
    JAVA="$JAVA_HOME/bin/java"
else
    JAVA="java"
fi
JAVA_VERSION="$("$JAVA" -version 2>&1 | head -n 1)"
JAVA_MAJOR="$(printf '%s\n' "$JAVA_VERSION" | sed -E 's/.*version "([0-9]+).*/\1/')"
if [[ "$JAVA_MAJOR" != "17" && "${ALLOW_ANY_JDK:-0}" != "1" ]]; then
    echo "run-benchmarks: the reference figures were measured on JDK 17, this is: $JAVA_VERSION" >&2
    echo "run-benchmarks: set JAVA_HOME to a JDK 17 (or ALLOW_ANY_JDK=1)" >&2
    exit 2
fi

if [[ "${QUICK:-0}" == "1" ]]; then
    FORKS="${FORKS:-1}"; WARMUP_ITERATIONS="${WARMUP_ITERATIONS:-2}"; WARMUP_TIME="${WARMUP_TIME:-200ms}"
    ITERATIONS="${ITERATIONS:-3}"; TIME="${TIME:-200ms}"; MODE="quick smoke run"
else
    FORKS="${FORKS:-2}"; WARMUP_ITERATIONS="${WARMUP_ITERATIONS:-5}"; WARMUP_TIME="${WARMUP_TIME:-1s}"
    ITERATIONS="${ITERATIONS:-5}"; TIME="${TIME:-1s}"; MODE="full run"
fi
BENCHMARKS="${BENCHMARKS:-io.incidentsdk.benchmarks.*}"
HEAP_ARGS="-Xms1g -Xmx1g -XX:+AlwaysPreTouch"

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
    echo "run-benchmarks: building $JAR"
    # shellcheck disable=SC2086 # MVN_ARGS is a list of arguments
    mvn -B -q ${MVN_ARGS:-} -DskipTests -pl benchmarks -am package
fi
mkdir -p "$TARGET"

MACHINE="$TARGET/machine.txt"
{
    echo "mode:    $MODE (forks $FORKS, warm-up $WARMUP_ITERATIONS x $WARMUP_TIME, measurement $ITERATIONS x $TIME)"
    echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "host:    $(uname -srm), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
    echo "cpu:     $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
    echo "java:    $JAVA_VERSION"
    echo "jvm:     $HEAP_ARGS, one benchmark thread (JdbcPathsThreadsBench: 1, 2, 4, 8), -prof gc"
    echo "load at start:  $(cut -d ' ' -f 1-3 /proc/loadavg)"
} > "$MACHINE"

# the backends of JdbcPathsBench: pgjdbc only with a PostgreSQL to run on, unless the arguments choose
BACKEND_ARGS=()
if [[ " $* " != *"backend="* ]]; then
    if [[ -n "${INCIDENT_SDK_PG_URL:-}" ]]; then
        BACKEND_ARGS=(-p backend=stub,h2,pgjdbc)
    else
        BACKEND_ARGS=(-p backend=stub,h2)
        echo "run-benchmarks: backend pgjdbc skipped: INCIDENT_SDK_PG_URL is not set" \
            "(eval \"\$(scripts/test-databases.sh env)\" gives it)"
        echo "backends: stub, h2 (pgjdbc skipped: INCIDENT_SDK_PG_URL not set)" >> "$MACHINE"
    fi
fi

echo "run-benchmarks: $MODE of $BENCHMARKS"
# no -t: every benchmark runs on one thread but JdbcPathsThreadsBench, whose methods say how many (@Threads)
# shellcheck disable=SC2086 # HEAP_ARGS is one JMH argument on purpose
"$JAVA" -jar "$JAR" "$BENCHMARKS" \
    -f "$FORKS" -wi "$WARMUP_ITERATIONS" -w "$WARMUP_TIME" -i "$ITERATIONS" -r "$TIME" \
    -jvmArgs "$HEAP_ARGS" -prof gc ${BACKEND_ARGS[@]+"${BACKEND_ARGS[@]}"} \
    -rf json -rff "$TARGET/results.json" "$@" 2>&1 | tee "$TARGET/jmh-output.txt"
echo "load after JMH: $(cut -d ' ' -f 1-3 /proc/loadavg)" >> "$MACHINE"

STORM="$TARGET/storm-heap.txt"
if [[ "${SKIP_STORM_CHECK:-0}" != "1" ]]; then
    echo "run-benchmarks: StormHeapCheck (1,000,000 failures of one fingerprint)"
    # shellcheck disable=SC2086
    if ! "$JAVA" $HEAP_ARGS -cp "$JAR" io.incidentsdk.benchmarks.StormHeapCheck | tee "$STORM"; then
        echo "run-benchmarks: StormHeapCheck says the heap did not stay flat or failures were lost" >&2
    fi
    echo "load after storm check: $(cut -d ' ' -f 1-3 /proc/loadavg)" >> "$MACHINE"
else
    rm -f "$STORM"
fi

TRANSFER="$TARGET/transfer-cost.txt"
if [[ -n "${INCIDENT_SDK_PG_URL:-}" && "${SKIP_TRANSFER_CHECK:-0}" != "1" ]]; then
    if [[ "${QUICK:-0}" == "1" ]]; then
        export TRANSFER_SECONDS="${TRANSFER_SECONDS:-10}"
    fi
    echo "run-benchmarks: TransferCostCheck on $INCIDENT_SDK_PG_URL (${TRANSFER_SECONDS:-20} s per variant)"
    # shellcheck disable=SC2086
    if ! "$JAVA" $HEAP_ARGS -cp "$JAR" io.incidentsdk.benchmarks.TransferCostCheck | tee "$TRANSFER"; then
        echo "run-benchmarks: TransferCostCheck says a transfer through the runner failed or the invariant broke" >&2
    fi
    echo "load after transfer check: $(cut -d ' ' -f 1-3 /proc/loadavg)" >> "$MACHINE"
else
    rm -f "$TRANSFER"
fi

NOTES="$TARGET/jvm-notes.txt"
grep -oE 'deadlock -> OPENED .*' "$TARGET/jmh-output.txt" > "$NOTES" || true

"$JAVA" -cp "$JAR" io.incidentsdk.benchmarks.report.ResultsSummary \
    "$TARGET/results.json" "$TARGET/results.md" "$MACHINE" "$STORM" "$NOTES" "$TRANSFER"

echo
echo "run-benchmarks: JMH results:  $TARGET/results.json"
echo "run-benchmarks: summary:      $TARGET/results.md"
