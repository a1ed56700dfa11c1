# Sourced by the benchmark scripts: starts a throwaway PostgreSQL cluster with its default, durable settings
# (fsync and synchronous commit on) on a free loopback port, in a temporary folder ($work, which also holds the
# benchmark's other files), run as the postgres user; sets $port, and stops it and removes $work on exit.
# Usage: source benchmarks/throwaway-postgres.sh NAME
work=$(mktemp -d "/tmp/callaudio-$1.XXXXXX")
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
port=$((20000 + RANDOM % 20000))
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((20000 + RANDOM % 20000)); done
as_postgres() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[[ $(id -u) -eq 0 ]] && chown postgres:postgres "$work"
as_postgres "$pgbin/initdb" -D "$work/data" -U postgres -A trust -E UTF8 >/dev/null
as_postgres "$pgbin/pg_ctl" -D "$work/data" -l "$work/server.log" -w start \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1" >/dev/null
trap 'as_postgres "$pgbin/pg_ctl" -D "$work/data" -m fast stop >/dev/null; rm -rf "$work"' EXIT
