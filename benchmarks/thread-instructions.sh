#!/bin/bash
# Instructions and cycles per span of one processor, counted on the thread that runs it (after its
# warm-up, over the measured rounds only), with `perf stat -t`: steadier than CPU time on a machine
# whose speed changes from one minute to the next. Needs perf with access to the user-space counters.
#
#   benchmarks/thread-instructions.sh <benchmarks jar> <processor> [warm-up ops] [ops per round] [rounds]
#   benchmarks/thread-instructions.sh benchmarks/target/benchmarks.jar default_chain 2000 100 3
set -euo pipefail
jar=$1; processor=$2; warmup=${3:-2000}; ops=${4:-100}; rounds=${5:-3}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
java -Xms1g -Xmx1g -Dtollgate.bench.handshake="$dir" -cp "$jar" \
  io.tollgate.benchmarks.processors.ProcessorCpuTime "$processor" wire "$warmup" "$ops" "$rounds" \
  > "$dir/java.out" 2>&1 &
java_pid=$!
until [ -f "$dir/tid" ]; do
  if ! kill -0 "$java_pid" 2>/dev/null; then cat "$dir/java.out"; exit 1; fi
  sleep 0.1
done
perf stat -x, -e instructions:u,cycles:u -t "$(cat "$dir/tid")" -o "$dir/perf" &
perf_pid=$!
sleep 0.3
touch "$dir/go"
until [ -f "$dir/done" ]; do sleep 0.05; done
kill -INT "$perf_pid"
wait "$perf_pid" || true
wait "$java_pid"
spans=$(cat "$dir/done")
instructions=$(grep instructions "$dir/perf" | cut -d, -f1)
cycles=$(grep cycles "$dir/perf" | cut -d, -f1)
echo "$processor: $((instructions / spans)) instructions and $((cycles / spans)) cycles per span" \
  "on the measuring thread ($spans spans)"
grep "CPU" "$dir/java.out" || true
