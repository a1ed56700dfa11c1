#!/usr/bin/env bash
# fuzz/make-corpus.sh DIR: the seed corpus, made fresh: one short file per decoder path and encoding, a second
# of speech-like noise each, in DIR/EXT/ (wav, flac, ogg, opus, mp3, webm), by ffmpeg.
set -euo pipefail
out=${1:?usage: fuzz/make-corpus.sh DIR}
rm -rf "$out" && mkdir -p "$out"/{wav,flac,ogg,opus,mp3,webm}
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
