#!/usr/bin/env bash
# Compiles examples/ScoreImages.java against aand-core alone (its jar and runtime dependencies, no
# CLI), scores the given images through the DJL Predictor API, scores them again with
# `aand predict`, and prints both with the largest difference. Exit 1 if any score differs.
# Usage: scripts/api-example.sh MODEL_DIR IMAGE...
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 MODEL_DIR IMAGE..." >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
model="$1"; shift

(cd "$here" && mvn -q -B -o -DskipTests -pl aand-core -am package >/dev/null \
  && mvn -q -B -o -pl aand-core dependency:build-classpath -Dmdep.includeScope=runtime \
       -Dmdep.outputFile="$work/cp.txt" >/dev/null)
# Test-only artifacts (JUnit, the slf4j-nop binding) stay out: the program sees what a user's would.
deps="$(tr ':' '\n' <"$work/cp.txt" | grep -v -e junit -e opentest4j -e apiguardian -e slf4j-nop | paste -sd: -)"
cp="$(ls "$here"/aand-core/target/aand-core-*.jar | grep -v -e tests -e sources | head -1):$deps"
javac -d "$work/classes" -cp "$cp" "$here/examples/ScoreImages.java"
echo "library (Aand.criteria -> Predictor):" >&2
DJL_OFFLINE=true java -Djava.awt.headless=true -cp "$work/classes:$cp" ScoreImages "$model" "$@" \
  2> >(grep -v '^SLF4J' >&2) | sort -t, -k2 > "$work/api.csv"
echo "aand predict:" >&2
"$here/aand" predict --model "$model" --out "$work/pred" "$@" >/dev/null
tail -n +2 "$work/pred/predictions.csv" | awk -F, '{print $2 "," $1}' | sort -t, -k2 > "$work/cli.csv"
paste -d, "$work/api.csv" "$work/cli.csv" | awk -F, '
  { d = $1 - $4; if (d < 0) d = -d; if (d > max) max = d; if ($2 != $5) bad = 1
    printf "%-60s api %.9f  predict %.9f\n", $2, $1, $4 }
  END { printf "images %d, largest |api - predict| = %g\n", NR, max; exit (max > 0 || bad) }'
