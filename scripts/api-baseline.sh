#!/usr/bin/env bash
# Records the public API of the published modules as the baseline that `mvn verify` checks every build
# against (japicmp; see api-baseline/README.md).
#
#   scripts/api-baseline.sh            record the version that pom.xml names in <api.baseline.version>
#   scripts/api-baseline.sh 0.2.0      record the working tree as 0.2.0 (then set <api.baseline.version>
#                                      to 0.2.0 in pom.xml and commit both)
#   scripts/api-baseline.sh --check    build the jars again and compare them with the recorded baseline
#                                      byte for byte (exit 1 when they differ); records nothing
#
# Run it on purpose only: when a release is made, or when an incompatible change of the public API is
# decided (the CHANGELOG says so). It builds with the Maven on PATH (extra arguments in MVN_ARGS, e.g.
# MVN_ARGS=-o) and never installs anything.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MODULES=(sdk-core sdk-jdbc sdk-spring)

pom_value() { # the first <NAME>value</NAME> of pom.xml after the parent's artifactId
  sed -n '/<artifactId>incident-sdk-parent<\/artifactId>/,$p' pom.xml | sed -n "s|.*<$1>\(.*\)</$1>.*|\1|p" | head -n 1
}

check=false
version=""
case "${1:-}" in
  --check) check=true ;;
  "") ;;
  -*) echo "usage: $0 [VERSION | --check]" >&2; exit 2 ;;
  *) version="$1" ;;
esac
[ -n "$version" ] || version="$(pom_value api.baseline.version)"
project_version="$(pom_value version)"
[ -n "$version" ] && [ -n "$project_version" ] || { echo "cannot read the versions from pom.xml" >&2; exit 1; }

echo "[api-baseline] building ${MODULES[*]} ($project_version) ..."
modules_csv="$(IFS=,; echo "${MODULES[*]}")"
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} -DskipTests -Djapicmp.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
  -pl "$modules_csv" -am package

dir="api-baseline/$version"
status=0
$check || mkdir -p "$dir"
for module in "${MODULES[@]}"; do
  artifact="incident-$module"
  built="$module/target/$artifact-$project_version.jar"
  recorded="$dir/$artifact-$version.jar"
  [ -f "$built" ] || { echo "[api-baseline] $built was not built" >&2; exit 1; }
  if $check; then
    if cmp -s "$built" "$recorded"; then
      echo "[api-baseline] $recorded: the same bytes as the jar built now"
    else
      echo "[api-baseline] $recorded differs from the jar built now ($built)"
      status=1
    fi
    continue
  fi
  cp "$built" "$recorded"
  # a readable listing of the public API for reviewers (the build compares the jar, not this file)
  classes="$(unzip -Z1 "$recorded" | grep '\.class$' | grep -v '/internal/' | sed 's|\.class$||; s|/|.|g' | LC_ALL=C sort)"
  # shellcheck disable=SC2086
  javap -protected -cp "$recorded" $classes | grep -v '^Compiled from' > "$dir/$artifact-$version.api.txt"
  echo "[api-baseline] recorded $recorded ($(wc -l < "$dir/$artifact-$version.api.txt") lines of public API)"
done
if ! $check; then
  printf 'version: %s\nbuilt from: %s\ncommit: %s\n' "$version" "$project_version" \
    "$(git rev-parse HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- "${MODULES[@]}" 2>/dev/null || echo ' (with uncommitted changes)')" \
    > "$dir/RECORDED-FROM.txt"
  echo "[api-baseline] done; if $version is new, set <api.baseline.version>$version</api.baseline.version> in pom.xml"
fi
exit "$status"
