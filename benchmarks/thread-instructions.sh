#!/bin/bash
# Instructions and cycles per span of one processor, counted on the thread that runs it (after its
# warm-up, over the measured rounds only), with `perf stat -t`: steadier than CPU time on a machine
# whose speed changes from one minute to the next. Needs perf with access to the user-space counters.
#
#   benchmarks/thread-instructions.sh <benchmarks jar> <processor> [warm-up ops] [ops per round] [rounds]
#   benchmarks/thread-instructions.sh benchmarks/target/benchmarks.jar default_chain 2000 100 3
set -euo pipefail
if [[ $# -lt 2 || $2 == *,* ]]; then
  sed -n 6,7p "$0" | sed 's/^#   //' >&2
  echo "one processor per run (the handshake counts one thread)" >&2
  exit 2
fi
jar=$1; processor=$2; warmup=${3:-2000}; ops=${4:-100}; rounds=${5:-3}
dir=$(mktemp -d)
java_pid=""; perf_pid=""
# On any exit, stop what is still running: a JVM left waiting for "go" would wait forever.
trap 'kill $perf_pid $java_pid 2>/dev/null || true; rm -rf "$dir"' EXIT

fail() {
  echo "$1" >&2
  cat "$dir/java.out" >&2 2>/dev/null || true
  exit 1
}

java -Xms1g -Xmx1g -Dtollgate.bench.handshake="$dir" -cp "$jar" \
  io.tollgate.benchmarks.processors.ProcessorCpuTime "$processor" wire "$warmup" "$ops" "$rounds" \
  > "$dir/java.out" 2>&1 &
java_pid=$!
until [ -f "$dir/tid" ]; do
  kill -0 "$java_pid" 2>/dev/null || fail "the benchmark stopped before its warm-up was over:"
  sleep 0.1
done
perf stat -x, -e instructions:u,cycles:u -t "$(cat "$dir/tid")" -o "$dir/perf" &
perf_pid=$!
sleep 0.3
kill -0 "$perf_pid" 2>/dev/null \
  || fail "perf stat could not count the thread: see $(cat "$dir/perf" 2>/dev/null); it needs /proc/sys/kernel/perf_event_paranoid at 2 or less and a machine that exposes its counters"
touch "$dir/go"
until [ -f "$dir/done" ]; do
  kill -0 "$java_pid" 2>/dev/null || fail "the benchmark stopped during its rounds:"
  sleep 0.05
done
kill -INT "$perf_pid"
wait "$perf_pid" || true
wait "$java_pid" || fail "the benchmark failed:"
spans=$(cat "$dir/done")
instructions=$(grep instructions "$dir/perf" | cut -d, -f1)
cycles=$(grep cycles "$dir/perf" | cut -d, -f1)
[[ $instructions =~ ^[0-9]+$ && $cycles =~ ^[0-9]+$ ]] \
  || fail "perf counted no instructions or cycles (\"$instructions\", \"$cycles\"): this machine does not expose them"
echo "$processor: $((instructions / spans)) instructions and $((cycles / spans)) cycles per span" \
  "on the measuring thread ($spans spans)"
grep "CPU" "$dir/java.out" || true
