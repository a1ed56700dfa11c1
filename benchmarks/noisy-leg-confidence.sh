#!/usr/bin/env bash
# benchmarks/noisy-leg-confidence.sh: what callaudio keeps of a noisy leg's readings, against each reading alone.
# The real-speech call's caller leg (RealSpeechSet) under pink, white and brown noise (sox, seeded; five levels, two
# noise draws each: the second is the first reversed) is transcribed by callaudio with the bundled tiny.en server
# raw (`--transcription-denoise off`), cleaned by webrtc (`moderate`) and by DeepFilterNet3 (`deep`), and as
# callaudio chooses (no flag: a noisy leg read all three ways and the readings voted on word by word; two ways, the
# surer reading kept, without DeepFilterNet3); each row gives the words wrong of each, the readings' confidence
# (their segments' confidence, weighted by their length) and the clean-up callaudio recorded (call.transcript.json's
# `cleanup`: the reading kept, or the one the vote started from). Needs scripts/install-deepfilter.sh.
# LEG=held-out reads the set's held-out leg (every prompt the call does not use, about 10 minutes) instead of the
# call's caller leg; KINDS, LEVELS (sox volumes) and DRAWS choose the rows (defaults: every kind, level and draw).
# Uses $CALLAUDIO (default .build/release/callaudio). Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/real-speech/set-up.sh
recording=${LEG:-call}
caller=$(awk -F'\t' -v r="$recording" '$1 == r && $3 == 0 { print $4 }' "$work/set/set.tsv")
reference=$(awk -F'\t' -v r="$recording" '$1 == r && $3 == 0 { print $5 }' "$work/set/set.tsv")
seconds=$(awk -F'\t' -v r="$recording" '$1 == r { print $2; exit }' "$work/set/set.tsv")
url=$(scripts/whisper-server.sh start)

# read_leg DENOISE: transcribes $work/noisy.wav (DENOISE auto: as callaudio chooses); prints
# "ERRORS/WORDS CONFIDENCE KEPT".
read_leg() {
  local out=$work/out-$1
  rm -rf "$out"
  "$callaudio" transcribe "$work/noisy.wav" --transcriber "$url" $([[ $1 == auto ]] || echo "--transcription-denoise $1") \
    --output "$out" >/dev/null 2>&1
  local summary
  summary=$(python3 - "$out/call.transcript.json" "$out.txt" <<'PY'
import json, sys
transcript = json.load(open(sys.argv[1]))
segments = transcript["segments"]
open(sys.argv[2], "w").write(" ".join(s["text"] for s in segments))
length = sum(s["end"] - s["start"] for s in segments) or 1
confidence = sum((s.get("confidence") or 0) * (s["end"] - s["start"]) for s in segments) / length
print(f'{confidence:.3f} {transcript.get("cleanup", ["?"])[0]}')
PY
  )
  read -r errors words _ < <("$speech_set" score "$reference" "$out.txt")
  echo "$errors/$words $summary"
}

echo "| noise | draw | RMS dBFS | raw: words wrong | raw: confidence | moderate: words wrong | moderate: confidence | deep: words wrong | deep: confidence | callaudio: words wrong | callaudio recorded |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for kind in ${KINDS:-pinknoise whitenoise brownnoise}; do
  for level in ${LEVELS:-0.1 0.2 0.3 0.45 0.6}; do
    for draw in ${DRAWS:-1 2}; do
      sox -R -n -r 8000 -c 1 "$work/noise.wav" synth "$seconds" "$kind" vol "$level" 2>/dev/null
      if [[ $draw == 2 ]]; then sox "$work/noise.wav" "$work/reversed.wav" reverse; mv "$work/reversed.wav" "$work/noise.wav"; fi
      sox -m -v 1 "$caller" -v 1 "$work/noise.wav" -e u-law -b 8 "$work/noisy.wav" 2>/dev/null
      rms=$(sox "$work/noise.wav" -n stats 2>&1 | awk '/RMS lev dB/ { print $4 }')
      read -r raw raw_confidence _ < <(read_leg off)
      read -r moderate moderate_confidence _ < <(read_leg moderate)
      read -r deep deep_confidence _ < <(read_leg deep)
      read -r kept _ recorded < <(read_leg auto)
      echo "| ${kind%noise} | $draw | $rms | $raw | $raw_confidence | $moderate | $moderate_confidence | $deep | $deep_confidence | $kept | $recorded |"
    done
  done
done
