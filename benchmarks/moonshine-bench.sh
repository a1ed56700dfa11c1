#!/usr/bin/env bash
# benchmarks/moonshine-bench.sh [COUNT]: word error rate and speed of the embedded engines on real human telephone
# speech. COUNT (default 25) prompts of Debian's asterisk-core-sounds-en-wav (one voice actor, 8 kHz), those of six
# words or more with no digits or number words in the package's script (numbers are scored elsewhere, and written
# as digits by Moonshine), in name order, are joined
# with a second of silence into one 8 kHz mu-law leg; `callaudio transcribe` runs on it with the Moonshine engine
# (denoise off, moderate, deep) and pocketsphinx. WER against the script, lower case, words of letters and
# apostrophes. Uses .build/release/callaudio (or $CALLAUDIO); the engine load is included in the times. CPU s is
# user + system time of the process: on a shared machine, the steadier measure of the cost.
set -euo pipefail
cd "$(dirname "$0")/.."
callaudio=${CALLAUDIO:-.build/release/callaudio}
count=${1:-25}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# MOONSHINE_BENCH_KEEP=DIR keeps the leg, the reference and each run's transcript there.
sounds=/usr/share/asterisk/sounds/en_US_f_Allison
zcat /usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz | python3 -c '
import sys, re, os
count, sounds = int(sys.argv[1]), sys.argv[2]
chosen = []
numbers = re.compile(r"\b(zero|one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand)\b", re.I)
for line in sorted(sys.stdin):
    name, _, text = line.partition(":")
    text = text.strip()
    if line.startswith(";") or "[" in text or "(" in text or re.search(r"\d", text) or numbers.search(text): continue
    if len(re.findall(r"[A-Za-z\x27]+", text)) < 6 or not os.path.exists(f"{sounds}/{name}.wav"): continue
    chosen.append((name, text))
for name, text in chosen[:count]: print(f"{name}\t{text}")
' "$count" "$sounds" >"$work/prompts.tsv"
files=()
while IFS=$'\t' read -r name _; do files+=("$sounds/$name.wav" "$work/gap.wav"); done <"$work/prompts.tsv"
sox -n -r 8000 -c 1 -b 16 "$work/gap.wav" trim 0 1
sox "${files[@]}" -r 8000 -e u-law "$work/leg.wav"
cut -f2 "$work/prompts.tsv" | tr '\n' ' ' >"$work/reference.txt"
seconds=$(soxi -D "$work/leg.wav")
echo "$(wc -l <"$work/prompts.tsv") prompts, $(wc -w <"$work/reference.txt") words, ${seconds%.*} s of audio"
echo
echo "| engine | denoise | WER | wall s | x realtime | CPU s | x realtime per CPU s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|"
for run in "moonshine off" "moonshine moderate" "moonshine deep" "pocketsphinx moderate"; do
  read -r engine denoise <<<"$run"
  /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$callaudio" transcribe "$work/leg.wav" --transcriber "$engine" \
    --transcription-denoise "$denoise" --output "$work/out-$engine-$denoise" >/dev/null 2>&1
  read -r wall rss user system <"$work/time"
  cut -d' ' -f3- "$work/out-$engine-$denoise/call.txt" >"$work/hypothesis.txt"
  python3 - "$work/reference.txt" "$work/hypothesis.txt" "$engine" "$denoise" "$wall" "$rss" "$seconds" \
    "$user" "$system" <<'PY'
import re, sys
ref, hyp = (re.findall(r"[a-z']+", open(p).read().lower()) for p in sys.argv[1:3])
d = list(range(len(hyp) + 1))
for i, r in enumerate(ref):
    diag, d[0] = d[0], i + 1
    for j, h in enumerate(hyp):
        diag, d[j + 1] = d[j + 1], min(d[j + 1] + 1, d[j] + 1, diag + (r != h))
engine, denoise, rss = sys.argv[3], sys.argv[4], int(sys.argv[6])
wall, seconds, cpu = float(sys.argv[5]), float(sys.argv[7]), float(sys.argv[8]) + float(sys.argv[9])
print(f"| {engine} | {denoise} | {d[-1] / len(ref):.1%} | {wall:.2f} | {seconds / wall:.1f}x | {cpu:.2f} "
      f"| {seconds / cpu:.1f}x | {rss // 1024} |")
PY
done
if [[ -n ${MOONSHINE_BENCH_KEEP:-} ]]; then mkdir -p "$MOONSHINE_BENCH_KEEP" && cp -r "$work"/. "$MOONSHINE_BENCH_KEEP"; fi
