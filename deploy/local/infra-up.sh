#!/usr/bin/env bash
# Start local infrastructure for dev/CI: PostgreSQL (machine's) and a Kafka broker.
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$DIR/postgres-up.sh"
bash "$DIR/kafka-up.sh"
