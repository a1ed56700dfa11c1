#!/usr/bin/env bash
# Benchmarks `callaudio process CALL.pcap` on one-hour two-leg captures, G.711 (PCMU) and Opus, next to tshark
# reading the same captures and ffmpeg decoding the same Opus: x realtime and peak RSS. Prints Markdown tables.
#
#   benchmarks/capture-benchmark.sh            (CALLAUDIO_BIN=path uses that binary instead of a release build)
#
# The captures: tools/capture-gen/make_capture.py writes a 60 s two-leg call with SIP (Ethernet, IPv4),
# tools/capture-gen/stretch_capture.py repeats its RTP 60 times into one continuous hour (180,000 packets per
# leg). callaudio decodes both legs into a stereo MP3, and then a WAV (decoding without the MP3 encoder), at 8 kHz
# for PCMU and 16 kHz for Opus, with the clean-up off (pure extraction); tshark computes its RTP stream statistics (-z rtp,streams) and, separately, dumps one
# leg's payload bytes (-T fields -e rtp.payload), the nearest it comes to extraction on the command line.
# ffmpeg cannot read a pcap: for Opus it decodes an hour of the same kind of packets (24 kbit/s, 20 ms, voip)
# from an Ogg file to 16 kHz WAV, one leg's worth of the decoding callaudio does twice.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${BENCH_DIR:-/tmp/callaudio-capture-bench}
mkdir -p "$work"
if [[ -z ${CALLAUDIO_BIN:-} ]]; then
  swift build -c release --product callaudio >/dev/null
  CALLAUDIO_BIN=$(swift build -c release --show-bin-path)/callaudio
fi
python=$(scripts/python-env.sh capture-gen)/bin/python
for tool in tshark ffmpeg bc; do
  command -v "$tool" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$tool" >/dev/null
done
[[ -x /usr/bin/time ]] || DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >/dev/null

measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" \
    || { echo "FAILED: $*" >&2; cat "$work/stderr.txt" >&2; exit 1; }
  read -r wall user sys rss <"$work/time.txt"
  printf '| %s | %s | %.2f | %.0fx | %.1f |\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" \
    "$(echo "3600 / $wall" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
}

# make_hour NAME SPEC_EXTRA LEG_EXTRA TICKS: writes $work/NAME.pcap, an hour of a two-leg call.
make_hour() {
  local name=$1 spec=$2 leg=$3 ticks=$4
  cat >"$work/$name.json" <<JSON
{"legs": [
 {"source": ["10.0.0.1", 40000], "destination": ["10.0.0.2", 50000], "start": 0.0, "seconds": 60, "tone": 440$leg},
 {"source": ["10.0.0.2", 50000], "destination": ["10.0.0.1", 40000], "start": 0.25, "seconds": 60, "tone": 660$leg}
]$spec}
JSON
  "$python" tools/capture-gen/make_capture.py "$work/$name.json" "$work/$name-minute" >/dev/null
  python3 tools/capture-gen/stretch_capture.py "$work/$name-minute/call.pcap" "$work/$name.pcap" 60 60 "$ticks"
}

# bench NAME RATE: callaudio and tshark on $work/NAME.pcap.
bench() {
  local name=$1 rate=$2
  echo "$name: $(du -m "$work/$name.pcap" | cut -f1) MB"
  echo
  echo "| run | wall s | CPU s | x realtime | peak RSS MB |"
  echo "|---|---|---|---|---|"
  for format in mp3 wav; do
    rm -rf "$work/out"
    measure "callaudio process (2 legs, stereo ${format^^})" "$CALLAUDIO_BIN" process "$work/$name.pcap" \
      --output "$work/out" --layout stereo --sample-rate "$rate" --denoise off --no-high-pass --loudness off \
      --format "$format"
  done
  measure "tshark -z rtp,streams (statistics only)" tshark -r "$work/$name.pcap" -q -z rtp,streams
  measure "tshark rtp.payload dump (1 leg, no decode)" \
    sh -c "tshark -r '$work/$name.pcap' -Y 'rtp && udp.srcport == 40000' -T fields -e rtp.payload >/dev/null"
}

make_hour pcmu "" "" 160
bench pcmu 8000

opus='[[111, "opus", 48000], [101, "telephone-event", 8000]]'
make_hour opus ", \"offer\": $opus, \"answer\": $opus" ', "codec": "OPUS"' 960
echo
bench opus 16000
ffmpeg -v error -y -f lavfi -i "sine=frequency=440:duration=3600:sample_rate=48000" \
  -c:a libopus -b:a 24k -frame_duration 20 -application voip "$work/leg.opus"
measure "ffmpeg: 1 leg of Opus (Ogg) decoded to 16 kHz WAV" \
  ffmpeg -v error -y -i "$work/leg.opus" -ar 16000 "$work/leg.wav"
