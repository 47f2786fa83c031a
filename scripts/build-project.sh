#!/usr/bin/env bash
# Compiles one project folder (e.g. libs/kafka) to dist/<folder> with swc, keeping
# decorator metadata for NestJS and rewriting the @city/* path aliases of
# tsconfig.base.json into relative imports, so `node dist/...` runs without a loader.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
project="$1"
cd "$root"
mkdir -p dist
# Nx builds projects in parallel: each build writes and reads a config file of its own,
# since one shared file could be read by one build while another is rewriting it.
config="$(mktemp "${TMPDIR:-/tmp}/swcrc-build.XXXXXX")"
trap 'rm -f "$config"' EXIT
node -e "
const base = JSON.parse(require('fs').readFileSync('.swcrc', 'utf8'));
base.jsc.baseUrl = process.argv[1];
base.jsc.paths = require('./tsconfig.base.json').compilerOptions.paths;
delete base['\$schema'];
base.exclude = ['\\\\.spec\\\\.ts\$'];
require('fs').writeFileSync(process.argv[2], JSON.stringify(base));
" "$root" "$config"
npx swc "$project" -d dist --copy-files --config-file "$config" --ignore '**/*.spec.ts' >/dev/null
echo "built $project -> dist/$project"
