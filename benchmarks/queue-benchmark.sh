#!/usr/bin/env bash
# Benchmarks the job queue: claim-and-complete throughput of empty jobs on SQLite and on PostgreSQL, and the
# time the queue adds to a real call-recording job (the bundled sample call). Prints Markdown table rows.
#
#   benchmarks/queue-benchmark.sh [JOBS] [WORKERS]      (default: 5000 4)
#
# PostgreSQL is a throwaway cluster (benchmarks/throwaway-postgres.sh), stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
jobs=${1:-5000}
workers=${2:-4}
configuration=${CONFIGURATION:-release}
swift build -c "$configuration" --package-path benchmarks --product queue-bench >/dev/null
swift build -c "$configuration" --product callaudio-server >/dev/null
bin=$(swift build -c "$configuration" --package-path benchmarks --show-bin-path)/queue-bench
callaudio=$(swift build -c "$configuration" --show-bin-path)/callaudio-server

source benchmarks/throwaway-postgres.sh queue-bench

echo "| Store | Work | Jobs | Workers | Result |"
echo "|---|---|---|---|---|"
"$bin" "sqlite:$work/jobs.db" "postgres://postgres@127.0.0.1:$port/postgres" \
  --jobs "$jobs" --workers "$workers" --call samples/call/caller.wav samples/call/agent.opus --callaudio "$callaudio"
