#!/usr/bin/env bash
# Benchmarks the job queue: claim-and-complete throughput of empty jobs on SQLite and on PostgreSQL, and the
# time the queue adds to a real call-recording job (the bundled sample call). Prints Markdown table rows.
#
#   benchmarks/queue-benchmark.sh [JOBS] [WORKERS]      (default: 5000 4)
#
# PostgreSQL is a throwaway cluster with its default, durable settings (fsync and synchronous commit on), on a
# free loopback port in a temporary folder, run as the postgres user; it is stopped at the end.
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

work=$(mktemp -d /tmp/callaudio-queue-bench.XXXXXX)
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
port=$((20000 + RANDOM % 20000))
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((20000 + RANDOM % 20000)); done
as_postgres() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[[ $(id -u) -eq 0 ]] && chown postgres:postgres "$work"
as_postgres "$pgbin/initdb" -D "$work/data" -U postgres -A trust -E UTF8 >/dev/null
as_postgres "$pgbin/pg_ctl" -D "$work/data" -l "$work/server.log" -w start \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1" >/dev/null
trap 'as_postgres "$pgbin/pg_ctl" -D "$work/data" -m fast stop >/dev/null; rm -rf "$work"' EXIT

echo "| Store | Work | Jobs | Workers | Result |"
echo "|---|---|---|---|---|"
"$bin" "sqlite:$work/jobs.db" "postgres://postgres@127.0.0.1:$port/postgres" \
  --jobs "$jobs" --workers "$workers" --call samples/call/caller.wav samples/call/agent.opus --callaudio "$callaudio"
