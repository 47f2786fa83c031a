#!/usr/bin/env bash
# The test command: starts the local infrastructure (real Kafka broker and PostgreSQL,
# deploy/local) and runs the unit, integration, contract, end-to-end and browser tests.
# Extra arguments go to Jest, e.g. `npm test -- --selectProjects unit`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/local/infra-up.sh
mkdir -p test-output
# PGlite loads its WASM build through a dynamic import, which Jest supports only with VM modules.
export NODE_OPTIONS="--experimental-vm-modules ${NODE_OPTIONS:-}"
set +e
npx jest --ci --maxWorkers=2 --json --outputFile=test-output/jest-results.json "$@"
status=$?
set -e
node scripts/test-summary.js test-output/jest-results.json
exit $status
