#!/usr/bin/env bash
# The `test` target of one Nx project (`npx nx test canvass`, `npx nx affected -t test`):
# the workspace's one Jest configuration (jest.config.js: unit, integration and end-to-end
# tiers) restricted to the project's folder. Integration and end-to-end tests talk to the
# local Kafka broker and PostgreSQL (`npm run infra:up`). The root `npm test`
# (scripts/test.sh) starts those and runs every project's tests once, without Nx.
# Extra arguments go to Jest, e.g. `npx nx test canvass --selectProjects=unit`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
project="${1:?usage: test-project.sh <project folder, e.g. libs/kafka>}"
shift
cd "$root"
# Jest reads a path argument as a pattern over absolute paths: anchor it at the project's
# folder, so libs/kafka does not also run libs/kafka-transport.
pattern="^$(printf '%s' "$root/${project%/}/" | sed 's/[][\.*^$+?(){}|]/\\&/g')"
# PGlite loads its WASM build through a dynamic import, which Jest supports only with VM modules.
export NODE_OPTIONS="--experimental-vm-modules ${NODE_OPTIONS:-}"
exec npx jest --passWithNoTests --testPathPatterns "$pattern" "$@"
