#!/usr/bin/env bash
# Tests the public-API check itself: the build's real japicmp configuration (pom.xml) against the real
# recorded baseline (api-baseline/), on a copy of this repository whose sdk-core is changed on purpose.
#
#   unchanged                                   -> the check passes and reports no change
#   a public method added (compatible)          -> the check passes
#   an internal member made non-public          -> the check passes (internal packages are no API)
#   a public method made package-private        -> the build FAILS, and japicmp names the method
#
# Run after a build has filled the local Maven repository (.ci/run runs it after `mvn -B verify`); it works
# offline by default (MVN_ARGS, default -o) and leaves this working tree alone.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MVN_ARGS="${MVN_ARGS--o}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

log() { printf '[api-check-selftest] %s\n' "$*"; }

# a copy of the tracked files (and new, not ignored ones), without build output
copy_repo() {
  local dest="$1"
  mkdir -p "$dest"
  if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
      [ -e "$f" ] && printf '%s\0' "$f"; done | tar --null -T - -cf -) | tar -xf - -C "$dest"
  else
    (cd "$ROOT" && tar --exclude='./*/target' --exclude='./target' -cf - .) | tar -xf - -C "$dest"
  fi
}

FINGERPRINT=sdk-core/src/main/java/io/incidentsdk/Fingerprint.java
# an internal member that only its own package uses in the main code (another package using it would not compile)
LIMITS=sdk-core/src/main/java/io/incidentsdk/internal/Limits.java
PUBLIC_METHOD='public static String normalize(String fingerprint)'
INTERNAL_FIELD='public static final int ATTRIBUTE_KEY'

passed=0 failed=0
# run_case NAME EXPECT(pass|fail) EDIT...: copy, apply the edit (a shell snippet run in the copy), build
# sdk-core to verify (no tests, no Javadoc), and compare the outcome with what is expected
run_case() {
  local name="$1" expect="$2" edit="$3" dir="$WORK/$4" out rc
  copy_repo "$dir"
  (cd "$dir" && eval "$edit")
  out="$dir/build.log"
  set +e
  # shellcheck disable=SC2086
  (cd "$dir" && mvn -B $MVN_ARGS -Dmaven.test.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
      -pl sdk-core verify >"$out" 2>&1)
  rc=$?
  set -e
  local diff="$dir/sdk-core/target/japicmp/api-check.diff" ok=false
  case "$expect" in
    pass) [ "$rc" -eq 0 ] && [ -f "$diff" ] && ok=true ;;
    fail) [ "$rc" -ne 0 ] && grep -q 'japicmp-maven-plugin.*(api-check).*incompatibility' "$out" \
            && grep -q "$5" "$out" && ok=true ;;
  esac
  if $ok; then
    passed=$((passed + 1))
    log "ok: $name (build exit $rc$( [ -f "$diff" ] && printf '; %s' "$(grep -m 1 -E '^(No changes|\*\*\*|===|---)' "$diff" || true)"))"
  else
    failed=$((failed + 1))
    log "FAILED: $name (expected the build to $expect, it exited $rc); last lines of its log:"
    tail -n 30 "$out" | sed 's/^/    /'
  fi
}

# the edits must find what they change, or the test says so instead of passing vacuously
grep -qF "$PUBLIC_METHOD" "$ROOT/$FINGERPRINT" || { log "FAILED: '$PUBLIC_METHOD' not in $FINGERPRINT; pick another public method"; exit 1; }
grep -qF "$INTERNAL_FIELD" "$ROOT/$LIMITS" || { log "FAILED: '$INTERNAL_FIELD' not in $LIMITS; pick another internal member"; exit 1; }

run_case "unchanged sources pass" pass ':' unchanged
run_case "a new public method passes" pass \
  "sed -i 's/^}\$/    \/** Added by the self-test. @return nothing *\/ public static String selfTestAddition() { return \"\"; }\n}/' $FINGERPRINT" added
run_case "an internal member made non-public passes" pass \
  "sed -i 's/$INTERNAL_FIELD/static final int ATTRIBUTE_KEY/' $LIMITS" internal
run_case "a public method made package-private fails the build" fail \
  "sed -i 's/$PUBLIC_METHOD/static String normalize(String fingerprint)/' $FINGERPRINT" broken \
  'io.incidentsdk.Fingerprint.normalize(java.lang.String):METHOD_LESS_ACCESSIBLE'

log "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
