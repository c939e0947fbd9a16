#!/usr/bin/env bash
# Project-local PostgreSQL cluster for development and CI.
#
# Uses the Debian PostgreSQL binaries (/usr/lib/postgresql/<ver>/bin) but never the
# Debian-managed cluster/service: the cluster lives in $PG_DIR, listens on
# 127.0.0.1:$PG_PORT only, with trust authentication.
#
# Usage: deploy/postgres/postgres.sh {install|start|stop|restart|status|url NAME|createdb NAME|dropdb NAME|psql [NAME]|reset|help}
# See deploy/postgres/README.md for the environment variables.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

PG_DIR="${PG_DIR:-$REPO_ROOT/.local/postgres}"
[[ "$PG_DIR" == /* ]] || PG_DIR="$PWD/$PG_DIR"
PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-55432}"
PG_USER="${PG_USER:-dantoc}"
PG_PASSWORD="${PG_PASSWORD:-dantoc}"
PG_DATABASES="${PG_DATABASES:-catalog ingest aggregate gateway portal}"
PG_OS_USER="${PG_OS_USER:-postgres}"
PG_START_TIMEOUT="${PG_START_TIMEOUT:-60}"
PG_STOP_TIMEOUT="${PG_STOP_TIMEOUT:-60}"
PG_MAX_CONNECTIONS="${PG_MAX_CONNECTIONS:-200}"
PG_SHARED_BUFFERS="${PG_SHARED_BUFFERS:-128MB}"
PG_URL_SCHEME="${PG_URL_SCHEME:-postgresql+asyncpg}"
# Where the cluster goes when a PG_DIR inside the repo is not reachable by the postgres
# user (e.g. the repo is cloned under /root, mode 700).
PG_FALLBACK_BASE="${PG_FALLBACK_BASE:-/var/tmp/dantoc-postgres}"

# libpq environment of the caller must not redirect our own admin connections.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS PGDATA PGPASSFILE

log() { printf '[postgres.sh] %s\n' "$*" >&2; }
die() { printf '[postgres.sh] ERROR: %s\n' "$*" >&2; exit 1; }

IS_ROOT=0
[[ "$(id -u)" == 0 ]] && IS_ROOT=1

usage() {
  cat <<EOF
Usage: $(basename "$0") COMMAND [ARGS]

Commands:
  install          install the PostgreSQL server packages with apt if missing (root)
  start            install if needed, initdb once, start, create role and databases
  stop             fast shutdown (no-op when not running)
  restart          stop then start
  status           exit 0 when the server is running and accepting connections
  url NAME         print the SQLAlchemy URL of database NAME
  createdb NAME    create database NAME owned by \$PG_USER if missing; prints its URL
  dropdb NAME      drop database NAME if it exists (terminates its connections)
  psql [NAME]      interactive psql as \$PG_USER (default database: first of PG_DATABASES)
  reset            stop and delete the whole cluster directory

Current settings:
  PG_DIR=$PG_DIR
  PG_HOST=$PG_HOST PG_PORT=$PG_PORT PG_USER=$PG_USER
  PG_DATABASES="$PG_DATABASES"
EOF
}

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }

validate_name() {
  [[ "$1" =~ ^[A-Za-z_][A-Za-z0-9_-]{0,62}$ ]] || die "invalid database/role name '$1' (letters, digits, _ and -, max 63 chars)"
}

validate_config() {
  is_uint "$PG_PORT" || die "PG_PORT must be a number, got '$PG_PORT'"
  is_uint "$PG_START_TIMEOUT" || die "PG_START_TIMEOUT must be a number of seconds"
  is_uint "$PG_STOP_TIMEOUT" || die "PG_STOP_TIMEOUT must be a number of seconds"
  validate_name "$PG_USER"
  local db
  for db in $PG_DATABASES; do validate_name "$db"; done
}

# ---------------------------------------------------------------- binaries

# Newest installed server version's bin dir (or $PG_BIN).
find_pg_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then
    [[ -x "$PG_BIN/initdb" ]] || return 1
    echo "$PG_BIN"; return 0
  fi
  local initdb
  initdb="$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)"
  [[ -n "$initdb" && -x "$initdb" ]] || return 1
  dirname "$initdb"
}

do_install() {
  if find_pg_bin >/dev/null; then
    return 0
  fi
  [[ -z "${PG_BIN:-}" ]] || die "PG_BIN=$PG_BIN has no initdb; unset PG_BIN to use the Debian packages"
  local -a sudo=()
  if (( ! IS_ROOT )); then
    command -v sudo >/dev/null 2>&1 || die "PostgreSQL server binaries are missing and installing them needs root: apt-get install -y postgresql"
    sudo=(sudo)
  fi
  command -v apt-get >/dev/null 2>&1 || die "PostgreSQL server binaries are missing (no /usr/lib/postgresql/*/bin/initdb) and apt-get is not available"
  log "installing PostgreSQL with apt-get (this takes a minute) ..."
  local apt_log
  apt_log="$(mktemp /tmp/postgres-apt.XXXXXX.log)"
  if ! { "${sudo[@]}" apt-get update && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql; } >"$apt_log" 2>&1; then
    tail -n 40 "$apt_log" >&2
    die "apt-get install postgresql failed (full log: $apt_log)"
  fi
  rm -f "$apt_log"
  find_pg_bin >/dev/null || die "postgresql installed but no /usr/lib/postgresql/*/bin/initdb found"
  # The package creates and may start a Debian cluster ('main' on 5432). We don't use it:
  # stop it so it holds no port or memory. (Left in place; apt owns it.)
  if command -v pg_lsclusters >/dev/null 2>&1; then
    local ver name _rest
    while read -r ver name _rest; do
      [[ -n "$ver" && -n "$name" ]] || continue
      "${sudo[@]}" pg_ctlcluster "$ver" "$name" stop >/dev/null 2>&1 || true
      log "stopped the Debian cluster $ver/$name (not used by this project)"
    done < <(pg_lsclusters -h 2>/dev/null | awk '$4 == "online" {print $1, $2}')
    # and keep it from starting at boot on machines with an init system
    local conf
    for conf in /etc/postgresql/*/*/start.conf; do
      [[ -f "$conf" ]] || continue
      echo manual | "${sudo[@]}" tee "$conf" >/dev/null || true
    done
  fi
  log "PostgreSQL installed: $(find_pg_bin)"
}

