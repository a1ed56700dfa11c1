#!/usr/bin/env bash
# Measures whether speed-copy renders delay other users' media (issue 20, finding 3; never part of `swift test`):
# one `serve` process (release build, no workers in the process: the recordings are processed first by a
# `worker`), a 10-minute two-leg call and a short one. wrk asks for random single ranges of the short call's
# audio through its signed URL, first with nothing else running, then while the player's three speed copies of
# the long call (0.5x, 1.5x, 2x) are requested at once; it reports the latency percentiles of both runs and the
# time the three renders took.
#
#   benchmarks/render-isolation-benchmark.sh          (BIN=path/to/callaudio-server to use a given build)
# Needs wrk, sox and curl (installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk sox curl; do
  command -v "$tool" >/dev/null || apt-get install -y -q wrk sox curl >/dev/null
done
if [[ -z "${BIN:-}" ]]; then
  swift build -c release --product callaudio-server >/dev/null
  BIN=$(swift build -c release --show-bin-path)/callaudio-server
fi
work=${BENCH_DIR:-/tmp/callaudio-render-bench}
rm -rf "$work" && mkdir -p "$work"
port=18190
base=http://127.0.0.1:$port
key=bench-key
auth=(-H "Authorization: Bearer $key")
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true' EXIT

# A 10-minute call: two 8 kHz mu-law legs of band-limited noise bursts, the second 2 s late.
sox -n -r 8000 -e u-law "$work/caller.wav" synth 600 pinknoise band 300 3000 tremolo 0.5 90
sox -n -r 8000 -e u-law "$work/agent.wav" synth 598 pinknoise band 300 3000 tremolo 0.4 90

CALLAUDIO_API_KEYS=$key "$BIN" serve --queue "sqlite:$work/jobs.db" --storage "$work/storage" --port $port \
  --host 127.0.0.1 --workers 2 --metrics-port 0 2>"$work/serve.log" &
pids+=($!)
until curl -sf "$base/livez" >/dev/null; do sleep 0.1; done

submit() { # call id, leg1, leg2 -> recording id
  curl -sf "${auth[@]}" -F "leg1=@$2" -F "leg2=@$3" -F offsets=2=2.0 -F denoise=off -F "call_id=$1" "$base/v1/calls" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}
field() { curl -sf "${auth[@]}" "$base/v1/recordings/$1" | python3 -c "import json,sys; print(json.load(sys.stdin)['$2'])"; }
long=$(submit long "$work/caller.wav" "$work/agent.wav")
short=$(submit short samples/call/caller.wav samples/call/agent.opus)
for id in "$long" "$short"; do until [[ $(field "$id" status) == ready ]]; do sleep 0.5; done; done
audio_url=$(field "$short" audio_url)
size=$(stat -c %s "$work/storage/recordings/$short/call.mp3")
cat >"$work/ranges.lua" <<LUA
math.randomseed(42)
local size = $size
request = function()
  local first = math.random(0, size - 1)
  wrk.headers["Range"] = "bytes=" .. first .. "-" .. math.min(size - 1, first + math.random(0, 65535))
  return wrk.format(nil)
end
LUA
media() { # label
  wrk -t1 -c4 -d10s --latency -s "$work/ranges.lua" "$base$audio_url" >"$work/wrk-$1.txt"
  grep -q "Non-2xx" "$work/wrk-$1.txt" && { echo "render-isolation-benchmark: range requests failed" >&2; exit 1; }
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$(awk '/^Requests\/sec/ {print $2}' "$work/wrk-$1.txt")" \
    "$(awk '$1 == "50%" {print $2}' "$work/wrk-$1.txt")" "$(awk '$1 == "90%" {print $2}' "$work/wrk-$1.txt")" \
    "$(awk '$1 == "99%" {print $2}' "$work/wrk-$1.txt")"
}
echo "Media: random single ranges of the short call's $size-byte MP3, wrk -t1 -c4, 10 s each"
echo
echo "| while | requests/s | p50 | p90 | p99 |"
echo "|---|---|---|---|---|"
media "nothing else"
render_start=$(date +%s.%N)
for speed in 0.5 1.5 2; do
  curl -sf -o /dev/null "${auth[@]}" "$base/v1/recordings/$long/audio.mp3?speed=$speed" &
  pids+=($!)
  renders+=($!)
done
media "3 renders of a 10-minute call"
wait "${renders[@]}"
render_end=$(date +%s.%N)
echo
python3 -c "import sys; print(f'The three renders took {float(sys.argv[2]) - float(sys.argv[1]):.1f} s in all (one at a time).')" \
  "$render_start" "$render_end"
