#!/usr/bin/env bash
# The Dockerfile's steps without Docker: copies the build context as .dockerignore filters it into OUT/build,
# installs and compiles there (native modules for the Node in use), prunes to production dependencies, and
# assembles the runtime layout the image has in OUT/app (package.json, node_modules, dist, data, config).
# With --node22 it runs under the image's Node (installed from npm by scripts/tools.sh), with its headers for
# node-gyp. Keep the RUN lines here the same as the Dockerfile's (test/production/image.test.ts compares them).
#   scripts/image-steps.sh [--node22] OUT
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
use_node22=false
if [[ "${1:-}" == "--node22" ]]; then use_node22=true; shift; fi
OUT="${1:?usage: scripts/image-steps.sh [--node22] OUT}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

if $use_node22; then
  node_dir="$(bash "$ROOT/scripts/tools.sh" node22)"
  export PATH="$node_dir/bin:$PATH"
  export npm_config_nodedir="$node_dir"
fi
echo "== node $(node -v) ($(command -v node))"

echo "== context (.dockerignore applied)"
rm -rf "$OUT/build" "$OUT/app"
mkdir -p "$OUT/build" "$OUT/app"
# The context is what git tracks plus the working copy's changes, filtered by .dockerignore's patterns.
# Docker's patterns are relative to the context's root unless they start with **/; rsync's match at any depth
# unless they start with /, so the others get one.
rsync -a --exclude-from=<(grep -v '^\s*#' "$ROOT/.dockerignore" | grep -v '^!' | sed '/^\s*$/d; /^\*\*\//!s#^/*#/#; s#^\*\*/##') \
  --exclude=.git "$ROOT/" "$OUT/context/"

echo "== build stage"
cd "$OUT/build"
cp "$OUT/context/package.json" "$OUT/context/package-lock.json" ./
# RUN npm ci --no-audit --no-fund
npm ci --no-audit --no-fund --prefer-offline
cp "$OUT/context/tsconfig.json" "$OUT/context/tsconfig.build.json" ./
cp -r "$OUT/context/src" "$OUT/context/ingest" "$OUT/context/workers" ./
# RUN npm run build
npm run build
# RUN npm prune --omit=dev --no-audit --no-fund
npm prune --omit=dev --no-audit --no-fund

echo "== runtime stage"
cd "$OUT/app"
cp "$OUT/build/package.json" ./
cp -r "$OUT/build/node_modules" "$OUT/build/dist" ./
cp -r "$OUT/context/data" ./data
mkdir -p config && cp "$OUT/context/deploy/sources.yml" config/sources.yml
rm -rf "$OUT/context"
echo "== image layout ready in $OUT/app"
