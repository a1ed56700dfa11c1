#!/usr/bin/env bash
# Benchmarks `callaudio-server serve` on loopback (never part of `swift test`):
#  1. media: wrk with a random single byte range per request against a recording's signed audio.mp3 URL, next to
#     nginx serving the same file with the same requests (requests/s and latency percentiles);
#  2. ingest: CALLS calls (the bundled two-leg call) POSTed at once to one serve process with its workers in the
#     same process, each timed from the POST's answer to the moment GET /v1/recordings/{id} says ready; next to
#     the same calls run by `callaudio process` directly, as many at once as the service has workers;
#  3. the serve process's peak memory (VmHWM) over both.
#
#   benchmarks/service-benchmark.sh [CALLS]     (default 100; BIN=path/to/callaudio to use a given build, callaudio-server beside it)
# Needs wrk, nginx-light, curl and python3 (the first three installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-100}
workers=${WORKERS:-2}
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || apt-get install -y -q wrk nginx-light curl >/dev/null
done
if [[ -z "${BIN:-}" ]]; then
  swift build -c release --product callaudio >/dev/null
  swift build -c release --product callaudio-server >/dev/null
  BIN=$(swift build -c release --show-bin-path)/callaudio
fi
SERVER_BIN=${SERVER_BIN:-$(dirname "$BIN")/callaudio-server}
work=${BENCH_DIR:-/tmp/callaudio-service-bench}
rm -rf "$work" && mkdir -p "$work"
port=18180
nginx_port=18181
base=http://127.0.0.1:$port
key=bench-key
auth=(-H "Authorization: Bearer $key")
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true' EXIT

CALLAUDIO_API_KEYS=$key "$SERVER_BIN" serve --queue "sqlite:$work/jobs.db" --storage "$work/storage" --port $port \
  --host 127.0.0.1 --workers "$workers" 2>"$work/serve.log" &
serve=$!
pids+=("$serve")
until curl -sf "$base/livez" >/dev/null; do sleep 0.1; done

submit() { # call id -> recording id
  curl -sf -H "Authorization: Bearer $key" -F leg1=@samples/call/caller.wav -F leg2=@samples/call/agent.opus -F offsets=2=2.0 \
    -F roles=caller,agent -F denoise=moderate -F "call_id=$1" "$base/v1/calls" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}
status() { curl -sf "${auth[@]}" "$base/v1/recordings/$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])'; }

# 1. Media. One processed call; its signed URL for wrk, and the same bytes under nginx.
first=$(submit media-0)
until [[ $(status "$first") == ready ]]; do sleep 0.2; done
audio_url=$(curl -sf "${auth[@]}" "$base/v1/recordings/$first" | python3 -c 'import json,sys; print(json.load(sys.stdin)["audio_url"])')
mp3=$work/storage/recordings/$first/call.mp3
size=$(stat -c %s "$mp3")
mkdir -p "$work/nginx/www"
cp "$mp3" "$work/nginx/www/call.mp3"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$nginx_port; root $work/nginx/www; }
}
EOF
nginx -c "$work/nginx/nginx.conf" &
pids+=($!)
until curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/call.mp3"; do sleep 0.1; done
cat >"$work/ranges.lua" <<EOF
-- One random single range per request, as a browser seeking through the file asks.
math.randomseed(42)
local size = $size
request = function()
  local first = math.random(0, size - 1)
  local last = math.min(size - 1, first + math.random(0, 65535))
  wrk.headers["Range"] = "bytes=" .. first .. "-" .. last
  return wrk.format(nil)
end
EOF
media() { # label url
  wrk -t2 -c16 -d${MEDIA_SECONDS:-20}s --latency -s "$work/ranges.lua" "$2" >"$work/wrk-$1.txt"
  local rps p50 p99
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk-$1.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$work/wrk-$1.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk-$1.txt")
  echo "| $1 | $rps | $p50 | $p99 |"
}
echo "Media: random single ranges (up to 64 KiB) of a $size-byte MP3, wrk -t2 -c16, ${MEDIA_SECONDS:-20} s"
echo
echo "| server | requests/s | p50 | p99 |"
echo "|---|---|---|---|"
media "callaudio-server serve (signed URL)" "$base$audio_url"
media "nginx (same file)" "http://127.0.0.1:$nginx_port/call.mp3"
grep -h "Non-2xx" "$work"/wrk-*.txt && { echo "service-benchmark: some range requests failed" >&2; exit 1; }

# 2. Ingest: CALLS calls at once, each timed from its POST to the first GET that says it is ready.
python3 benchmarks/service_load.py 127.0.0.1 $port $key "$calls" samples/call/caller.wav samples/call/agent.opus \
  >"$work/load.json"
peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$serve/status")

# The same calls through the library directly: `callaudio process`, WORKERS at a time.
cli_start=$(date +%s.%N)
seq 1 "$calls" | xargs -P "$workers" -I{} "$BIN" process samples/call/caller.wav samples/call/agent.opus \
  --offset 2=2.0 --denoise moderate --output "$work/cli/{}" >/dev/null
cli_finished=$(date +%s.%N)

python3 - "$work/load.json" "$cli_start" "$cli_finished" "$calls" "$workers" "$peak_kb" <<'EOF'
import json, sys
load = json.load(open(sys.argv[1]))
cli_start, cli_finished = float(sys.argv[2]), float(sys.argv[3])
calls, workers, peak_kb = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
latencies = sorted(load["ready"][r] - load["answered"][r] for r in load["ready"])
assert len(latencies) == calls, f"{len(latencies)} of {calls} calls became ready"
def pct(p): return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))]
service, cli = max(load["ready"].values()), cli_finished - cli_start
print()
print(f"Ingest: {calls} two-leg calls POSTed at once, {workers} workers in the serve process")
print()
print("| | seconds |")
print("|---|---|")
print(f"| all {calls} POSTs answered 202 | {max(load['answered'].values()):.1f} |")
print(f"| answer to ready, p50 | {pct(50):.1f} |")
print(f"| answer to ready, p95 | {pct(95):.1f} |")
print(f"| answer to ready, max | {latencies[-1]:.1f} |")
print(f"| first POST to last ready (service) | {service:.1f} |")
print(f"| the same calls by `callaudio process`, {workers} at a time | {cli:.1f} |")
print(f"| service / direct | {service / cli:.2f} |")
print()
print(f"serve process peak memory (VmHWM) over the whole run: {peak_kb / 1024:.0f} MB")
EOF
