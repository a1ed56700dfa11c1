#!/usr/bin/env bash
# fuzz/make-corpus.sh DIR: the seed corpus, made fresh: one short file per decoder path and encoding, a second
# of speech-like noise each, in DIR/EXT/ (wav, flac, ogg, opus, mp3, webm, m4a), by ffmpeg; and short two-leg call
# captures in DIR/pcap/ (link types, IPv6 with fragmented SIP, SIP over TCP, pcapng, each codec, DTMF, loss), by
# tools/capture-gen (scapy).
set -euo pipefail
out=${1:?usage: fuzz/make-corpus.sh DIR}
rm -rf "$out" && mkdir -p "$out"/{wav,flac,ogg,opus,mp3,webm,m4a,pcap}
source=(-f lavfi -i "anoisesrc=d=1:c=pink:r=16000:a=0.3:seed=1")
make() { ffmpeg -loglevel error -y "${source[@]}" "${@:2}" "$out/$1"; }
make wav/pcm16.wav -c:a pcm_s16le
make wav/ulaw.wav -ar 8000 -c:a pcm_mulaw
make wav/alaw.wav -ar 8000 -c:a pcm_alaw
make wav/float.wav -c:a pcm_f32le
make wav/stereo.wav -ac 2 -c:a pcm_s24le
make flac/mono.flac -c:a flac
make ogg/vorbis.ogg -c:a libvorbis
make opus/voice.opus -ar 48000 -c:a libopus -b:a 16k
make mp3/cbr.mp3 -c:a libmp3lame -b:a 32k
make mp3/vbr.mp3 -c:a libmp3lame -q:a 6
make webm/voice.webm -ar 48000 -c:a libopus -b:a 24k
# M4A (AAC) with its index (moov) last as most recorders write it, first ("fast start"), and fragmented as Safari
# records; and a stereo one at 44.1 kHz.
make m4a/index-last.m4a -c:a aac -b:a 32k -f mp4
make m4a/index-first.m4a -c:a aac -b:a 32k -movflags +faststart -f mp4
make m4a/fragmented.m4a -ar 48000 -c:a aac -b:a 32k -movflags +frag_keyframe+empty_moov+default_base_moof \
  -frag_duration 250000 -f mp4
make m4a/stereo.m4a -ar 44100 -ac 2 -c:a aac -b:a 48k -f mp4

# Captures: half a second per leg keeps each under libFuzzer's -max_len.
python=$("$(dirname "$0")/../scripts/python-env.sh" capture-gen)/bin/python
capture() {
  local name=$1 changes=$2 work
  work=$(mktemp -d)
  printf '{"legs": [{"source": ["10.0.0.1", 40000], "destination": ["10.0.0.2", 50000], "start": 0.0, "seconds": 0.5, "tone": 440.0%s},
    {"source": ["10.0.0.2", 50000], "destination": ["10.0.0.1", 40000], "start": 0.1, "seconds": 0.5, "tone": 660.0%s}]%s}' \
    "$3" "$3" "$changes" >"$work/spec.json"
  "$python" "$(dirname "$0")/../tools/capture-gen/make_capture.py" "$work/spec.json" "$work" >/dev/null
  cp "$work"/call.pcap* "$out/pcap/$name"
  rm -rf "$work"
}
capture ethernet-pcmu.pcap '' ''
capture vlan-pcma.pcap ', "link": "vlan"' ', "codec": "PCMA"'
capture sll2-g722-pcapng.pcap ', "link": "sll2", "pcapng": true' ', "codec": "G722"'
opus='[[111, "opus", 48000], [101, "telephone-event", 8000]]'
capture null-opus.pcap ", \"link\": \"null\", \"offer\": $opus, \"answer\": $opus" ', "codec": "OPUS"'
capture raw-dtmf-loss.pcap ', "link": "raw", "fragmentSIP": true, "sdpPadding": 30' \
  ', "dtmf": [{"at": 0.2, "ms": 100, "digit": "5"}], "lose": [3, 4, 9]'
capture sip-over-tcp.pcap ', "sipTransport": "tcp", "tcpSegment": 300' ''
