#!/usr/bin/env bash
# Start a real single-node Apache Kafka 4.x broker (KRaft, combined
# broker+controller) from Maven Central jars, without Docker.
#   PLAINTEXT  127.0.0.1:9092   (clients)
#   CONTROLLER 127.0.0.1:9093   (KRaft quorum)
# Idempotent: exits 0 at once if a broker already answers on 127.0.0.1:9092.
# Data, config, pid and log: deploy/local/.data/kafka/   Jars: deploy/local/.cache/kafka-libs/
# Env overrides: KAFKA_HEAP_OPTS, KAFKA_START_TIMEOUT (seconds, default 90), JAVA_HOME.
# Another broker beside the default one (a test that kills its broker must not kill the one
# everybody shares): KAFKA_PORT, KAFKA_CONTROLLER_PORT and KAFKA_DATA_DIR (all three), e.g.
#   KAFKA_PORT=19092 KAFKA_CONTROLLER_PORT=19093 KAFKA_DATA_DIR=/tmp/kafka-b bash deploy/local/kafka-up.sh
# Stop it with KAFKA_DATA_DIR=/tmp/kafka-b bash deploy/local/infra-down.sh (its pid file is in that folder).
# KAFKA_WAIT=no: return once the broker process runs, without waiting for it to answer (the caller
# waits with its own client; the check here starts a JVM per try, slow on a loaded machine).
# KAFKA_SCRAM_USER and KAFKA_SCRAM_PASSWORD (both; letters, digits, . _ - only): the client listener is
# SASL_PLAINTEXT with SCRAM-SHA-512 and SCRAM-SHA-256 instead of PLAINTEXT, and the user gets credentials for
# both when the storage is formatted (a fresh KAFKA_DATA_DIR). Clients need them; a wrong password is refused.
#   KAFKA_SCRAM_USER=city KAFKA_SCRAM_PASSWORD=city-secret KAFKA_PORT=19192 KAFKA_CONTROLLER_PORT=19193 \
#   KAFKA_DATA_DIR=/tmp/kafka-scram bash deploy/local/kafka-up.sh
# KAFKA_TLS_PORT (with SCRAM): a second client listener, SASL_SSL, on that port, taking SCRAM and PLAIN; its
# certificate (127.0.0.1, localhost) is signed by a CA made with openssl on first start: $KAFKA_DATA_DIR/tls/ca.crt.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$DIR/kafka/pom.xml"
LIBS="$DIR/.cache/kafka-libs"
DATA="${KAFKA_DATA_DIR:-$DIR/.data/kafka}"
LOGDIRS="$DATA/logs"
PROPS="$DATA/server.properties"
PIDFILE="$DATA/kafka.pid"
LOGFILE="$DATA/kafka.log"
HOST=127.0.0.1
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
SCRAM_USER="${KAFKA_SCRAM_USER:-}"
SCRAM_PASSWORD="${KAFKA_SCRAM_PASSWORD:-}"
TLS_PORT="${KAFKA_TLS_PORT:-}"
TLS_DIR="$DATA/tls"

log() { echo "[kafka-up] $*"; }

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# Runs a Kafka CLI class (quiet logging) against the cached jars.
kafka_tool() {
  "$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$DATA/tools-log4j2.properties" \
    -cp "$LIBS/*" "$@"
}

broker_answers() {
  [[ -f "$LIBS/.pom.sha256" ]] || return 1
  timeout 30 "$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$DATA/tools-log4j2.properties" \
    -cp "$LIBS/*" org.apache.kafka.tools.BrokerApiVersionsCommand \
    --bootstrap-server "$HOST:$PORT" ${SCRAM_USER:+--command-config "$DATA/client.properties"} >/dev/null 2>&1
}

our_broker_pid() {
  local pid
  [[ -f "$PIDFILE" ]] || return 1
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null \
    && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka' \
    && echo "$pid"
}

# --- 0. already running? -----------------------------------------------------
if port_open "$PORT"; then
  log "a broker already answers on $HOST:$PORT; nothing to do"
  exit 0
fi

