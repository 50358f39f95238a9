#!/usr/bin/env bash
# Installs one pinned PyPI package into a venv of its own under the services cache, once, and prints the venv's
# python. Usage: bash scripts/pypi-venv.sh <package> <version> <module to import as the check>
set -euo pipefail
PACKAGE=$1 VERSION=$2 MODULE=$3
CACHE=${NANSEN_SERVICES_DIR:-/tmp/nansen-services}/cache
VENV=$CACHE/$PACKAGE-$VERSION
if [[ ! -x $VENV/bin/python ]] || ! "$VENV/bin/python" -c "import $MODULE" 2>/dev/null; then
  mkdir -p "$CACHE"
  rm -rf "$VENV"
  { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q --disable-pip-version-check "$PACKAGE==$VERSION"; } </dev/null >&2 ||
    { rm -rf "$VENV"; echo "pip could not install $PACKAGE==$VERSION" >&2; exit 1; }
fi
echo "$VENV/bin/python"
