#!/usr/bin/env bash
# benchmarks/transcription-bench.sh: word error rate and speed of the embedded pocketsphinx engine
# (`callaudio transcribe`, clean-up before recognition off and moderate) against the pocketsphinx_continuous CLI
# on the same telephone-band audio: espeak-ng sentences as 8 kHz mu-law, clean and with white noise at -30 dBFS.
# Uses the built .build/debug/callaudio (or $CALLAUDIO). Prints one markdown table row per run.
set -euo pipefail
cd "$(dirname "$0")/.."
callaudio=${CALLAUDIO:-.build/debug/callaudio}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
text="I would like to cancel my account. Can you refund the last payment to my card? \
The order number is four five seven one. Please send me an email when it is done. Thank you very much."
espeak-ng -s 150 -w "$work/speech.wav" "$text"
sox "$work/speech.wav" -r 8000 -e u-law "$work/clean.wav" pad 1 1
sox "$work/clean.wav" -p synth whitenoise vol 0.03 | sox -m "$work/clean.wav" - -r 8000 -e u-law "$work/noisy.wav"
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
echo "| audio | run | WER | wall s | x realtime | peak RSS MB |"
echo "|---|---|---|---|---|---|"
for audio in clean noisy; do
  for denoise in off moderate; do
    /usr/bin/time -f "%e %M" -o "$work/time" "$callaudio" transcribe "$work/$audio.wav" --transcriber pocketsphinx \
      --transcription-denoise $denoise --output "$work/out" >/dev/null 2>&1
    read -r wall rss <"$work/time"
    echo "| $audio | callaudio pocketsphinx, denoise $denoise | $(wer "$(cut -d' ' -f3- "$work/out/call.txt")") | $wall | $(python3 -c "print(f'{$seconds/$wall:.1f}x')") | $((rss / 1024)) |"
  done
  sox "$work/$audio.wav" -r 16000 -e signed -b 16 "$work/$audio-16k.wav"
  /usr/bin/time -f "%e %M" -o "$work/time" pocketsphinx_continuous -infile "$work/$audio-16k.wav" -logfn /dev/null \
    >"$work/cli.txt" 2>/dev/null
  read -r wall rss <"$work/time"
  echo "| $audio | pocketsphinx_continuous (defaults, 16 kHz) | $(wer "$(cat "$work/cli.txt")") | $wall | $(python3 -c "print(f'{$seconds/$wall:.1f}x')") | $((rss / 1024)) |"
done