command -v "$JAVA" >/dev/null 2>&1 || { echo "[kafka-up] java not found (need Java 17+)" >&2; exit 1; }
if [[ -n "$SCRAM_USER$SCRAM_PASSWORD" ]]; then
  # The credentials go into the format command's [name=…,password=…] and into a JAAS line in quotes.
  for setting in KAFKA_SCRAM_USER KAFKA_SCRAM_PASSWORD; do
    [[ "${!setting:-}" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "[kafka-up] $setting must be set with the other SCRAM setting (letters, digits, . _ - only)" >&2; exit 1; }
  done
fi
if [[ -n "$TLS_PORT" && -z "$SCRAM_USER" ]]; then
  echo "[kafka-up] KAFKA_TLS_PORT needs KAFKA_SCRAM_USER and KAFKA_SCRAM_PASSWORD (its listener is SASL_SSL)" >&2
  exit 1
fi
mkdir -p "$DATA" "$LOGDIRS"

# --- 1. resolve broker jars once (cache keyed on the pom's hash) -------------
POM_HASH="$(sha256sum "$POM" | cut -d' ' -f1)"
if [[ "$(cat "$LIBS/.pom.sha256" 2>/dev/null || true)" != "$POM_HASH" ]]; then
  log "resolving Kafka jars with Maven into $LIBS ..."
  command -v mvn >/dev/null 2>&1 || { echo "[kafka-up] mvn not found" >&2; exit 1; }
  tmp="$LIBS.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$DIR/.cache"
  if ! mvn -B -q -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp" >"$DIR/.cache/mvn.log" 2>&1; then
    echo "[kafka-up] Maven could not resolve the Kafka jars:" >&2
    tail -n 40 "$DIR/.cache/mvn.log" >&2
    rm -rf "$tmp"
    exit 1
  fi
  echo "$POM_HASH" >"$tmp/.pom.sha256"
  rm -rf "$LIBS"
  mv "$tmp" "$LIBS"
  log "jars cached ($(ls "$LIBS"/*.jar | wc -l) jars)"
fi

# --- 2. config -----------------------------------------------------------------
# The client listener: PLAINTEXT, or SASL_PLAINTEXT with SCRAM (the broker authenticates to itself as the same user).
CLIENT_LISTENER=PLAINTEXT
SCRAM_JAAS=""
if [[ -n "$SCRAM_USER" ]]; then
  CLIENT_LISTENER=SASL_PLAINTEXT
  SCRAM_JAAS="org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$SCRAM_USER\" password=\"$SCRAM_PASSWORD\";"
fi
# server.properties and client.properties hold the SCRAM password: readable by their owner only.
umask 077
LISTENERS="$CLIENT_LISTENER://$HOST:$PORT"
PROTOCOLS="$CLIENT_LISTENER:$CLIENT_LISTENER"
if [[ -n "$TLS_PORT" ]]; then
  LISTENERS="$LISTENERS,SASL_SSL://$HOST:$TLS_PORT"
  PROTOCOLS="$PROTOCOLS,SASL_SSL:SASL_SSL"
  if [[ ! -f "$TLS_DIR/broker.pem" ]]; then
    # A CA of this broker's own, and its certificate for the addresses clients use; the key is PKCS#8, as Kafka's PEM keystore wants.
    command -v openssl >/dev/null 2>&1 || { echo "[kafka-up] openssl not found (needed for KAFKA_TLS_PORT)" >&2; exit 1; }
    mkdir -p "$TLS_DIR"
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=city-local-kafka-ca" \
      -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.crt" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$TLS_DIR/broker.key" -out "$TLS_DIR/broker.csr" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$TLS_DIR/san.ext"
    openssl x509 -req -in "$TLS_DIR/broker.csr" -CA "$TLS_DIR/ca.crt" -CAkey "$TLS_DIR/ca.key" -CAcreateserial -days 30 \
      -extfile "$TLS_DIR/san.ext" -out "$TLS_DIR/broker.crt" 2>/dev/null
    cat "$TLS_DIR/broker.key" "$TLS_DIR/broker.crt" "$TLS_DIR/ca.crt" >"$TLS_DIR/broker.pem"
    chmod 644 "$TLS_DIR/ca.crt"
  fi
fi
cat >"$PROPS" <<EOF
# Generated by deploy/local/kafka-up.sh (rewritten on every start).
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=$HOST:$CONTROLLER_PORT
listeners=$LISTENERS,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=$LISTENERS,CONTROLLER://$HOST:$CONTROLLER_PORT
inter.broker.listener.name=$CLIENT_LISTENER
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,$PROTOCOLS
log.dirs=$LOGDIRS
num.partitions=4
auto.create.topics.enable=true
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# Small machine (2 cores shared with tests): fewer threads than the defaults.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=168
EOF
if [[ -n "$SCRAM_USER" ]]; then
  cat >>"$PROPS" <<EOF
sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=$SCRAM_JAAS
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=$SCRAM_JAAS
EOF
  if [[ -n "$TLS_PORT" ]]; then
    cat >>"$PROPS" <<EOF
listener.name.sasl_ssl.sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256,PLAIN
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=$SCRAM_JAAS
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=$SCRAM_JAAS
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="$SCRAM_USER" password="$SCRAM_PASSWORD" user_$SCRAM_USER="$SCRAM_PASSWORD";
listener.name.sasl_ssl.ssl.keystore.type=PEM
listener.name.sasl_ssl.ssl.keystore.location=$TLS_DIR/broker.pem
EOF
  fi
  cat >"$DATA/client.properties" <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=$SCRAM_JAAS
EOF
fi
umask 022

cat >"$DATA/log4j2.properties" <<'EOF'
status = warn
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.out.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = warn
logger.clients.name = org.apache.kafka.clients
logger.clients.level = warn
EOF

cat >"$DATA/tools-log4j2.properties" <<'EOF'
status = error
appender.err.type = Console
appender.err.name = STDERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.err.ref = STDERR
EOF

# --- 3. start (unless our broker is already starting) ----------------------
if pid="$(our_broker_pid)"; then
  log "broker process $pid is already running (starting up?); waiting for it"
else
  # --- format storage once -------------------------------------------------
  if [[ ! -f "$LOGDIRS/meta.properties" ]]; then
    CLUSTER_ID="$(cat "$DATA/cluster.id" 2>/dev/null || true)"
    if [[ -z "$CLUSTER_ID" ]]; then
      # Base64url of 16 random bytes, not starting with '-' (the storage tool would read it as an option; Kafka's own ids avoid it too).
      CLUSTER_ID="-"
      while [[ "$CLUSTER_ID" == -* ]]; do CLUSTER_ID="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"; done
      echo "$CLUSTER_ID" >"$DATA/cluster.id"
    fi
    log "formatting storage in $LOGDIRS (cluster id $CLUSTER_ID${SCRAM_USER:+, SCRAM user $SCRAM_USER})"
    rm -rf "$LOGDIRS" && mkdir -p "$LOGDIRS"
    scram_args=()
    if [[ -n "$SCRAM_USER" ]]; then
      scram_args=(--add-scram "SCRAM-SHA-512=[name=$SCRAM_USER,password=$SCRAM_PASSWORD]"
        --add-scram "SCRAM-SHA-256=[name=$SCRAM_USER,password=$SCRAM_PASSWORD]")
    fi
    kafka_tool kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$PROPS" --standalone "${scram_args[@]}"
    echo "$SCRAM_USER" >"$DATA/scram.user"
  elif [[ "$(cat "$DATA/scram.user" 2>/dev/null || true)" != "$SCRAM_USER" ]]; then
    # SCRAM credentials are written when the storage is formatted: a broker formatted for others would refuse its clients.
    echo "[kafka-up] $LOGDIRS was formatted for SCRAM user '$(cat "$DATA/scram.user" 2>/dev/null || true)', not '$SCRAM_USER': use a fresh KAFKA_DATA_DIR" >&2
    exit 1
  fi

  [[ -f "$LOGFILE" ]] && mv -f "$LOGFILE" "$LOGFILE.1"
  # A broker that was killed leaves its pid behind: the wait below must see the new one.
  rm -f "$PIDFILE"
  log "starting broker (log: $LOGFILE)"
  # setsid + exec: the broker leaves our process group and its real pid is recorded.
  KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx1g -Xms512m}" \
  JAVA="$JAVA" LIBS="$LIBS" DATA="$DATA" PROPS="$PROPS" PIDFILE="$PIDFILE" \
    setsid nohup bash -c 'echo $$ >"$PIDFILE"; exec "$JAVA" $KAFKA_HEAP_OPTS \
      -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
      -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
      -Dlog4j2.configurationFile="$DATA/log4j2.properties" \
      -cp "$LIBS/*" kafka.Kafka "$PROPS"' >"$LOGFILE" 2>&1 </dev/null &
  for _ in $(seq 100); do [[ -s "$PIDFILE" ]] && break; sleep 0.1; done # up to 10 s on a loaded machine
