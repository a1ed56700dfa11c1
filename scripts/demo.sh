#!/usr/bin/env bash
# Processes the bundled two-leg call and voicemail: the main job of CallAudio, on a fresh machine.
# Outputs land in out/ (call.mp3 and call.json per call).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/install-deepfilter.sh >/dev/null  # DeepFilterNet3 for the voicemail's --denoise deep
swift build --product callaudio
bin=$(swift build --show-bin-path)/callaudio
"$bin" process samples/call/caller.wav samples/call/agent.opus --offset 2=2.0 --roles caller,agent \
  --call-id sample-call --title "Sample call" --output out/sample-call
"$bin" process samples/voicemail.flac --denoise deep --call-id sample-voicemail --title "Voicemail" \
  --output out/sample-voicemail
"$bin" process samples/call/caller.wav samples/call/agent.opus --offset 2=2.0 --layout stereo \
  --call-id sample-call-stereo --output out/sample-call-stereo
echo "Done: $(ls out/*/call.mp3 | tr '\n' ' ')"
