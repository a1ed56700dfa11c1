#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what it needs, builds, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
scripts/install-deepfilter.sh >/dev/null  # DeepFilterNet3, so the tests run --denoise deep for real
scripts/install-moonshine.sh >/dev/null   # the embedded Moonshine engine, so the tests transcribe with it for real
# The pinned Python environments the tests use, made now rather than by the first test that needs one: a
# test blocked on pip for minutes holds one of Swift concurrency's few threads and stalls the others.
for environment in capture-gen player-browser schemathesis seaweedfs webvtt whisper-server; do
  scripts/python-env.sh "$environment" >/dev/null
done
swift build --build-tests
swift test --skip-build
fuzz/run.sh 40000  # every decoder path under libFuzzer, 40,000 inputs each from a fixed seed (fuzz/run.sh)
