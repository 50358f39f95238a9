#!/usr/bin/env bash
# The whole test suite: brings the real servers up (reusing running ones), type-checks, lints, then runs the
# unit tests and the integration tests (serially: they share the servers).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/services.sh up
set -a
# shellcheck disable=SC1091
source "${NANSEN_SERVICES_DIR:-/tmp/nansen-services}/env.sh"
set +a

echo "== typecheck"
npx tsc --noEmit -p tsconfig.json
echo "== lint"
npx eslint .
echo "== unit tests"
# --forceExit: since the 2026-12-02 merges one unit suite leaves a handle open and jest would wait for ever;
# the suites have all reported by then. Remove once the leak is found (`npx jest --detectOpenHandles`).
npx jest --ci --selectProjects unit --forceExit "$@"
echo "== integration tests (real servers)"
npx jest --ci --selectProjects integration --runInBand "$@"
