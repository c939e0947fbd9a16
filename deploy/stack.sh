#!/usr/bin/env bash
# The whole system on one machine: Kafka (jar broker), the database, the five services, Prometheus.
#   deploy/stack.sh up|down|status
# Configuration (environment): DANTOC_DATABASE=sqlite|postgres (default sqlite), KAFKA_PORT (9092),
# DANTOC_STACK_DIR (.local/stack). Logs: $DANTOC_STACK_DIR/logs/*.log (JSON lines from the services).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
stack_dir="${DANTOC_STACK_DIR:-$repo/.local/stack}"
logs="$stack_dir/logs"; run="$stack_dir/run"
py="$repo/.venv/bin/python"
export KAFKA_DIR="${KAFKA_DIR:-$repo/.local/kafka}" KAFKA_PORT="${KAFKA_PORT:-9092}"
export KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
export KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT"
export PG_DIR="${PG_DIR:-$repo/.local/postgres}" PG_PORT="${PG_PORT:-55432}"
database="${DANTOC_DATABASE:-sqlite}"
# the portal first: the others verify its tokens (and the command line's, signed with the same key) through its JWKS
services=(portal catalog ingest aggregate gateway)
declare -A port=([gateway]=8000 [catalog]=8001 [ingest]=8002 [aggregate]=8003 [portal]=8004)
unset DANTOC_JWT_PUBLIC_KEY_FILE  # one key source: the JWKS
export DANTOC_JWT_JWKS_URL="http://127.0.0.1:${port[portal]}/.well-known/jwks.json"
log() { echo "[stack] $*"; }

wait_ready() {  # name url deadline-seconds
  local deadline=$(( $(date +%s) + $3 ))
  until curl -fs -o /dev/null "$2"; do  # quiet while it starts: a timeout prints its log instead
    if (( $(date +%s) > deadline )); then
      log "$1 not ready after $3 s; last log lines:"; tail -n 30 "$logs/$1.log" >&2 || true; return 1
    fi
    sleep 0.5
  done
}

start_service() {
  local name=$1 upper=${1^^}
  if [[ -f "$run/$name.pid" ]] && kill -0 "$(cat "$run/$name.pid")" 2>/dev/null; then log "$name already running"; return; fi
  if [[ "$database" == postgres ]]; then
    export "DANTOC_${upper}_DATABASE_URL=$(bash deploy/postgres/postgres.sh url "$name")"
  else
    export "DANTOC_${upper}_DATABASE_URL=sqlite+aiosqlite:///$stack_dir/$name.db"
  fi
  export "DANTOC_${upper}_HTTP_PORT=${port[$name]}"
  # the schema is a step of its own (locked; a service refuses to start on a schema that is not at head)
  if ! "$py" -m "dantoc_$name" migrate >>"$logs/$name.migrate.log" 2>&1; then
    log "$name: migrate failed; last log lines:"; tail -n 30 "$logs/$name.migrate.log" >&2; return 1
  fi
  nohup "$py" -m "dantoc_$name" serve >>"$logs/$name.log" 2>&1 &
  echo $! >"$run/$name.pid"
  wait_ready "$name" "http://127.0.0.1:${port[$name]}/ready" 180
  log "$name ready on http://127.0.0.1:${port[$name]}"
}

stop_pid() {  # name
  local file="$run/$1.pid"
  [[ -f "$file" ]] || return 0
  local pid; pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$file"
}

up() {
  mkdir -p "$logs" "$run"
  bash deploy/kafka/kafka.sh start
  "$py" deploy/kafka/topics.py --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" >/dev/null
  if [[ "$database" == postgres ]]; then bash deploy/postgres/postgres.sh start; fi
  if [[ -f services/ingest/src/dantoc_ingest/__main__.py ]]; then "$py" -m dantoc_ingest keys >/dev/null; fi
  export DANTOC_CATALOG_ADMIN_TOKEN="${DANTOC_CATALOG_ADMIN_TOKEN:-$(cat "$stack_dir/admin-token" 2>/dev/null || true)}"
  if [[ -z "$DANTOC_CATALOG_ADMIN_TOKEN" ]]; then
    DANTOC_CATALOG_ADMIN_TOKEN=$("$py" -c 'import secrets; print(secrets.token_urlsafe(32))')
    echo "$DANTOC_CATALOG_ADMIN_TOKEN" >"$stack_dir/admin-token"
  fi
  for name in "${services[@]}"; do
    if [[ -f "services/$name/src/dantoc_$name/__main__.py" ]]; then start_service "$name"; fi
  done
  if [[ -x deploy/prometheus/prometheus.sh ]]; then bash deploy/prometheus/prometheus.sh start; fi
  if [[ -f "$run/portal.pid" ]]; then
    "$py" -m dantoc_portal demo-accounts --passwords "$stack_dir/demo-accounts.json" \
      >"$stack_dir/demo-accounts.txt" 2>>"$logs/portal.migrate.log"
  fi
  if [[ "${DANTOC_DEMO:-1}" == 1 && -f deploy/demo/load_demo.py ]]; then
    log "loading the demo dataset through ingest (once; a few minutes the first time)"
    "$py" deploy/demo/load_demo.py --skip-if-loaded
  fi
  summary
}

summary() {
  log "Kafka:      $KAFKA_BOOTSTRAP_SERVERS"
  for name in "${services[@]}"; do
    [[ "$name" == portal ]] && continue
    [[ -f "$run/$name.pid" ]] && log "$(printf '%-10s' "$name:") http://127.0.0.1:${port[$name]}  (API docs: /docs)"
  done
  if [[ -x deploy/prometheus/prometheus.sh ]]; then
    log "Prometheus: http://127.0.0.1:9090  (alerts: http://127.0.0.1:9090/alerts)"
  fi
  log "catalog admin token: $(cat "$stack_dir/admin-token")"
  if [[ -f services/ingest/src/dantoc_ingest/__main__.py ]]; then
    # the agency token is Điện Biên's ethnic-affairs committee (BDT-11): it sees the communes it submitted for
    for role in "national VN BDTTG" "provincial 04 BDT-04" "agency 11 BDT-11"; do
      read -r r scope agency <<<"$role"
      log "token ($r $agency, scope $scope): $("$py" -m dantoc_ingest token --role "$r" --scope "$scope" --agency "$agency")"
    done
  fi
  if [[ -f "$stack_dir/demo-accounts.txt" ]]; then
    log "portal:     http://127.0.0.1:${port[portal]}  (sign in with a demo account; name, password, role, unit:)"
    while read -r line; do log "  $line"; done <"$stack_dir/demo-accounts.txt"
  fi
  log "logs:       $logs"
}

down() {
  if [[ -x deploy/prometheus/prometheus.sh ]]; then bash deploy/prometheus/prometheus.sh stop || true; fi
  for (( i=${#services[@]}-1; i>=0; i-- )); do stop_pid "${services[$i]}"; done
  bash deploy/kafka/kafka.sh stop
  bash deploy/postgres/postgres.sh stop || true
  log "stopped"
}

status() {
  bash deploy/kafka/kafka.sh status && log "kafka up" || log "kafka down"
  bash deploy/prometheus/prometheus.sh status || true
  for name in "${services[@]}"; do
    if curl -fsS -o /dev/null "http://127.0.0.1:${port[$name]}/ready"; then log "$name ready"; else log "$name not ready"; fi
  done
}

case "${1:-}" in
  up) up ;; down) down ;; status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
