#!/usr/bin/env bash
# benchmarks/held-out-benchmark.sh: words wrong on the real-speech set's held-out leg (RealSpeechSet: every
# Asterisk prompt of 4 to 20 words that the suite's long leg and call do not use, 8 kHz mu-law, about 10 minutes),
# scored as the suite scores (TranscriptScore), by the embedded Moonshine engine and by the bundled Whisper server
# (tiny.en): the check that a decoding choice measured on the suite's set holds on speech it was not tuned on.
# Speed is the leg's length over the wall time of `callaudio transcribe` (Moonshine's load included). Uses
# $CALLAUDIO (default .build/release/callaudio). Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/real-speech/set-up.sh
IFS=$'\t' read -r _ seconds _ leg reference < <(awk -F'\t' '$1 == "held-out"' "$work/set/set.tsv")

# run NAME TRANSCRIBER: one table row.
run() {
  local out=$work/out-$1 started
  started=$(date +%s.%N)
  "$callaudio" transcribe "$leg" --transcriber "$2" --output "$out" >/dev/null 2>"$out.log"
  local wall=$(python3 -c "import time; print(time.time() - $started)")
  python3 -c 'import json, sys; print(" ".join(s["text"] for s in json.load(open(sys.argv[1]))["segments"]))' \
    "$out/call.transcript.json" >"$out.txt"
  read -r errors words _ < <("$speech_set" score "$reference" "$out.txt")
  awk -v n="$1" -v e="$errors" -v w="$words" -v s="$seconds" -v t="$wall" \
    'BEGIN { printf "| %s | %.1f%% (%d/%d) | %.1fx |\n", n, 100 * e / w, e, w, s / t }'
}

echo "| engine | held-out leg ($(printf '%.0f' "$seconds") s): words wrong | x realtime |"
echo "|---|---|---|"
run "embedded Moonshine" moonshine
run "Whisper server tiny.en" "$(scripts/whisper-server.sh start)"
