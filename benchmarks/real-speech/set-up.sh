# Sourced by the real-speech benchmarks from the repository's root: sets `callaudio` ($CALLAUDIO, default
# .build/release/callaudio), `work` (a scratch folder, removed on exit, when the bundled Whisper server is also
# stopped) and `speech_set` (the benchmarks' speech-set tool, built), and builds the real-speech set with its
# held-out leg into $work/set (its legs listed in $work/set/set.tsv).
callaudio=${CALLAUDIO:-.build/release/callaudio}
work=$(mktemp -d)
trap 'rm -rf "$work"; scripts/whisper-server.sh stop' EXIT
swift build --package-path benchmarks --product speech-set -j 1 >&2
speech_set=$(swift build --package-path benchmarks --show-bin-path)/speech-set
"$speech_set" build "$work/set" >&2
