# Sourced by the real-speech benchmarks from the repository's root: sets `callaudio` ($CALLAUDIO, default
# .build/release/callaudio), `work` (a scratch folder, removed on exit, when the bundled Whisper server is also
# stopped) and `speech_set` (the benchmarks' speech-set tool, built), builds the real-speech set with its held-out
# leg into $work/set (its legs listed in $work/set/set.tsv), and defines `median` and `leg_texts`.
callaudio=${CALLAUDIO:-.build/release/callaudio}
work=$(mktemp -d)
trap 'rm -rf "$work"; scripts/whisper-server.sh stop' EXIT
swift build --package-path benchmarks --product speech-set -j 1 >&2
speech_set=$(swift build --package-path benchmarks --show-bin-path)/speech-set
"$speech_set" build "$work/set" >&2

# median NUMBERS...: the median of the numbers given.
median() { printf '%s\n' "$@" | sort -g | awk '{ w[NR] = $1 } END { print w[int((NR + 1) / 2)] }'; }

# leg_texts TRANSCRIPT PREFIX LEGS: writes the text of each of a call.transcript.json's LEGS legs to PREFIX-LEG.txt,
# as the scoring reads it.
leg_texts() {
  python3 - "$@" <<'PY'
import json, sys
segments = json.load(open(sys.argv[1]))["segments"]
for leg in range(int(sys.argv[3])):
    with open(f"{sys.argv[2]}-{leg}.txt", "w") as out:
        out.write(" ".join(s["text"] for s in segments if s["leg"] == leg) + "\n")
PY
}
