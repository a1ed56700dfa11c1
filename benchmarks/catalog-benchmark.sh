#!/usr/bin/env bash
# Benchmarks the recordings' catalog at scale on SQLite and on PostgreSQL: fills each with RECORDINGS recordings
# of SEGMENTS transcript segments, then times list and search pages (p50, p95) and prints the databases' plans.
# Prints Markdown table rows.
#
#   benchmarks/catalog-benchmark.sh [RECORDINGS] [SEGMENTS]      (default: 100000 10)
#
# PostgreSQL is a throwaway cluster (benchmarks/throwaway-postgres.sh), stopped and removed at the end, as is the
# SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
recordings=${1:-100000}
segments=${2:-10}
swift build -c release --package-path benchmarks --product catalog-bench >/dev/null
bin=$(swift build -c release --package-path benchmarks --show-bin-path)/catalog-bench

source benchmarks/throwaway-postgres.sh catalog-bench

echo "| Store | Work | Size | Result |"
echo "|---|---|---|---|"
"$bin" "sqlite:$work/catalog.db" "postgres://postgres@127.0.0.1:$port/postgres" \
  --recordings "$recordings" --segments "$segments"
