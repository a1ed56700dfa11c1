#!/usr/bin/env bash
# Benchmarks `callaudio-server serve` on loopback (never part of `swift test`):
#  1. media: wrk with a random single byte range per request against a recording's signed audio.mp3 URL, next to
#     nginx serving the same file with the same requests (requests/s and latency percentiles);
#  2. ingest: CALLS calls (the bundled two-leg call) POSTed at once to one serve process with its workers in the
#     same process, each timed from the POST's answer to the moment GET /v1/recordings/{id} says ready; next to
#     the same calls run by `callaudio process` directly, as many at once as the service has workers;
#  3. the serve process's peak memory (VmHWM) over both;
#  all three twice in the same run: with --storage a local folder, then an S3 bucket (SeaweedFS on loopback, from
#  tools/seaweedfs), whose media requests are ranged reads of the bucket and whose workers fetch and store each
#  job's files.
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
trap 'kill "${pids[@]}" 2>/dev/null || true; exec 7>&-; wait 2>/dev/null || true' EXIT

# SeaweedFS's S3 endpoint on a free loopback port, stopped when this script's end closes its standard input.
seaweed_env=$(scripts/python-env.sh seaweedfs)
mkfifo "$work/weed.in"
"$seaweed_env/bin/python" tools/seaweedfs/serve.py --bucket callaudio-bench --access-key bench \
  --secret-key bench-secret-key <"$work/weed.in" >"$work/weed.port" 2>"$work/weed.log" &
exec 7>"$work/weed.in"
until [[ -s $work/weed.port ]]; do sleep 0.1; done
s3_env=(AWS_ENDPOINT_URL="http://127.0.0.1:$(head -1 "$work/weed.port")" AWS_ACCESS_KEY_ID=bench
  AWS_SECRET_ACCESS_KEY=bench-secret-key)

submit() { # call id -> recording id
  curl -sf -H "Authorization: Bearer $key" -F leg1=@samples/call/caller.wav -F leg2=@samples/call/agent.opus -F offsets=2=2.0 \
    -F roles=caller,agent -F denoise=moderate -F "call_id=$1" "$base/v1/calls" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}
status() { curl -sf "${auth[@]}" "$base/v1/recordings/$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])'; }
media() { # label url
  wrk -t2 -c16 -d${MEDIA_SECONDS:-20}s --latency -s "$work/ranges.lua" "$2" >"$work/wrk.txt"
  local rps p50 p99
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
  echo "| $1 | $rps | $p50 | $p99 |"
  ! grep -q "Non-2xx" "$work/wrk.txt" || { echo "service-benchmark: some range requests failed" >&2; exit 1; }
}

# nginx serving call.mp3 from its own folder, for the media comparison.
nginx_media() {
  mkdir -p "$work/nginx/www"
  cp "$work/call.mp3" "$work/nginx/www/call.mp3"
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
  local nginx=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/call.mp3"; do sleep 0.1; done
  media "nginx (same file)" "http://127.0.0.1:$nginx_port/call.mp3"
  kill "$nginx"
  wait "$nginx" 2>/dev/null || true
}

# One serve process over a storage (label: folder or bucket): 1. media through a processed call's signed URL (and
# nginx with the same bytes, after the folder's), 2. ingest of CALLS calls, 3. its peak memory.
bench() { # label storage [environment...]
  local label=$1 storage=$2
  shift 2
  rm -rf "$work/jobs.db" "$work/serve-work"
  env CALLAUDIO_API_KEYS=$key "$@" "$SERVER_BIN" serve --queue "sqlite:$work/jobs.db" --storage "$storage" \
    --work-dir "$work/serve-work" --port $port --host 127.0.0.1 --workers "$workers" --metrics-port 0 \
    2>"$work/serve-$label.log" &
  local serve=$!
  pids+=("$serve")
  until curl -sf "$base/livez" >/dev/null; do sleep 0.1; done

  local first audio_url size
  first=$(submit "media-$label")
  until [[ $(status "$first") == ready ]]; do sleep 0.2; done
  audio_url=$(curl -sf "${auth[@]}" "$base/v1/recordings/$first" | python3 -c 'import json,sys; print(json.load(sys.stdin)["audio_url"])')
  curl -sf -o "$work/call.mp3" "$base$audio_url"
  size=$(stat -c %s "$work/call.mp3")
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
  echo
  echo "### Storage: $label (--storage $storage)"
  echo
  echo "Media: random single ranges (up to 64 KiB) of a $size-byte MP3, wrk -t2 -c16, ${MEDIA_SECONDS:-20} s"
  echo
  echo "| server | requests/s | p50 | p99 |"
  echo "|---|---|---|---|"
  media "callaudio-server serve, $label (signed URL)" "$base$audio_url"
  [[ $label != folder ]] || nginx_media

  python3 benchmarks/service_load.py 127.0.0.1 $port $key "$calls" samples/call/caller.wav samples/call/agent.opus \
    >"$work/load-$label.json"
  local peak_kb
  peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$serve/status")
  kill "$serve"
  wait "$serve" 2>/dev/null || true
  python3 benchmarks/service_report.py "$work/load-$label.json" "$cli_seconds" "$calls" "$workers" "$peak_kb"
}

# The same calls through the library directly: `callaudio process`, WORKERS at a time.
cli_start=$(date +%s.%N)
seq 1 "$calls" | xargs -P "$workers" -I{} "$BIN" process samples/call/caller.wav samples/call/agent.opus \
  --offset 2=2.0 --denoise moderate --output "$work/cli/{}" >/dev/null
cli_seconds=$(python3 -c 'import sys; print(float(sys.argv[2]) - float(sys.argv[1]))' "$cli_start" "$(date +%s.%N)")

bench folder "$work/storage"
bench bucket s3://callaudio-bench/service "${s3_env[@]}"