PG_BIN_DIR=""
need_bin() {
  PG_BIN_DIR="$(find_pg_bin)" || die "PostgreSQL server binaries not found: run '$0 install' (or apt-get install -y postgresql)"
}

# Run a command as the OS user that owns the cluster, from a cwd it can read.
as_pg() {
  if (( IS_ROOT )); then
    (cd / && runuser -u "$PG_OS_USER" -- "$@")
  else
    (cd / && "$@")
  fi
}

# ---------------------------------------------------------------- layout

# When running as root, the postgres OS user must be able to traverse every parent
# directory of PG_DIR. Directories under <repo>/.local (ours) get o+x (traverse only,
# no listing). If some other parent is closed (e.g. the clone lives under /root, mode
# 700) and PG_DIR is inside the repo, the cluster moves to
# $PG_FALLBACK_BASE/<hash of PG_DIR>; a PG_DIR outside the repo gives an error instead.
resolve_pg_dir() {
  (( IS_ROOT )) || return 0
  id -u "$PG_OS_USER" >/dev/null 2>&1 || die "OS user '$PG_OS_USER' does not exist (it comes with the postgresql package; set PG_OS_USER otherwise)"
  local parent d
  parent="$(dirname "$PG_DIR")"
  if [[ "$PG_DIR/" == "$REPO_ROOT/.local/"* ]]; then
    mkdir -p "$parent"
    d="$parent"
    while [[ "$d/" == "$REPO_ROOT/.local/"* ]]; do
      chmod o+x "$d"
      d="$(dirname "$d")"
    done
  fi
  local blocked=""
  d="$parent"
  while :; do
    if [[ -e "$d" ]] && ! runuser -u "$PG_OS_USER" -- test -x "$d" 2>/dev/null; then
      blocked="$d"
    fi
    [[ "$d" == / ]] && break
    d="$(dirname "$d")"
  done
  [[ -z "$blocked" ]] && return 0
  if [[ "$PG_DIR/" == "$REPO_ROOT/"* ]]; then
    local h
    h="$(printf '%s' "$PG_DIR" | sha1sum | cut -c1-10)"
    PG_DIR="$PG_FALLBACK_BASE/$h-$(basename "$PG_DIR")"
    mkdir -p "$PG_FALLBACK_BASE"
    chmod 755 "$PG_FALLBACK_BASE"
    log "note: '$blocked' is not traversable by the '$PG_OS_USER' user; the cluster lives in $PG_DIR"
  else
    die "the '$PG_OS_USER' OS user cannot traverse '$blocked' (a parent of PG_DIR=$PG_DIR). Choose another PG_DIR (e.g. under /var/tmp) or run: chmod o+x '$blocked'"
  fi
}

