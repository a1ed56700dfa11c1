#!/usr/bin/env bash
# Benchmarks `callaudio process` and `callaudio encode` against ffmpeg doing the same work on the same input,
# in the same run: x realtime, CPU seconds and peak RSS, and the callaudio/ffmpeg speed ratio.
#
#   benchmarks/call-benchmark.sh [MINUTES...]     (default: 10 60)
#
# The call: leg 1 is an 8 kHz G.711 mu-law WAV, leg 2 a 48 kHz Ogg/Opus leg starting 2 s later, both made
# by looping the bundled samples. Both tools decode both legs, resample to 16 kHz, delay leg 2, mix to mono,
# limit, and encode a 32 kbit/s MP3 (callaudio with --denoise off --no-high-pass --loudness off, the same
# work: ffmpeg filters no rumble either). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
for tool in ffmpeg sox bc /usr/bin/time; do
  command -v "$tool" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg sox bc time >/dev/null; }
done
# Built as it is deployed (docs/operations.md): Swift's runtime and Foundation linked into the binary.
swift build -c release --static-swift-stdlib --product callaudio >/dev/null
bin=$(swift build -c release --show-bin-path)/callaudio
work=${BENCH_DIR:-/tmp/callaudio-bench}
mkdir -p "$work"
minutes_list=("${@:-10}")
[[ $# -eq 0 ]] && minutes_list=(10 60)

# measure NAME AUDIO_SECONDS CMD...: runs CMD under GNU time, prints a table row.
measure() {
  local name=$1 seconds=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" \
    || { echo "FAILED: $*" >&2; cat "$work/stderr.txt" >&2; exit 1; }
  read -r wall user sys rss <"$work/time.txt"
  LAST_WALL=$wall
  printf '| %s | %.1f | %.2f | %.2f | %.0fx | %.1f |\n' "$name" "$((seconds / 60))" "$wall" \
    "$(echo "$user + $sys" | bc)" "$(echo "$seconds / $wall" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
}

make_call() { # make_call MINUTES: leg1.wav and leg2.opus of that length under $work/MINUTES/
  local dir=$work/$1 seconds=$(($1 * 60))
  [[ -f $dir/leg2.opus ]] && return
  mkdir -p "$dir"
  sox samples/call/caller.wav -r 8000 -e u-law "$dir/leg1.wav" repeat $((seconds / 15)) trim 0 "$seconds"
  ffmpeg -loglevel error -y -stream_loop -1 -i samples/call/agent.opus -t $((seconds - 2)) -ar 48000 -c:a libopus -b:a 24k "$dir/leg2.opus"
}

echo "| run | minutes | wall s | CPU s | x realtime | peak RSS MB |"
echo "|---|---|---|---|---|---|"
for minutes in "${minutes_list[@]}"; do
  make_call "$minutes"
  dir=$work/$minutes
  seconds=$((minutes * 60))
  measure "callaudio process" "$seconds" "$bin" process "$dir/leg1.wav" "$dir/leg2.opus" --offset 2=2 --denoise off --no-high-pass --loudness off --output "$dir/callaudio"
  ours=$LAST_WALL
  measure "ffmpeg (same work)" "$seconds" ffmpeg -loglevel error -y -i "$dir/leg1.wav" -i "$dir/leg2.opus" -filter_complex \
    "[0:a]aresample=16000[a];[1:a]aresample=16000,adelay=2000[b];[a][b]amix=inputs=2:duration=longest:normalize=0,alimiter=limit=0.891[out]" \
    -map "[out]" -ac 1 -c:a libmp3lame -b:a 32k "$dir/ffmpeg.mp3"
  printf '| speed ratio callaudio/ffmpeg | %s | | | %.2fx | |\n' "$minutes" "$(echo "$LAST_WALL / $ours" | bc -l)"
done

# Batch re-encoding: 16 one-minute recordings, 1 worker against 2.
batch=$work/batch2
if [[ ! -f $batch/in/r15.wav ]]; then
  mkdir -p "$batch/in"
  make_call 10
  for i in $(seq 0 15); do sox "$work/10/leg1.wav" "$batch/in/r$i.wav" trim $((i * 30)) 120; done
fi
measure "callaudio encode --jobs 1 (16 x 2 min)" 1920 "$bin" encode "$batch/in" --output "$batch/out1" --jobs 1 --force
one=$LAST_WALL
measure "callaudio encode --jobs 2 (16 x 2 min)" 1920 "$bin" encode "$batch/in" --output "$batch/out2" --jobs 2 --force
printf '| speedup --jobs 2 / --jobs 1 | 16 | | | %.2fx | |\n' "$(echo "$one / $LAST_WALL" | bc -l)"
