#!/usr/bin/env bash
# A local cluster, Procfile-style: N single-worker serve.py processes on PostgreSQL and Redis
# behind nginx, all in the foreground; Ctrl-C stops everything it started.
#
#   DATABASE_URL=postgresql+psycopg2://postgres@127.0.0.1:5432/crisis deploy/cluster.sh 2
#   (or: make cluster N=2)    then open http://127.0.0.1:8080
#
# Settings (environment): DATABASE_URL (PostgreSQL, required), SOCKETIO_MESSAGE_QUEUE (default
# redis://127.0.0.1:6379/0), SECRET_KEY (generated for this run if unset: all processes share
# it), LISTEN (nginx port, 8080), BASE_PORT (first process port, 5101), ASYNC_MODE.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-2}"
LISTEN="${LISTEN:-8080}"
BASE_PORT="${BASE_PORT:-5101}"
PY="${PY:-.venv/bin/python}"
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database (postgresql+psycopg2://...)}"
export DATABASE_URL
export SOCKETIO_MESSAGE_QUEUE="${SOCKETIO_MESSAGE_QUEUE:-redis://127.0.0.1:6379/0}"
export SECRET_KEY="${SECRET_KEY:-$($PY -c 'import secrets; print(secrets.token_hex(32))')}"
export PUBLIC_URL="${PUBLIC_URL:-http://127.0.0.1:$LISTEN}"
export PROXY_FIX=1 PYTHONUNBUFFERED=1
RUN="$(mktemp -d -t crisis-cluster-XXXXXX)"
export INSTANCE_PATH="$RUN/instance"
pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

echo "migrating once: $DATABASE_URL"
ASYNC_MODE=threading "$PY" -m flask --app app db upgrade
ports=()
for i in $(seq 1 "$N"); do
  port=$((BASE_PORT + i - 1))
  ports+=("$port")
  # Each line prefixed with its process, Procfile-style; $! is the server itself, not sed.
  PORT="$port" HOST=127.0.0.1 "$PY" serve.py > >(sed -u "s/^/[web.$i:$port] /") 2>&1 &
  pids+=("$!")
done
"$PY" deploy/local_nginx.py --listen "$LISTEN" --prefix "$RUN" "${ports[@]}" > "$RUN/nginx.conf"
nginx -p "$RUN" -c "$RUN/nginx.conf" -g "daemon off;" &
pids+=("$!")
echo "cluster: http://127.0.0.1:$LISTEN -> ${ports[*]} (logs and nginx files in $RUN)"
wait -n "${pids[@]}" || true