set_paths() {
  DATA_DIR="$PG_DIR/data"
  SOCKET_DIR="$PG_DIR/run"
  LOG_DIR="$PG_DIR/logs"
  LOG_FILE="$LOG_DIR/postgres.log"
}

# ---------------------------------------------------------------- server helpers

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

is_initialized() { [[ -f "$DATA_DIR/PG_VERSION" ]]; }

# A process that exists and is not a zombie (PID 1 here may reap exited daemons late,
# and kill -0 succeeds on zombies).
proc_alive() {
  local st
  st="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)"
  [[ -n "$st" && "$st" != Z && "$st" != X ]]
}

postmaster_pid() {
  [[ -f "$DATA_DIR/postmaster.pid" ]] || return 1
  local pid
  pid="$(head -n 1 "$DATA_DIR/postmaster.pid" 2>/dev/null | tr -dc '0-9')"
  [[ -n "$pid" ]] || return 1
  echo "$pid"
}

# Running = the pid in postmaster.pid is a live postgres started on this data dir.
is_running() {
  is_initialized || return 1
  local pid
  pid="$(postmaster_pid)" || return 1
  proc_alive "$pid" || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-D $DATA_DIR"
}

# postmaster.pid and the socket lock file left by a killed server make postgres refuse
# to start while their pid looks alive: a zombie (not reaped yet) or another process
# (pid reuse after a crash or reboot). Remove them unless the pid is a live postgres.
clear_stale_locks() {
  local f pid
  for f in "$DATA_DIR/postmaster.pid" "$SOCKET_DIR/.s.PGSQL.$PG_PORT.lock"; do
    [[ -f "$f" ]] || continue
    pid="$(head -n 1 "$f" 2>/dev/null | tr -dc '0-9')"
    if [[ -n "$pid" ]] && proc_alive "$pid" && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == postgres* ]]; then
      continue   # a live postgres: let postgres itself decide
    fi
    log "removing stale $f (pid ${pid:-?} is not a live postgres)"
    rm -f "$f"
  done
}

print_log_tail() {
  if [[ -s "$LOG_FILE" ]]; then
    echo "----- last ${1:-40} lines of $LOG_FILE -----" >&2
    tail -n "${1:-40}" "$LOG_FILE" >&2
  fi
}

# psql as the superuser over the unix socket.
psql_admin() {
  as_pg "$PG_BIN_DIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKET_DIR" -p "$PG_PORT" -U postgres -d postgres "$@"
}

init_cluster() {
  if is_initialized; then
    return 0
  fi
  if [[ -d "$DATA_DIR" ]] && [[ -n "$(ls -A "$DATA_DIR" 2>/dev/null)" ]]; then
    die "$DATA_DIR exists, is not empty and is not a PostgreSQL cluster; remove it or run '$0 reset'"
  fi
  mkdir -p "$PG_DIR"
  if (( IS_ROOT )); then chown "$PG_OS_USER:" "$PG_DIR"; fi
  chmod 700 "$PG_DIR"
  local -a locale_args=(--encoding=UTF8 --locale=C.UTF-8)
  if ! locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
    locale_args=(--encoding=UTF8 --no-locale)
  fi
  log "initdb $DATA_DIR ($(basename "$(dirname "$PG_BIN_DIR")"), ${locale_args[*]})"
  local out
  if ! out="$(as_pg "$PG_BIN_DIR/initdb" -D "$DATA_DIR" -U postgres --auth=trust "${locale_args[@]}" 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "initdb failed"
  fi
  # Only 127.0.0.1 over TCP and our private unix socket; trust (development only).
  as_pg tee "$DATA_DIR/pg_hba.conf" >/dev/null <<'EOF'
# Written by deploy/postgres/postgres.sh. Development cluster: trust, loopback only.
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  trust
host    all       all   127.0.0.1/32   trust
EOF
  printf "\n# Project settings, regenerated by deploy/postgres/postgres.sh on every start.\ninclude_if_exists = 'dantoc.conf'\n" \
    | as_pg tee -a "$DATA_DIR/postgresql.conf" >/dev/null
}

