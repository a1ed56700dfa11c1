#!/usr/bin/env bash
# fuzz/run.sh [RUNS]: builds the decoders under libFuzzer (Swift's -sanitize=fuzzer, this folder's own
# package) and fuzzes each decoder path for RUNS inputs (default 40,000, about 30 s here) from a fresh seed
# corpus, with a fixed seed so that a run is repeatable (FUZZ_SEED=0 picks a random one): WAV (PCM, G.711,
# float), FLAC, Ogg/Vorbis, Ogg/Opus, MP3 (libsndfile), WebM/Opus (libwebm, libopus), M4A/AAC (FFmpeg's
# libavformat and libavcodec) and packet captures (pcap and pcapng: link layers, IP fragments, SIP/SDP, RTP, each
# leg decoded). A crash, a trap or a sample that is not finite or beyond full scale stops the run with libFuzzer's
# report and the input in fuzz/.build/findings/; make it a regression input in
# Tests/CallAudioTests/FuzzRegressions/ before fixing it.
# Needs ffmpeg (scripts/install-deps.sh --test) and, for the captures, Python (scripts/python-env.sh).
set -euo pipefail
cd "$(dirname "$0")"
runs=${1:-40000}
seed=${FUZZ_SEED:-1}
swift build --product FuzzDecoders 2>&1 | grep -Ev "^warning: (prohibited flag|'swift-distributed-tracing')|CMakeLists" || true
fuzzer=$(swift build --show-bin-path)/FuzzDecoders
./make-corpus.sh .build/corpus
mkdir -p .build/findings
for ext in wav flac ogg opus mp3 webm m4a pcap; do
  # A capture run parses the whole capture and decodes each leg: a quarter of the inputs takes as long.
  [[ $ext == pcap ]] && runs=$((runs / 4))
  echo "fuzzing the $ext decoder: $runs inputs, seed $seed"
  # Swift's own crash handler off, so that libFuzzer's writes the failing input out.
  SWIFT_BACKTRACE=enable=no FUZZ_EXTENSION=$ext "$fuzzer" -runs="$runs" -seed="$seed" -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix=".build/findings/$ext-" -print_final_stats=1 ".build/corpus/$ext" 2>"../.build/fuzz-$ext.log" \
    || { tail -40 "../.build/fuzz-$ext.log"; echo "fuzz/run.sh: the $ext decoder failed; the input is in fuzz/.build/findings/" >&2; exit 1; }
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "../.build/fuzz-$ext.log" | tr '\n' ' '
  echo
done
