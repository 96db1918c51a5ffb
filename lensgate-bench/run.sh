#!/usr/bin/env bash
# Builds the benchmarks (-Pbench) and runs them: the JMH benchmarks (authorize path; per-request
# query steps) and the HTTP load harness (gateway vs direct JDBC on the machine's PostgreSQL at
# 127.0.0.1:5432). Results go to bench-results/ at the repo root (gitignored); a summary is printed.
#
#   lensgate-bench/run.sh                 # everything, default durations (about 15 minutes)
#   lensgate-bench/run.sh --quick         # short iterations, to check that it all works
#   JMH_ARGS='-f 1 -wi 5' LOAD_ARGS='--threads 4 --seconds 30' lensgate-bench/run.sh
#
# Environment: BUILD_SUFFIX (default empty) builds into target$BUILD_SUFFIX, like
# -Dlensgate.build.suffix; SKIP_BUILD=1 reuses the last build; JMH_ARGS / LOAD_ARGS are appended to
# the JMH and load-harness command lines; RESULTS (default <repo>/bench-results).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
suffix="${BUILD_SUFFIX:-}"
results="${RESULTS:-$root/bench-results}"
jar="$here/target$suffix/lensgate-bench.jar"
jmh_args="${JMH_ARGS:-}"
load_args="${LOAD_ARGS:-}"

if [[ "${1:-}" == "--quick" ]]; then
  jmh_args="-wi 1 -w 1 -i 2 -r 1 $jmh_args"
  load_args="--warmup-seconds 2 --seconds 4 $load_args"
elif [[ $# -gt 0 ]]; then
  echo "usage: $0 [--quick]" >&2
  exit 2
fi

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  (cd "$root" && mvn -B -q -Pbench -pl lensgate-bench -am -DskipTests "-Dlensgate.build.suffix=$suffix" package)
fi
mkdir -p "$results"
stamp="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
{
  echo "run: $stamp  commit: $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
} > "$results/run-info.txt"

echo "== JMH AuthorizePathBenchmark, QueryStepsBenchmark (results: $results/jmh.{txt,json})"
# shellcheck disable=SC2086
java -jar "$jar" 'AuthorizePathBenchmark|QueryStepsBenchmark' -rf json -rff "$results/jmh.json" $jmh_args \
  > "$results/jmh.txt" 2>&1 || { tail -40 "$results/jmh.txt"; exit 1; }

echo "== QueryLoadBenchmark (results: $results/query-load.{txt,json})"
# shellcheck disable=SC2086
java -Xms1g -Xmx1g -cp "$jar" dev.lensgate.bench.QueryLoadBenchmark --out "$results" $load_args \
  > "$results/query-load.log" 2>&1 || { tail -40 "$results/query-load.log"; exit 1; }

echo
echo "== Summary ($stamp)"
cat "$results/run-info.txt"
java -cp "$jar" dev.lensgate.bench.BenchSummary "$results/jmh.json" | tee "$results/jmh-summary.txt"
cat "$results/query-load.txt"