write_conf() {
  as_pg tee "$DATA_DIR/dantoc.conf" >/dev/null <<EOF
# Generated by deploy/postgres/postgres.sh on every start -- do not edit.
listen_addresses = '$PG_HOST'
port = $PG_PORT
unix_socket_directories = '$SOCKET_DIR'
unix_socket_permissions = 0700
max_connections = $PG_MAX_CONNECTIONS
shared_buffers = $PG_SHARED_BUFFERS
timezone = 'UTC'
log_timezone = 'UTC'
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
EOF
}

ensure_role_and_dbs() {
  psql_admin -v role="$PG_USER" -v pw="$PG_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pw')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pw') \gexec
-- DROP DATABASE ... WITH (FORCE) terminates every session of the database, autovacuum workers included (they run
-- as no role), which a plain role may do only as a member of pg_signal_backend.
SELECT format('GRANT pg_signal_backend TO %I', :'role') \gexec
SQL
  local db
  for db in $PG_DATABASES; do
    create_db "$db"
  done
}

create_db() {
  local db="$1"
  validate_name "$db"
  psql_admin -v db="$db" -v role="$PG_USER" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
}

urlencode() {
  local LC_ALL=C   # iterate over bytes, so UTF-8 is percent-encoded byte by byte
  local s="$1" out="" c i
  for (( i = 0; i < ${#s}; i++ )); do
    c="${s:i:1}"
    case "$c" in
      [A-Za-z0-9._~-]) out+="$c" ;;
      *) out+="$(printf '%%%02X' "'$c")" ;;
    esac
  done
  printf '%s' "$out"
}

db_url() {
  printf '%s://%s:%s@%s:%s/%s\n' "$PG_URL_SCHEME" "$(urlencode "$PG_USER")" "$(urlencode "$PG_PASSWORD")" "$PG_HOST" "$PG_PORT" "$1"
}

# ---------------------------------------------------------------- commands

cmd_start() {
  validate_config
  do_install
  need_bin
  resolve_pg_dir
  set_paths
  local t0=$SECONDS
  if is_running; then
    local running_port
    running_port="$(sed -n 4p "$DATA_DIR/postmaster.pid" 2>/dev/null | tr -dc '0-9')"
    if [[ -n "$running_port" && "$running_port" != "$PG_PORT" ]]; then
      die "the cluster in $PG_DIR is already running on port $running_port, not PG_PORT=$PG_PORT: stop it first or use PG_PORT=$running_port"
    fi
    write_conf
    log "already running ($PG_DIR)"
  else
    if port_open "$PG_HOST" "$PG_PORT"; then
      die "port $PG_HOST:$PG_PORT is already in use by another process (not the cluster in $PG_DIR). Pick another PG_PORT."
    fi
    init_cluster
    write_conf
    mkdir -p "$SOCKET_DIR" "$LOG_DIR"
    if (( IS_ROOT )); then chown "$PG_OS_USER:" "$SOCKET_DIR" "$LOG_DIR"; fi
    chmod 700 "$SOCKET_DIR"
    clear_stale_locks
    log "starting PostgreSQL on $PG_HOST:$PG_PORT ($PG_DIR)"
    if ! as_pg "$PG_BIN_DIR/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t "$PG_START_TIMEOUT" start >/dev/null; then
      print_log_tail 40
      if is_running; then
        as_pg "$PG_BIN_DIR/pg_ctl" -D "$DATA_DIR" -m immediate -w stop >/dev/null 2>&1 || true
        die "PostgreSQL did not become ready within ${PG_START_TIMEOUT}s (PG_START_TIMEOUT); stopped it. Log: $LOG_FILE"
      fi
      die "PostgreSQL failed to start (see the log above, full log: $LOG_FILE)"
    fi
  fi
  # the TCP listener must be up too (pg_ctl -w checks the socket)
  local deadline=$(( t0 + PG_START_TIMEOUT ))
  until as_pg "$PG_BIN_DIR/pg_isready" -q -h "$PG_HOST" -p "$PG_PORT"; do
    if (( SECONDS >= deadline )); then
      print_log_tail 40
      die "PostgreSQL runs but does not accept TCP connections on $PG_HOST:$PG_PORT"
    fi
    sleep 0.5
  done
  ensure_role_and_dbs
  log "PostgreSQL ready on $PG_HOST:$PG_PORT after $(( SECONDS - t0 ))s; databases: $PG_DATABASES (owner $PG_USER)"
}

cmd_stop() {
  if ! find_pg_bin >/dev/null; then
    log "PostgreSQL is not installed: nothing to stop"
    return 0
  fi
  need_bin
  resolve_pg_dir
  set_paths
  if ! is_running; then
    log "not running ($PG_DIR)"
    return 0
  fi
  log "stopping PostgreSQL ($PG_DIR)"
  if ! as_pg "$PG_BIN_DIR/pg_ctl" -D "$DATA_DIR" -m fast -w -t "$PG_STOP_TIMEOUT" stop >/dev/null; then
    log "fast shutdown did not finish within ${PG_STOP_TIMEOUT}s: immediate shutdown"
    as_pg "$PG_BIN_DIR/pg_ctl" -D "$DATA_DIR" -m immediate -w -t 30 stop >/dev/null || die "could not stop PostgreSQL in $DATA_DIR"
  fi
  log "stopped"
}

cmd_status() {
  if ! find_pg_bin >/dev/null; then
    echo "postgres: not installed"
    return 1
  fi
  need_bin
  resolve_pg_dir
  set_paths
  if ! is_running; then
    echo "postgres: not running ($PG_DIR)"
    return 1
  fi
  if ! as_pg "$PG_BIN_DIR/pg_isready" -q -h "$PG_HOST" -p "$PG_PORT"; then
    echo "postgres: running but not accepting connections on $PG_HOST:$PG_PORT"
    return 1
  fi
  echo "postgres: running on $PG_HOST:$PG_PORT ($PG_DIR)"
}

cmd_reset() {
  case "${PG_DIR%/}" in
    ""|/|/usr|/etc|/var|/home|/root|/tmp|/var/tmp|"${HOME%/}"|"$REPO_ROOT"|"$REPO_ROOT/.local")
      die "refusing to delete PG_DIR=$PG_DIR" ;;
  esac
  cmd_stop
  log "deleting $PG_DIR"
  rm -rf "$PG_DIR"
}

