#!/usr/bin/env bash
# Compiles one project folder (e.g. libs/kafka) to dist/<folder> with swc, keeping
# decorator metadata for NestJS and rewriting the @city/* path aliases of
# tsconfig.base.json into relative imports, so `node dist/...` runs without a loader.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
project="$1"
cd "$root"
mkdir -p dist
config="dist/.swcrc.build.json"
node -e "
const base = JSON.parse(require('fs').readFileSync('.swcrc', 'utf8'));
base.jsc.baseUrl = process.argv[1];
base.jsc.paths = require('./tsconfig.base.json').compilerOptions.paths;
delete base['\$schema'];
base.exclude = ['\\\\.spec\\\\.ts\$'];
require('fs').writeFileSync('$config', JSON.stringify(base));
" "$root"
npx swc "$project" -d dist --copy-files --config-file "$config" --ignore '**/*.spec.ts' >/dev/null
echo "built $project -> dist/$project"
