#!/usr/bin/env bash
# Installs the Debian packages CallAudio needs, and only those that are missing (safe to run again).
#   scripts/install-deps.sh          what building and running callaudio needs
#   scripts/install-deps.sh --test   also what the test suite needs (a PostgreSQL server, sox, espeak-ng, aiosmtpd + openssl for the SMTP tests,
#                                    the Asterisk prompts as real telephone speech)
#   scripts/install-deps.sh --python what scripts/python-env.sh needs (python3 with venv)
set -euo pipefail
packages=(
  pkg-config
  libsndfile1-dev           # decoding every input format, WAV output
  libmpg123-dev             # the header of the MP3 decoder libsndfile uses, to make it quiet
  libmp3lame-dev            # MP3 encoding
  libsoxr-dev               # resampling
  libopus-dev               # Opus
  libwebm-dev               # WebM, as browsers record greetings
  libavformat-dev libavcodec-dev libswresample-dev libavutil-dev  # MP4/M4A (AAC), as iPhones and Safari record
  libsqlite3-dev            # the embedded job queue
  libwebrtc-audio-processing-dev  # noise suppression, echo cancellation, voice detection
  libebur128-dev            # loudness (EBU R128)
  libsonic-dev              # speed copies
  libpocketsphinx3 pocketsphinx-en-us  # the embedded transcription engine (loaded when used) and its model
  libpcap-dev               # reading packet captures (pcap, pcapng)
  libspandsp-dev            # G.711 and G.722 RTP payloads, G.711 loss concealment
  libssl3                   # libcrypto's SHA-256, to check DeepFilterNet's files (loaded when used)
)
case "${1:-}" in
  --test) packages+=(postgresql sox espeak-ng python3 python3-venv python3-aiosmtpd openssl)
    packages+=(chromium chromium-driver)  # the recording player's real-browser test
    packages+=(nodejs)                    # node --check on the player's script
    # Real human telephone speech with its script (prompts of one voice actor, 8 kHz): the real-speech test set
    # (RealSpeechSet) and the engines' tests.
    packages+=(asterisk-core-sounds-en-wav asterisk-core-sounds-en) ;;
  --python) packages=(python3 python3-venv) ;;
esac
# The test captures' G.722 payloads and the M4A (AAC) fixtures are encoded with ffmpeg (tools/capture-gen, the
# tests), and tshark checks the captures' RTP.
if [[ ${1:-} == --test ]]; then packages+=(ffmpeg tshark); fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  [[ $(id -u) -eq 0 ]] && sudo="" || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
