#!/usr/bin/env bash
# scripts/python-env.sh NAME
# Makes (once, and again only when its requirements change) the Python virtual environment .venv/NAME from
# tools/NAME/requirements.txt, in which every package, dependencies included, is pinned by version and sha256
# (installed with pip's --require-hashes), and prints the environment's folder. Safe to run again, and at once
# from several processes.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/python-env.sh NAME}
requirements=tools/$name/requirements.txt
venv=.venv/$name
[[ -f $requirements ]] || { echo "python-env: $requirements: no such file" >&2; exit 64; }
stamp=$venv/.installed-$(sha256sum "$requirements" | cut -c1-16)
# Test suites run in parallel and may ask for the same environment at once: one makes it, the others wait.
mkdir -p .venv
exec 9>".venv/$name.lock"
flock 9
if [[ ! -f $stamp ]]; then
  command -v python3 >/dev/null && python3 -c 'import ensurepip' 2>/dev/null \
    || scripts/install-deps.sh --python >&2
  python3 -m venv --clear "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check --require-hashes --no-deps -r "$requirements" >&2
  touch "$stamp"
fi
echo "$PWD/$venv"
