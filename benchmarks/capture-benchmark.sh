#!/usr/bin/env bash
# Benchmarks `callaudio process CALL.pcap` on a one-hour two-leg G.711 capture next to tshark reading the same
# capture: x realtime and peak RSS. Prints a Markdown table.
#
#   benchmarks/capture-benchmark.sh            (CALLAUDIO_BIN=path uses that binary instead of a release build)
#
# The capture: tools/capture-gen/make_capture.py writes a 60 s two-leg PCMU call with SIP (Ethernet, IPv4),
# tools/capture-gen/stretch_capture.py repeats its RTP 60 times into one continuous hour (180,000 packets per
# leg, 83 MB). callaudio decodes both legs into a stereo 8 kHz MP3 with the clean-up off (pure extraction);
# tshark computes its RTP stream statistics (-z rtp,streams) and, separately, dumps one leg's payload bytes
# (-T fields -e rtp.payload), the nearest it comes to extraction on the command line. ffmpeg cannot read a pcap.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${BENCH_DIR:-/tmp/callaudio-capture-bench}
mkdir -p "$work"
if [[ -z ${CALLAUDIO_BIN:-} ]]; then
  swift build -c release --product callaudio >/dev/null
  CALLAUDIO_BIN=$(swift build -c release --show-bin-path)/callaudio
fi
python=$(scripts/python-env.sh capture-gen)/bin/python
cat >"$work/spec.json" <<'JSON'
{"legs": [
 {"source": ["10.0.0.1", 40000], "destination": ["10.0.0.2", 50000], "start": 0.0, "seconds": 60, "tone": 440},
 {"source": ["10.0.0.2", 50000], "destination": ["10.0.0.1", 40000], "start": 0.25, "seconds": 60, "tone": 660}
]}
JSON
"$python" tools/capture-gen/make_capture.py "$work/spec.json" "$work/minute" >/dev/null
python3 tools/capture-gen/stretch_capture.py "$work/minute/call.pcap" "$work/hour.pcap" 60 60

measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" \
    || { echo "FAILED: $*" >&2; cat "$work/stderr.txt" >&2; exit 1; }
  read -r wall user sys rss <"$work/time.txt"
  printf '| %s | %s | %.2f | %.0fx | %.1f |\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" \
    "$(echo "3600 / $wall" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
}
echo "| run | wall s | CPU s | x realtime | peak RSS MB |"
echo "|---|---|---|---|---|"
rm -rf "$work/out"
measure "callaudio process (2 legs, stereo MP3)" "$CALLAUDIO_BIN" process "$work/hour.pcap" --output "$work/out" \
  --layout stereo --sample-rate 8000 --denoise off --no-high-pass --loudness off
measure "tshark -z rtp,streams (statistics only)" tshark -r "$work/hour.pcap" -q -z rtp,streams
measure "tshark rtp.payload dump (1 leg, no decode)" \
  sh -c "tshark -r '$work/hour.pcap' -Y 'rtp && udp.srcport == 40000' -T fields -e rtp.payload >/dev/null"
