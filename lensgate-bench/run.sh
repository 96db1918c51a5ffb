#!/usr/bin/env bash
# Builds the benchmarks (-Pbench) and runs them: the JMH benchmarks (authorize path; per-request
# query steps), the HTTP load harness (gateway vs direct JDBC on the machine's PostgreSQL at
# 127.0.0.1:5432) and the runner benchmark (the same point read through the gateway in direct mode
# vs through one in-process runner on loopback, plus 1,000 jobs in flight on one runner socket) and
# the search benchmark (issue 4: raw local-embedder throughput, full-sync indexing throughput of a
# real gateway on 100,000 generated rows, keyword/hybrid/semantic search latency over HTTP, RSS) and
# the stream-sockets benchmark (issue 5: a real gateway, 500 WebSocket clients in a child JVM with
# 10,000 rule-filtered subscriptions, 1,000 changes/s; client-side event-to-delivery latency).
# Results go to bench-results/ at the repo root (gitignored); a summary is printed.
#
#   lensgate-bench/run.sh                 # everything, default durations (about 25 minutes)
#   lensgate-bench/run.sh --quick         # short iterations, to check that it all works
#   JMH_ARGS='-f 1 -wi 5' LOAD_ARGS='--threads 4 --seconds 30' lensgate-bench/run.sh
#
# Environment: BUILD_SUFFIX (default empty) builds into target$BUILD_SUFFIX, like
# -Dlensgate.build.suffix; SKIP_BUILD=1 reuses the last build; JMH_ARGS / LOAD_ARGS are appended to
# the JMH and load-harness command lines; RESULTS (default <repo>/bench-results); LOAD_THREADS
# (default "2 4": the load harness runs once per count, client threads = wrk connections);
# RUNNER_ARGS is appended to the runner benchmark's command line (e.g. '--connections 2 --rounds 3');
# SEARCH_ARGS to the search benchmark's (e.g. '--rows 20000'; the full 100,000 rows take minutes);
# STREAM_ARGS to the stream-sockets benchmark's (e.g. '--clients same' or '--rate 2000').
# Needs wrk (Debian package wrk) for the gateway loops; it is not installed for you: on Debian,
#   apt-get update && apt-get install -y wrk
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
suffix="${BUILD_SUFFIX:-}"
results="${RESULTS:-$root/bench-results}"
jar="$here/target$suffix/lensgate-bench.jar"
jmh_args="${JMH_ARGS:-}"
load_args="${LOAD_ARGS:-}"
load_threads="${LOAD_THREADS:-2 4}"
runner_args="${RUNNER_ARGS:-}"
search_args="${SEARCH_ARGS:-}"
stream_args="${STREAM_ARGS:-}"

if ! command -v wrk > /dev/null 2>&1; then
  echo "wrk is missing (it drives the gateway in the load harness); install it with:" >&2
  echo "  apt-get update && apt-get install -y wrk" >&2
  exit 1
fi

if [[ "${1:-}" == "--quick" ]]; then
  jmh_args="-wi 1 -w 1 -i 2 -r 1 $jmh_args"
  load_args="--warmup-seconds 2 --seconds 4 $load_args"
  runner_args="--warmup-seconds 2 --seconds 4 --rounds 1 $runner_args"
  search_args="--rows 2000 --raw-texts 500 --warmup 20 --keyword 200 --hybrid 100 --semantic 50 $search_args"
  stream_args="--warmup-seconds 2 --seconds 5 $stream_args"
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

# The gateways below run as ./lensgate serve runs them: with the JDK vector module for index graphs.
gateway_jvm="--add-modules jdk.incubator.vector"

echo "== JMH AuthorizePathBenchmark, QueryStepsBenchmark (results: $results/jmh.{txt,json})"
# shellcheck disable=SC2086
java -jar "$jar" 'AuthorizePathBenchmark|QueryStepsBenchmark' -rf json -rff "$results/jmh.json" $jmh_args \
  > "$results/jmh.txt" 2>&1 || { tail -40 "$results/jmh.txt"; exit 1; }

for t in $load_threads; do
  out="$results/load-t$t"
  mkdir -p "$out"
  echo "== QueryLoadBenchmark, $t threads/connections (load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a); results: $out/)"
  # shellcheck disable=SC2086
  java $gateway_jvm -Xms1g -Xmx1g -cp "$jar" dev.lensgate.bench.QueryLoadBenchmark --threads "$t" --out "$out" $load_args \
    > "$out/query-load.log" 2>&1 || { tail -40 "$out/query-load.log"; exit 1; }
done

out="$results/runner"
mkdir -p "$out"
echo "== RunnerLoadBenchmark, direct vs one in-process runner (load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a); results: $out/)"
# shellcheck disable=SC2086
java $gateway_jvm -Xms1g -Xmx1g -cp "$jar" dev.lensgate.bench.RunnerLoadBenchmark --out "$out" $runner_args \
  > "$out/runner-load.log" 2>&1 || { tail -40 "$out/runner-load.log"; exit 1; }

out="$results/search"
mkdir -p "$out"
echo "== SearchLoadBenchmark, embed/index/search on a real gateway (load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a); results: $out/)"
# shellcheck disable=SC2086
java $gateway_jvm -Xmx1g -cp "$jar" dev.lensgate.bench.SearchLoadBenchmark --out "$out" $search_args \
  > "$out/search-load.log" 2>&1 || { tail -40 "$out/search-load.log"; exit 1; }

out="$results/stream"
mkdir -p "$out"
echo "== StreamSocketsBenchmark, 10,000 subscriptions over 500 WebSockets on a real gateway (load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a); results: $out/)"
# shellcheck disable=SC2086
java $gateway_jvm -Xms1g -Xmx1g -cp "$jar" dev.lensgate.bench.StreamSocketsBenchmark --out "$out" $stream_args \
  > "$out/stream-sockets.log" 2>&1 || { tail -40 "$out/stream-sockets.log"; exit 1; }

echo
echo "== Summary ($stamp)"
cat "$results/run-info.txt"
java -cp "$jar" dev.lensgate.bench.BenchSummary "$results/jmh.json" | tee "$results/jmh-summary.txt"
for t in $load_threads; do cat "$results/load-t$t/query-load.txt"; done
cat "$results/runner/runner-load.txt"
cat "$results/search/search-load.txt"
cat "$results/stream/stream-sockets.txt"
