#!/usr/bin/env bash
# Make sure the machine's PostgreSQL answers on 127.0.0.1:5432 (starts the
# Debian cluster if it is down). It is the machine's server: nothing here stops it.
set -euo pipefail

HOST=127.0.0.1
PORT=5432
TIMEOUT="${PG_START_TIMEOUT:-60}"

log() { echo "[postgres-up] $*"; }

if pg_isready -q -h "$HOST" -p "$PORT"; then
  log "PostgreSQL already answers on $HOST:$PORT"
  exit 0
fi

command -v pg_ctlcluster >/dev/null 2>&1 || { echo "[postgres-up] pg_ctlcluster not found (postgresql-common not installed?)" >&2; exit 1; }
VERSION="$(ls /etc/postgresql | sort -V | tail -n 1)"
log "starting PostgreSQL $VERSION/main ..."
pg_ctlcluster --skip-systemctl-redirect "$VERSION" main start || true

deadline=$((SECONDS + TIMEOUT))
until pg_isready -q -h "$HOST" -p "$PORT"; do
  if ((SECONDS >= deadline)); then
    echo "[postgres-up] PostgreSQL did not answer on $HOST:$PORT within ${TIMEOUT}s" >&2
    pg_lsclusters >&2 || true
    exit 1
  fi
  sleep 1
done
log "PostgreSQL $VERSION up on $HOST:$PORT (user postgres, trust auth, db test)"