fi

if [[ "${KAFKA_WAIT:-yes}" == "no" ]]; then
  if pid="$(our_broker_pid)"; then
    log "broker process $pid started (not waiting for it to answer); log: $LOGFILE"
    exit 0
  fi
  echo "[kafka-up] broker process exited; last log lines:" >&2
  tail -n 60 "$LOGFILE" >&2 || true
  exit 1
fi

# --- 4. wait until it answers a real request ------------------------------
deadline=$((SECONDS + TIMEOUT))
while :; do
  if ! pid="$(our_broker_pid)"; then
    echo "[kafka-up] broker process exited; last log lines:" >&2
    tail -n 60 "$LOGFILE" >&2 || true
    exit 1
  fi
  if port_open "$PORT" && broker_answers; then
    break
  fi
  if ((SECONDS >= deadline)); then
    echo "[kafka-up] broker (pid $pid) did not answer within ${TIMEOUT}s; last log lines:" >&2
    tail -n 60 "$LOGFILE" >&2 || true
    exit 1
  fi
  sleep 1
done

log "Kafka $(basename "$(ls "$LIBS"/kafka_2.13-*.jar)" .jar | sed 's/kafka_2.13-//') broker up (pid $pid)"
log "  bootstrap servers: $HOST:$PORT ($CLIENT_LISTENER${SCRAM_USER:+, SCRAM-SHA-512/256 user $SCRAM_USER})   controller: $HOST:$CONTROLLER_PORT"
[[ -n "$TLS_PORT" ]] && log "  TLS: $HOST:$TLS_PORT (SASL_SSL: SCRAM-SHA-512/256, PLAIN; CA $TLS_DIR/ca.crt)"
log "  data: $LOGDIRS   log: $LOGFILE"