main() {
  local cmd="${1:-help}"
  if [[ $# -gt 0 ]]; then shift; fi
  case "$cmd" in
    install)  do_install; log "PostgreSQL binaries: $(find_pg_bin)" ;;
    start)    cmd_start ;;
    stop)     cmd_stop ;;
    restart)  cmd_stop; cmd_start ;;
    status)   cmd_status ;;
    reset)    cmd_reset ;;
    url)
      [[ $# -eq 1 ]] || die "usage: $0 url NAME"
      validate_name "$1"; db_url "$1" ;;
    createdb)
      [[ $# -eq 1 ]] || die "usage: $0 createdb NAME"
      validate_name "$1"; validate_config; require_running_paths; create_db "$1"; db_url "$1" ;;
    dropdb)
      [[ $# -eq 1 ]] || die "usage: $0 dropdb NAME"
      validate_name "$1"; require_running_paths
      psql_admin -v db="$1" <<'SQL'
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'db') \gexec
SQL
      ;;
    psql)
      require_running_paths
      local db="${1:-${PG_DATABASES%% *}}"
      if [[ $# -gt 0 ]]; then shift; fi
      PGPASSWORD="$PG_PASSWORD" "$PG_BIN_DIR/psql" -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$db" "$@" ;;
    help|-h|--help) usage ;;
    *) usage >&2; die "unknown command '$cmd'" ;;
  esac
}

require_running_paths() {
  need_bin
  resolve_pg_dir
  set_paths
  is_running || die "PostgreSQL is not running ($PG_DIR): run '$0 start' first"
}

main "$@"
