#!/usr/bin/env bash
# Local Prometheus for the stack: Debian's `prometheus` binary on loopback, scraping the four services.
#
# Usage: deploy/prometheus/prometheus.sh {start|stop|restart|status|check|url|help}
#
# Environment (defaults in brackets):
#   PROM_DIR            data, pid file and log [.local/prometheus]
#   PROM_PORT           HTTP port on 127.0.0.1 [9090]
#   PROM_CONFIG         configuration file [deploy/prometheus/prometheus.yml]
#   PROM_RETENTION      how long samples are kept [15d]
#   PROM_START_TIMEOUT  seconds to wait for /-/ready [60]
#   PROM_STOP_TIMEOUT   seconds to wait for a clean shutdown before SIGKILL [30]
#   PROM_BIN / PROMTOOL the binaries [prometheus / promtool from PATH]
# Stopping a Prometheus that Debian started as a system service is deploy/setup.sh's job, not this script's.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

PROM_DIR="${PROM_DIR:-$REPO_ROOT/.local/prometheus}"
PROM_CONFIG="${PROM_CONFIG:-$SCRIPT_DIR/prometheus.yml}"
# The command line identifies our process: make every path absolute.
[[ "$PROM_DIR" == /* ]] || PROM_DIR="$PWD/$PROM_DIR"
[[ "$PROM_CONFIG" == /* ]] || PROM_CONFIG="$PWD/$PROM_CONFIG"
PROM_HOST=127.0.0.1
PROM_PORT="${PROM_PORT:-9090}"
PROM_RETENTION="${PROM_RETENTION:-15d}"
PROM_START_TIMEOUT="${PROM_START_TIMEOUT:-60}"
PROM_STOP_TIMEOUT="${PROM_STOP_TIMEOUT:-30}"
PROM_BIN="${PROM_BIN:-prometheus}"
PROMTOOL="${PROMTOOL:-promtool}"

DATA_DIR="$PROM_DIR/data"
PID_FILE="$PROM_DIR/prometheus.pid"
LOG_FILE="$PROM_DIR/prometheus.log"
URL="http://$PROM_HOST:$PROM_PORT"

log() { printf '[prometheus.sh] %s\n' "$*" >&2; }
die() { printf '[prometheus.sh] ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  echo "Current: PROM_DIR=$PROM_DIR PROM_PORT=$PROM_PORT PROM_CONFIG=$PROM_CONFIG"
}

validate() {
  [[ "$PROM_PORT" =~ ^[0-9]+$ ]] || die "PROM_PORT must be a number, got '$PROM_PORT'"
  [[ "$PROM_START_TIMEOUT" =~ ^[0-9]+$ ]] || die "PROM_START_TIMEOUT must be a number of seconds"
  [[ "$PROM_STOP_TIMEOUT" =~ ^[0-9]+$ ]] || die "PROM_STOP_TIMEOUT must be a number of seconds"
  case "${PROM_DIR%/}" in
    ""|/|/usr|/etc|/var|/tmp|/home|/root|"${HOME%/}"|"$REPO_ROOT") die "PROM_DIR=$PROM_DIR is not a safe location" ;;
  esac
  [[ -f "$PROM_CONFIG" ]] || die "configuration $PROM_CONFIG not found"
  command -v "$PROM_BIN" >/dev/null 2>&1 || die "'$PROM_BIN' not found: run deploy/setup.sh (apt-get install prometheus)"
}

# A live process (not a zombie) whose command line is our Prometheus (same binary, same data directory).
is_ours() {
  local pid="$1" state cmd
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  state="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$pid/status" 2>/dev/null)"
  [[ -n "$state" && "$state" != Z && "$state" != X ]] || return 1
  cmd="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *"--storage.tsdb.path=$DATA_DIR "* ]]
}

# Our Prometheus' pid: from the pid file, or by scanning /proc when the pid file was lost.
running_pid() {
  local pid="" entry
  [[ -f "$PID_FILE" ]] && pid="$(tr -dc '0-9' < "$PID_FILE")"
  if is_ours "$pid"; then echo "$pid"; return 0; fi
  for entry in /proc/[0-9]*; do
    pid="${entry#/proc/}"
    if is_ours "$pid"; then { echo "$pid" > "$PID_FILE"; } 2>/dev/null || true; echo "$pid"; return 0; fi
  done
  return 1
}

ready() { curl -fsS -m 2 -o /dev/null "$URL/-/ready" 2>/dev/null; }
port_open() { (exec 3<>"/dev/tcp/$PROM_HOST/$PROM_PORT") 2>/dev/null; }

wait_ready() {  # pid
  local deadline=$(( SECONDS + PROM_START_TIMEOUT ))
  until ready; do
    if ! is_ours "$1"; then
      rm -f "$PID_FILE"
      tail -n 40 "$LOG_FILE" >&2 || true
      die "Prometheus (pid $1) exited during startup; log: $LOG_FILE"
    fi
    if (( SECONDS >= deadline )); then
      tail -n 40 "$LOG_FILE" >&2 || true
      cmd_stop
      die "Prometheus not ready after ${PROM_START_TIMEOUT}s (PROM_START_TIMEOUT); log: $LOG_FILE"
    fi
    sleep 0.3
  done
}

cmd_check() {
  command -v "$PROMTOOL" >/dev/null 2>&1 || die "'$PROMTOOL' not found: run deploy/setup.sh (apt-get install prometheus)"
  "$PROMTOOL" check config "$PROM_CONFIG" >&2
}

check_quietly() {  # the configuration and its rules, printed only when promtool finds a fault
  local out
  out="$(cmd_check 2>&1)" || { printf '%s\n' "$out" >&2; die "invalid configuration $PROM_CONFIG"; }
}

cmd_start() {
  validate
  local pid
  if pid="$(running_pid)"; then
    log "already running (pid $pid); waiting until ready"
    wait_ready "$pid"
    log "Prometheus ready on $URL (pid $pid)"
    return 0
  fi
  port_open && die "port $PROM_HOST:$PROM_PORT is in use by another process; set PROM_PORT"
  check_quietly
  mkdir -p "$DATA_DIR"
  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  log "starting Prometheus on $URL (config $PROM_CONFIG, data $DATA_DIR)"
  # The child writes its own pid then execs Prometheus, so the pid file holds Prometheus' pid.
  # shellcheck disable=SC2016
  setsid nohup bash -c 'echo $$ > "$0"; exec "$@"' "$PID_FILE" \
    "$PROM_BIN" "--config.file=$PROM_CONFIG" "--storage.tsdb.path=$DATA_DIR" \
    "--storage.tsdb.retention.time=$PROM_RETENTION" "--web.listen-address=$PROM_HOST:$PROM_PORT" \
    --web.enable-lifecycle >"$LOG_FILE" 2>&1 </dev/null &
  local _
  for _ in $(seq 1 50); do [[ -s "$PID_FILE" ]] && break; sleep 0.1; done
  pid="$(tr -dc '0-9' < "$PID_FILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || die "could not read the pid file $PID_FILE"
  wait_ready "$pid"
  log "Prometheus ready on $URL (pid $pid)"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    log "not running ($PROM_DIR)"
    return 0
  fi
  log "stopping Prometheus (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$(( SECONDS + PROM_STOP_TIMEOUT ))
  while is_ours "$pid"; do
    if (( SECONDS >= deadline )); then
      log "still running after ${PROM_STOP_TIMEOUT}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$PID_FILE"
  log "stopped"
}

cmd_status() {
  local pid
  if ! pid="$(running_pid)"; then echo "prometheus: not running ($PROM_DIR)"; return 1; fi
  if ! ready; then echo "prometheus: process $pid running but $URL/-/ready does not answer"; return 1; fi
  echo "prometheus: ready (pid $pid) on $URL, data $DATA_DIR"
}

case "${1:-help}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) cmd_stop; cmd_start ;;
  status) cmd_status ;;
  check) cmd_check ;;
  url) echo "$URL" ;;
  help|-h|--help) usage ;;
  *) usage >&2; die "unknown command '$1'" ;;
esac
