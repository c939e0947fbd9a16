#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft, broker+controller) for development and CI.
#
# No Docker, no tarball download: the broker jars come from Maven Central through
# deploy/kafka/pom.xml and the broker is started directly with `java`.
#
# Usage: deploy/kafka/kafka.sh {install|start|stop|restart|status|reset|bootstrap|topics|run|logs|help}
# See deploy/kafka/README.md for the environment variables.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

KAFKA_DIR="${KAFKA_DIR:-$REPO_ROOT/.local/kafka}"
KAFKA_LIBS_DIR="${KAFKA_LIBS_DIR:-$REPO_ROOT/.local/kafka-libs}"
# Relative paths are taken from the caller's cwd; make them absolute (the broker's
# command line, which identifies it, must not depend on the cwd).
[[ "$KAFKA_DIR" == /* ]] || KAFKA_DIR="$PWD/$KAFKA_DIR"
[[ "$KAFKA_LIBS_DIR" == /* ]] || KAFKA_LIBS_DIR="$PWD/$KAFKA_LIBS_DIR"
KAFKA_HOST="${KAFKA_HOST:-127.0.0.1}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_NODE_ID="${KAFKA_NODE_ID:-1}"
KAFKA_NUM_PARTITIONS="${KAFKA_NUM_PARTITIONS:-3}"
KAFKA_HEAP="${KAFKA_HEAP:--Xms256m -Xmx768m}"
KAFKA_JVM_OPTS="${KAFKA_JVM_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxDirectMemorySize=256m -Djava.awt.headless=true}"
KAFKA_TOOLS_HEAP="${KAFKA_TOOLS_HEAP:--Xmx256m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-60}"
KAFKA_MAVEN_REPO="${KAFKA_MAVEN_REPO:-}"
MVN="${MVN:-mvn}"
if [[ -n "${KAFKA_JAVA:-}" ]]; then
  JAVA="$KAFKA_JAVA"
elif [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA="java"
fi

POM="$SCRIPT_DIR/pom.xml"
BROKER_LOG4J="$SCRIPT_DIR/log4j2.properties"
TOOLS_LOG4J="$SCRIPT_DIR/tools-log4j2.properties"
DATA_DIR="$KAFKA_DIR/data"
LOG_DIR="$KAFKA_DIR/logs"
SERVER_PROPS="$KAFKA_DIR/server.properties"
CLIENT_PROPS="$KAFKA_DIR/client.properties"
PID_FILE="$KAFKA_DIR/kafka.pid"
CLUSTER_ID_FILE="$KAFKA_DIR/cluster.id"
FORMAT_MARKER="$DATA_DIR/.formatted-controller-port"
LIBS_MARKER="$KAFKA_LIBS_DIR/.installed"
BOOTSTRAP="$KAFKA_HOST:$KAFKA_PORT"

log() { printf '[kafka.sh] %s\n' "$*" >&2; }
die() { printf '[kafka.sh] ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<EOF
Usage: $(basename "$0") COMMAND [ARGS]

Commands:
  install            fetch the Kafka jars into \$KAFKA_LIBS_DIR (no-op when complete)
  start              install if needed, format storage once, start the broker, wait until ready
  stop               controlled shutdown (SIGTERM, then SIGKILL after \$KAFKA_STOP_TIMEOUT s)
  restart            stop then start
  status             exit 0 when the broker is running and answers a metadata request
  reset              stop and delete the data directory (topics, offsets, cluster id)
  bootstrap          print the bootstrap servers string ($BOOTSTRAP)
  topics ARGS...     run TopicCommand against this broker, e.g. topics --create --topic t1
  run CLASS ARGS...  run any Java main class with the Kafka jars on the classpath
  logs [N]           print the last N (default 100) lines of the broker log

Current settings:
  KAFKA_DIR=$KAFKA_DIR
  KAFKA_LIBS_DIR=$KAFKA_LIBS_DIR
  KAFKA_HOST=$KAFKA_HOST KAFKA_PORT=$KAFKA_PORT KAFKA_CONTROLLER_PORT=$KAFKA_CONTROLLER_PORT
  KAFKA_HEAP=$KAFKA_HEAP
EOF
}

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }

# Refuse paths whose deletion (reset / reinstall) would be a disaster.
check_safe_dir() {
  local name="$1" dir="${2%/}"
  case "$dir" in
    ""|/|/usr|/etc|/var|/home|/root|/tmp|"${HOME%/}"|"$REPO_ROOT") die "$name=$2 is not a safe location for Kafka files" ;;
  esac
}

validate_config() {
  check_safe_dir KAFKA_DIR "$KAFKA_DIR"
  check_safe_dir KAFKA_LIBS_DIR "$KAFKA_LIBS_DIR"
  is_uint "$KAFKA_PORT" || die "KAFKA_PORT must be a number, got '$KAFKA_PORT'"
  is_uint "$KAFKA_CONTROLLER_PORT" || die "KAFKA_CONTROLLER_PORT must be a number, got '$KAFKA_CONTROLLER_PORT'"
  [[ "$KAFKA_PORT" != "$KAFKA_CONTROLLER_PORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"
  is_uint "$KAFKA_START_TIMEOUT" || die "KAFKA_START_TIMEOUT must be a number of seconds"
  is_uint "$KAFKA_STOP_TIMEOUT" || die "KAFKA_STOP_TIMEOUT must be a number of seconds"
}

# ---------------------------------------------------------------- java / jars

check_java() {
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found ('$JAVA'). Install a JDK >= 17 (apt-get install -y openjdk-17-jre-headless) or set JAVA_HOME / KAFKA_JAVA."
  local v major
  v="$("$JAVA" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')"
  major="${v%%.*}"
  [[ "$major" == 1 ]] && major="$(echo "$v" | cut -d. -f2)"
  if ! is_uint "${major:-x}" || (( major < 17 )); then
    die "Kafka 4.x needs Java >= 17, but '$JAVA' is version '${v:-unknown}'. Set JAVA_HOME or KAFKA_JAVA."
  fi
}

pom_hash() { sha256sum "$POM" | awk '{print $1}'; }

libs_complete() {
  [[ -f "$LIBS_MARKER" ]] || return 1
  [[ "$(head -n1 "$LIBS_MARKER")" == "$(pom_hash)" ]] || return 1
  # every jar recorded at install time must still be there
  local jar
  while IFS= read -r jar; do
    [[ -z "$jar" ]] && continue
    [[ -s "$KAFKA_LIBS_DIR/$jar" ]] || return 1
  done < <(tail -n +2 "$LIBS_MARKER")
  return 0
}

do_install() {
  if libs_complete; then
    return 0
  fi
  command -v "$MVN" >/dev/null 2>&1 || die "Maven ('$MVN') is required to fetch the Kafka jars: apt-get install -y maven"
  mkdir -p "$(dirname "$KAFKA_LIBS_DIR")"
  # Several brokers (dev + test) may share the libs dir: serialise installs.
  local lock="$KAFKA_LIBS_DIR.lock"
  exec 8>"$lock"
  flock -w 600 8 || die "timed out waiting for the install lock $lock"
  if libs_complete; then   # somebody else finished while we waited
    exec 8>&-
    return 0
  fi
  local tmp="$KAFKA_LIBS_DIR.tmp.$$"
  rm -rf "$tmp"
  local -a mvn_args=(-q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies -DincludeScope=runtime "-DoutputDirectory=$tmp")
  [[ -n "$KAFKA_MAVEN_REPO" ]] && mvn_args+=("-Dmaven.repo.local=$KAFKA_MAVEN_REPO")
  log "fetching Kafka jars with Maven into $KAFKA_LIBS_DIR ..."
  local t0=$SECONDS
  local mvn_log="$KAFKA_LIBS_DIR.mvn.log"
  if ! "$MVN" "${mvn_args[@]}" > "$mvn_log" 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' "$mvn_log" >&2 || true
    rm -rf "$tmp"
    exec 8>&-
    die "Maven could not fetch the Kafka jars (output above, also in $mvn_log; is Maven Central reachable?)"
  fi
  rm -f "$mvn_log"
  ls "$tmp"/kafka_2.13-*.jar >/dev/null 2>&1 || { rm -rf "$tmp"; exec 8>&-; die "Maven finished but no kafka_2.13 jar was copied to $tmp"; }
  { pom_hash; find "$tmp" -maxdepth 1 -name '*.jar' -printf '%f\n' | sort; } > "$tmp/.installed"
  rm -rf "$KAFKA_LIBS_DIR"
  mv "$tmp" "$KAFKA_LIBS_DIR"
  exec 8>&-
  log "installed $(( $(wc -l < "$LIBS_MARKER") - 1 )) jars in $(( SECONDS - t0 ))s"
}

classpath() { printf '%s/*' "$KAFKA_LIBS_DIR"; }

# Run a Kafka CLI class (quiet logging, small client JVM).
run_tool() {
  local cls="$1"; shift
  # shellcheck disable=SC2086
  "$JAVA" $KAFKA_TOOLS_HEAP -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    "-Dlog4j2.configurationFile=$TOOLS_LOG4J" -cp "$(classpath)" "$cls" "$@"
}

# ---------------------------------------------------------------- process helpers

# Is $1 a live process that is *our* broker (kafka.Kafka with our server.properties)?
is_our_broker() {
  local pid="$1"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  proc_alive "$pid" || return 1
  local cmd
  cmd="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *" kafka.Kafka $SERVER_PROPS"* ]]
}

# Prints the broker pid (from the pid file, or by scanning /proc if the pid file is lost).
broker_pid() {
  local pid=""
  if [[ -f "$PID_FILE" ]]; then
    pid="$(tr -dc '0-9' < "$PID_FILE")"
    if is_our_broker "$pid"; then echo "$pid"; return 0; fi
  fi
  local d
  for d in /proc/[0-9]*; do
    pid="${d#/proc/}"
    if is_our_broker "$pid"; then echo "$pid"; return 0; fi
  done
  return 1
}

# A process that exists and is not a zombie (PID 1 here may reap exited daemons late,
# and kill -0 succeeds on zombies).
proc_alive() {
  local st
  st="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)"
  [[ -n "$st" && "$st" != Z && "$st" != X ]]
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

metadata_ok() {
  # A real metadata request (ListTopics) with short client timeouts, bounded by `timeout`
  # ($1 seconds, default 40).
  # shellcheck disable=SC2086
  timeout -k 5 "${1:-40}" "$JAVA" $KAFKA_TOOLS_HEAP -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    "-Dlog4j2.configurationFile=$TOOLS_LOG4J" -cp "$(classpath)" \
    org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" \
    --command-config "$CLIENT_PROPS" --list >/dev/null 2>&1
}

print_log_tail() {
  local n="${1:-60}" f
  for f in "$LOG_DIR/server.log" "$LOG_DIR/kafka.out"; do
    if [[ -s "$f" ]]; then
      echo "----- last $n lines of $f -----" >&2
      tail -n "$n" "$f" >&2
    fi
  done
}

# ---------------------------------------------------------------- config / storage

write_config() {
  mkdir -p "$KAFKA_DIR" "$DATA_DIR" "$LOG_DIR"
  cat > "$SERVER_PROPS.tmp" <<EOF
# Generated by deploy/kafka/kafka.sh -- edits are overwritten on every start.
# Single-node KRaft: this process is both broker and controller.
process.roles=broker,controller
node.id=$KAFKA_NODE_ID
controller.quorum.bootstrap.servers=$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT

log.dirs=$DATA_DIR

# Topics are created explicitly by the services / tests.
auto.create.topics.enable=false
num.partitions=$KAFKA_NUM_PARTITIONS

# One node: every replication factor / ISR is 1.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# Small internal topics: fast start on a 2-core machine.
offsets.topic.num.partitions=10
transaction.state.log.num.partitions=10
group.initial.rebalance.delay.ms=0

# Modest resources.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
background.threads=4
log.cleaner.threads=1
log.cleaner.dedupe.buffer.size=16777216
socket.send.buffer.bytes=102400
socket.receive.buffer.bytes=102400
socket.request.max.bytes=104857600

log.retention.hours=168
log.segment.bytes=104857600
# The largest record batch any topic accepts: the same bound as contracts' MAX_MESSAGE_BYTES (4 MiB), which every
# topic also sets as max.message.bytes and every producer as its max_request_size.
message.max.bytes=4194304
log.retention.check.interval.ms=300000
EOF
  mv "$SERVER_PROPS.tmp" "$SERVER_PROPS"
  cat > "$CLIENT_PROPS" <<EOF
# Generated by deploy/kafka/kafka.sh: client settings for the readiness probe.
request.timeout.ms=5000
default.api.timeout.ms=10000
EOF
}

new_cluster_id() {
  # Kafka cluster ids are 16 random bytes, base64url without padding (22 chars).
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" != -* ]] && break
  done
  echo "$id"
}

format_storage() {
  if [[ -f "$DATA_DIR/meta.properties" ]]; then
    if [[ -f "$FORMAT_MARKER" ]]; then
      local formatted_port
      formatted_port="$(cat "$FORMAT_MARKER")"
      if [[ "$formatted_port" != "$KAFKA_CONTROLLER_PORT" ]]; then
        die "storage in $DATA_DIR was formatted with KAFKA_CONTROLLER_PORT=$formatted_port (now $KAFKA_CONTROLLER_PORT). Use the old port or run '$0 reset' to wipe the data."
      fi
    fi
    return 0
  fi
  local cid="${KAFKA_CLUSTER_ID:-}"
  if [[ -z "$cid" ]]; then
    cid="$(cat "$CLUSTER_ID_FILE" 2>/dev/null || true)"
    [[ -n "$cid" ]] || cid="$(new_cluster_id)"
  fi
  echo "$cid" > "$CLUSTER_ID_FILE"
  log "formatting storage in $DATA_DIR (cluster id $cid)"
  local out
  if ! out="$(run_tool kafka.tools.StorageTool format --standalone -t "$cid" -c "$SERVER_PROPS" 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "kafka-storage format failed"
  fi
  echo "$KAFKA_CONTROLLER_PORT" > "$FORMAT_MARKER"
}

# ---------------------------------------------------------------- commands

# wait_ready PID T0 OURS: OURS=1 when this invocation launched the broker (then a missed
# deadline stops it); a broker found already running is never stopped here.
wait_ready() {
  local pid="$1" t0="$2" ours="${3:-1}"
  local deadline=$(( t0 + KAFKA_START_TIMEOUT ))
  while :; do
    if ! proc_alive "$pid"; then
      rm -f "$PID_FILE"
      print_log_tail 80
      die "the broker process $pid exited during startup (logs in $LOG_DIR)"
    fi
    local left=$(( deadline - SECONDS ))
    (( left < 5 )) && left=5
    (( left > 40 )) && left=40
    if port_open "$KAFKA_HOST" "$KAFKA_PORT" && metadata_ok "$left"; then
      return 0
    fi
    if (( SECONDS >= deadline )); then
      print_log_tail 80
      if [[ "$ours" != 1 ]]; then
        die "the already running broker (pid $pid) is not ready after ${KAFKA_START_TIMEOUT}s (KAFKA_START_TIMEOUT)"
      fi
      if [[ "${KAFKA_KEEP_ON_TIMEOUT:-0}" == 1 ]]; then
        die "broker not ready after ${KAFKA_START_TIMEOUT}s (KAFKA_START_TIMEOUT); left running as pid $pid (KAFKA_KEEP_ON_TIMEOUT=1)"
      fi
      log "broker not ready after ${KAFKA_START_TIMEOUT}s (KAFKA_START_TIMEOUT): stopping it"
      cmd_stop
      die "Kafka did not become ready within ${KAFKA_START_TIMEOUT}s (logs in $LOG_DIR)"
    fi
    sleep 1
  done
}

cmd_start() {
  validate_config
  check_java
  do_install
  local pid t0=$SECONDS
  if pid="$(broker_pid)"; then
    echo "$pid" > "$PID_FILE"
    local running_listener
    running_listener="$(sed -n 's/^listeners=//p' "$SERVER_PROPS" 2>/dev/null)"
    if [[ "$running_listener" != "PLAINTEXT://$BOOTSTRAP,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT" ]]; then
      die "the broker of $KAFKA_DIR is already running (pid $pid) with listeners=$running_listener; stop it first or use its ports"
    fi
    log "broker already running (pid $pid); checking that it is ready"
    wait_ready "$pid" "$t0" 0
    log "Kafka ready on $BOOTSTRAP (pid $pid)"
    return 0
  fi
  rm -f "$PID_FILE"
  local p
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_open "$KAFKA_HOST" "$p"; then
      die "port $KAFKA_HOST:$p is already in use by another process (not the broker of $KAFKA_DIR). Pick other KAFKA_PORT / KAFKA_CONTROLLER_PORT."
    fi
  done
  write_config
  format_storage
  log "starting Kafka on $BOOTSTRAP (controller $KAFKA_CONTROLLER_PORT, dir $KAFKA_DIR)"
  # Keep the previous run's stdout for post-mortems.
  if [[ -f "$LOG_DIR/kafka.out" ]]; then mv -f "$LOG_DIR/kafka.out" "$LOG_DIR/kafka.out.1"; fi
  local gc_log="-Xlog:gc*:file=$LOG_DIR/kafka-gc.log:time,tags:filecount=3,filesize=10M"
  # The child shell writes its own pid and then execs java, so the pid file holds the
  # JVM's pid. setsid detaches the broker from the caller's process group / terminal.
  # shellcheck disable=SC2086,SC2016
  setsid nohup bash -c 'echo $$ > "$0"; exec "$@"' "$PID_FILE" \
    "$JAVA" $KAFKA_HEAP $KAFKA_JVM_OPTS "$gc_log" \
    "-Dkafka.logs.dir=$LOG_DIR" "-Dlog4j2.configurationFile=$BROKER_LOG4J" \
    -cp "$(classpath)" kafka.Kafka "$SERVER_PROPS" \
    > "$LOG_DIR/kafka.out" 2>&1 < /dev/null &
  local _
  for _ in $(seq 1 50); do   # wait for the pid file (up to 5 s)
    [[ -s "$PID_FILE" ]] && break
    sleep 0.1
  done
  pid="$(tr -dc '0-9' < "$PID_FILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || die "could not determine the broker pid ($PID_FILE is empty)"
  wait_ready "$pid" "$t0"
  log "Kafka ready on $BOOTSTRAP (pid $pid) after $(( SECONDS - t0 ))s"
}

cmd_stop() {
  local pid
  if ! pid="$(broker_pid)"; then
    rm -f "$PID_FILE"
    log "not running ($KAFKA_DIR)"
    return 0
  fi
  log "stopping Kafka (pid $pid), waiting up to ${KAFKA_STOP_TIMEOUT}s for a controlled shutdown"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$(( SECONDS + KAFKA_STOP_TIMEOUT ))
  while proc_alive "$pid"; do
    if (( SECONDS >= deadline )); then
      log "still running after ${KAFKA_STOP_TIMEOUT}s: sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.5
  done
  rm -f "$PID_FILE"
  log "stopped"
}

cmd_status() {
  local pid
  if ! pid="$(broker_pid)"; then
    echo "kafka: not running ($KAFKA_DIR)"
    return 1
  fi
  if ! port_open "$KAFKA_HOST" "$KAFKA_PORT"; then
    echo "kafka: process $pid running but $BOOTSTRAP not listening (starting?)"
    return 1
  fi
  if ! metadata_ok; then
    echo "kafka: process $pid listening on $BOOTSTRAP but not answering metadata requests"
    return 1
  fi
  echo "kafka: running (pid $pid) on $BOOTSTRAP, dir $KAFKA_DIR"
}

cmd_reset() {
  check_safe_dir KAFKA_DIR "$KAFKA_DIR"
  cmd_stop
  log "deleting $DATA_DIR"
  rm -rf "$DATA_DIR" "$CLUSTER_ID_FILE"
}

cmd_topics() {
  check_java
  do_install
  [[ -f "$CLIENT_PROPS" ]] || write_config
  local a
  for a in "$@"; do
    if [[ "$a" == --bootstrap-server* ]]; then
      run_tool org.apache.kafka.tools.TopicCommand "$@"
      return
    fi
  done
  run_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" "$@"
}

main() {
  local cmd="${1:-help}"
  if [[ $# -gt 0 ]]; then shift; fi
  case "$cmd" in
    install)   check_safe_dir KAFKA_LIBS_DIR "$KAFKA_LIBS_DIR"; check_java; do_install; log "jars ready in $KAFKA_LIBS_DIR" ;;
    start)     cmd_start ;;
    stop)      cmd_stop ;;
    restart)   cmd_stop; cmd_start ;;
    status)    cmd_status ;;
    reset)     cmd_reset ;;
    bootstrap) echo "$BOOTSTRAP" ;;
    topics)    cmd_topics "$@" ;;
    run)       [[ $# -ge 1 ]] || die "usage: $0 run CLASS [ARGS...]"; check_java; do_install; run_tool "$@" ;;
    logs)      print_log_tail "${1:-100}" 2>&1 ;;
    help|-h|--help) usage ;;
    *)         usage >&2; die "unknown command '$cmd'" ;;
  esac
}

main "$@"
