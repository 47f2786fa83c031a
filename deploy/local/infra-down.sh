#!/usr/bin/env bash
# Stop the Kafka broker started by kafka-up.sh (via its pid file): SIGTERM, then
# wait for a clean shutdown. PostgreSQL is the machine's and is left running.
# KAFKA_DATA_DIR: stop the broker kafka-up.sh started with that data folder instead.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DATA="${KAFKA_DATA_DIR:-$DIR/.data/kafka}"
PIDFILE="$DATA/kafka.pid"
TIMEOUT="${KAFKA_STOP_TIMEOUT:-60}"

log() { echo "[infra-down] $*"; }

pid="$(cat "$PIDFILE" 2>/dev/null || true)"
if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; then
  log "no Kafka broker started by kafka-up.sh is running"
  rm -f "$PIDFILE"
  exit 0
fi
if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka'; then
  log "pid $pid is not a Kafka broker (stale pid file); leaving it alone"
  rm -f "$PIDFILE"
  exit 0
fi

log "stopping Kafka broker (pid $pid) ..."
kill -TERM "$pid"
deadline=$((SECONDS + TIMEOUT))
while kill -0 "$pid" 2>/dev/null; do
  if ((SECONDS >= deadline)); then
    log "broker did not stop within ${TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    break
  fi
  sleep 0.5
done
rm -f "$PIDFILE"
log "Kafka broker stopped (data kept in $DATA; PostgreSQL left running)"
