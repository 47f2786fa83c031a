#!/usr/bin/env bash
# Runs every benchmark in bench/ against the local infrastructure; each prints one JSON line.
# `npm run bench -- relay` runs only the benchmarks whose file name contains "relay".
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/local/infra-up.sh >&2
filter="${1:-}"
for file in bench/*.ts; do
  case "$file" in *"$filter"*) ;; *) continue ;; esac
  node -r @swc-node/register "$file"
done
