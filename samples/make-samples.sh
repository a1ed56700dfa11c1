#!/usr/bin/env bash
# Regenerates the bundled samples deterministically (espeak-ng, sox and ffmpeg from Debian):
#   call/caller.wav  leg 1, the caller: 8 kHz G.711 mu-law WAV, as a carrier delivers it
#   call/agent.opus  leg 2, the agent: 48 kHz Ogg/Opus from a WebRTC softphone; it starts 2.0 s after leg 1
#   voicemail.flac   a voicemail: 16 kHz FLAC
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say() { # say VOICE FILE TEXT: speak TEXT at 16 kHz mono
  espeak-ng -v "$1" -s 155 -w "$work/raw.wav" "$3"
  sox "$work/raw.wav" -r 16000 -c 1 "$2"
}
gap() { sox -n -r 16000 -c 1 "$2" trim 0 "$1"; }

# The caller's turns, with silence while the agent speaks (leg 1 starts at 0 s).
say en-us "$work/c1.wav" "Hi, I am calling about my order. It has not arrived yet."
say en-us "$work/c2.wav" "It is four, seven, one, one."
say en-us "$work/c3.wav" "Great, thank you so much."
# The agent's turns (leg 2 starts 2.0 s after leg 1).
say en-gb+f3 "$work/a1.wav" "Thank you for calling. I can help with that. What is the order number?"
say en-gb+f3 "$work/a2.wav" "Thanks. It ships today, and you will get an email with tracking."
gap 2.5 "$work/g1.wav"; gap 3.8 "$work/g2.wav"; gap 3.0 "$work/g3.wav"; gap 1.0 "$work/g4.wav"

mkdir -p call
sox "$work/c1.wav" "$work/g2.wav" "$work/c2.wav" "$work/g2.wav" "$work/c3.wav" "$work/caller16.wav"
sox "$work/caller16.wav" -r 8000 -e u-law call/caller.wav
sox "$work/g1.wav" "$work/a1.wav" "$work/g3.wav" "$work/a2.wav" "$work/g4.wav" "$work/agent16.wav"
ffmpeg -loglevel error -y -i "$work/agent16.wav" -ar 48000 -c:a libopus -b:a 24k -map_metadata -1 -fflags +bitexact call/agent.opus

say en-us+m3 "$work/vm.wav" "Hello, this is Sam from Acme. Please call me back about the invoice. My number is five five five, one two three four. Thanks."
sox "$work/vm.wav" voicemail.flac
ls -l call voicemail.flac
