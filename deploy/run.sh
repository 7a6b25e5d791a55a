#!/usr/bin/env bash
# Three replicas of the Atlas on loopback behind Debian's nginx: sticky sessions, websocket upgrades, failover.
#
#   deploy/run.sh            # or: make deploy
#
# Settings (environment):
#   PORT            the proxy's port on 127.0.0.1 (default 8080); LISTEN overrides the whole address (e.g. 0.0.0.0:80)
#   REPLICA_PORTS   the replicas' ports on 127.0.0.1 (default "8081 8082 8083"; any number of replicas)
#   ATLAS_DATA_DIR  the data directory every replica reads (default the shipped data/); may be mounted read-only
#   PYTHON          the interpreter with the requirements (default .venv/bin/python)
#   RUN_DIR         rendered nginx.conf, pid files (replica-N.pid, nginx.pid) and logs (default a new /tmp directory)
#
# Runs in the foreground until interrupted (Ctrl-C, SIGTERM), then stops everything it started. A replica that
# dies is not restarted here: the proxy sends its sessions to the others (under systemd, give each replica
# Restart=always). Check the data first: `python -m atlas validate`.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8080}
LISTEN=${LISTEN:-127.0.0.1:$PORT}
REPLICA_PORTS=${REPLICA_PORTS:-8081 8082 8083}
PYTHON=${PYTHON:-.venv/bin/python}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
RUN_DIR=${RUN_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/atlas-deploy.XXXXXX")}
mkdir -p "$RUN_DIR/tmp"
RUN_DIR=$(cd "$RUN_DIR" && pwd)

[ -x "$NGINX" ] || { echo "nginx is missing: sudo apt-get install nginx (or make nginx as root)" >&2; exit 1; }
[ -x "$PYTHON" ] || { echo "$PYTHON is missing: run make run once, or set PYTHON" >&2; exit 1; }

pids=()
stop() {
    trap - EXIT INT TERM
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

# One secret for all replicas, so that what one replica signs (Streamlit's XSRF cookie) the others accept.
STREAMLIT_SERVER_COOKIE_SECRET=$("$PYTHON" -c 'import secrets; print(secrets.token_hex(32))')
export STREAMLIT_SERVER_COOKIE_SECRET

n=0
for port in $REPLICA_PORTS; do
    n=$((n + 1))
    "$PYTHON" -m atlas.ui.serve --server.address 127.0.0.1 --server.port "$port" \
        --server.headless true --server.fileWatcherType none >"$RUN_DIR/replica-$n.log" 2>&1 &
    pids+=("$!")
    echo "$!" >"$RUN_DIR/replica-$n.pid"
done
"$PYTHON" deploy/warm.py $REPLICA_PORTS

while IFS= read -r line; do
    case "${line//[[:space:]]/}" in
        @SERVERS@)
            for port in $REPLICA_PORTS; do
                printf '        server 127.0.0.1:%s max_fails=1 fail_timeout=10s;\n' "$port"
            done ;;
        *)
            line=${line//@LISTEN@/$LISTEN}
            printf '%s\n' "${line//@RUN_DIR@/$RUN_DIR}" ;;
    esac
done <deploy/nginx.conf.template >"$RUN_DIR/nginx.conf"

"$NGINX" -t -q -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log"
"$NGINX" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log" -g 'daemon off;' &
pids+=("$!")
for _ in $(seq 100); do  # until nginx listens (its address may be a wildcard: ask over loopback)
    "$PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
        "http://127.0.0.1:${LISTEN##*:}/_stcore/health" 2>/dev/null && break
    kill -0 "${pids[-1]}" 2>/dev/null || { echo "nginx stopped: see $RUN_DIR/nginx-error.log" >&2; exit 1; }
    sleep 0.1
done
echo "The Atlas: http://$LISTEN  ($n replicas on 127.0.0.1 ports $REPLICA_PORTS; pids, logs and config in $RUN_DIR)"
wait "${pids[-1]}"
