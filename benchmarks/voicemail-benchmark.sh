#!/usr/bin/env bash
# Benchmarks `callaudio voicemail` end to end on a 60 s message (clean-up, trim, 16 kHz MP3, email built):
# x realtime, CPU seconds and peak RSS; and the email's size per minute next to what Asterisk attaches by
# default (the same minute as 8 kHz 16-bit PCM WAV and as GSM-in-WAV "WAV49", each base64-encoded as in mail).
#
#   benchmarks/voicemail-benchmark.sh [SECONDS]       (default 60; BIN=path/to/callaudio to use a given build)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
if [[ -z "${BIN:-}" ]]; then
  swift build -c release --product callaudio >/dev/null
  BIN=$(swift build -c release --show-bin-path)/callaudio
fi
work=${BENCH_DIR:-/tmp/callaudio-vm-bench}
rm -rf "$work" && mkdir -p "$work"
# The bundled voicemail looped to SECONDS, as the phone system stores it: 8 kHz G.711 mu-law WAV.
sox samples/voicemail.flac -r 8000 -c 1 -e mu-law "$work/vm.wav" repeat 10 trim 0 "$seconds"
/usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$BIN" voicemail "$work/vm.wav" --to user@example.com \
  --from voicemail@example.com --caller-number +15551234567 --caller-name "Zoë Müller" --output "$work/out" >/dev/null
read -r wall user sys rss <"$work/time.txt"
sox "$work/vm.wav" -e signed-integer -b 16 "$work/asterisk-pcm.wav"
sox "$work/vm.wav" -e gsm-full-rate "$work/asterisk-wav49.wav"
per_minute() { echo "scale=1; $1 * 60 / $seconds / 1024" | bc; }
base64_size() { base64 -w 76 "$1" | wc -c; }
echo "| voicemail | audio s | wall s | x realtime | CPU s | peak RSS MB |"
echo "|---|---|---|---|---|---|"
echo "| callaudio voicemail | $seconds | $wall | $(echo "scale=1; $seconds / $wall" | bc) | $(echo "$user + $sys" | bc) | $((rss / 1024)) |"
echo
echo "| attachment | kB per minute in the email |"
echo "|---|---|"
echo "| callaudio voicemail.eml (whole message, MP3 16 kHz 32 kbit/s) | $(per_minute "$(stat -c %s "$work/out/voicemail.eml")") |"
echo "| Asterisk PCM WAV 8 kHz 16-bit, base64 | $(per_minute "$(base64_size "$work/asterisk-pcm.wav")") |"
echo "| Asterisk WAV49 (GSM in WAV), base64 | $(per_minute "$(base64_size "$work/asterisk-wav49.wav")") |"
