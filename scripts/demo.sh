#!/usr/bin/env bash
# Processes the bundled two-leg call and voicemail: the main job of CallAudio, on a fresh machine.
# Outputs land in out/ (call.mp3 and call.json per call, the call's transcript, the voicemail's email).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/install-deepfilter.sh >/dev/null  # DeepFilterNet3 for the voicemail's --denoise deep
swift build --product callaudio
bin=$(swift build --show-bin-path)/callaudio
# The bundled Whisper server (offline, tiny.en), for readable transcripts; stopped when the demo ends.
CALLAUDIO_TRANSCRIBER_URL=$(scripts/whisper-server.sh start)
export CALLAUDIO_TRANSCRIBER_URL
trap 'scripts/whisper-server.sh stop' EXIT
"$bin" process samples/call/caller.wav samples/call/agent.opus --offset 2=2.0 --roles caller,agent \
  --call-id sample-call --title "Sample call" --transcribe --output out/sample-call
echo "Transcript (out/sample-call/call.txt):"
cat out/sample-call/call.txt
"$bin" process samples/voicemail.flac --denoise deep --call-id sample-voicemail --title "Voicemail" \
  --output out/sample-voicemail
"$bin" process samples/call/caller.wav samples/call/agent.opus --offset 2=2.0 --layout stereo \
  --call-id sample-call-stereo --output out/sample-call-stereo
# The same voicemail as users receive it: trimmed 16 kHz MP3 and the email announcing it (out/voicemail/voicemail.eml).
"$bin" voicemail samples/voicemail.flac --to user@example.com --from voicemail@example.com \
  --caller-number +15551234567 --caller-name "Zoë Müller" --mailbox Sales --received 2026-11-22T09:12:00-05:00 \
  --transcribe --output out/voicemail
# The voicemail as a greeting ready for the phone network: G.711 (both laws), PCM, Opus and MP3 side by side.
"$bin" prompt samples/voicemail.flac --kind greeting --output out/greeting
echo "Done: $(ls out/*/call.mp3 out/voicemail/voicemail.eml out/greeting/prompt-ulaw.wav | tr '\n' ' ')"
