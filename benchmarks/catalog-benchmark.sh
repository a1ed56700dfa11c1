#!/usr/bin/env bash
# Benchmarks the recordings' catalog at scale on SQLite and on PostgreSQL: fills each with RECORDINGS recordings
# of SEGMENTS transcript segments, then times list and search pages (p50, p95) and prints the databases' plans.
# Prints Markdown table rows.
#
#   benchmarks/catalog-benchmark.sh [RECORDINGS] [SEGMENTS]      (default: 100000 10)
#
# PostgreSQL is a throwaway cluster with its default, durable settings, on a free loopback port in a temporary
# folder, run as the postgres user; it is stopped and removed at the end, as is the SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
recordings=${1:-100000}
segments=${2:-10}
swift build -c release --package-path benchmarks --product catalog-bench >/dev/null
bin=$(swift build -c release --package-path benchmarks --show-bin-path)/catalog-bench

work=$(mktemp -d /tmp/callaudio-catalog-bench.XXXXXX)
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
port=$((20000 + RANDOM % 20000))
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((20000 + RANDOM % 20000)); done
as_postgres() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[[ $(id -u) -eq 0 ]] && chown postgres:postgres "$work"
as_postgres "$pgbin/initdb" -D "$work/data" -U postgres -A trust -E UTF8 >/dev/null
as_postgres "$pgbin/pg_ctl" -D "$work/data" -l "$work/server.log" -w start \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1" >/dev/null
trap 'as_postgres "$pgbin/pg_ctl" -D "$work/data" -m fast stop >/dev/null; rm -rf "$work"' EXIT

echo "| Store | Work | Size | Result |"
echo "|---|---|---|---|"
"$bin" "sqlite:$work/catalog.db" "postgres://postgres@127.0.0.1:$port/postgres" \
  --recordings "$recordings" --segments "$segments"
