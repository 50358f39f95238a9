#!/usr/bin/env bash
# Installs PyPI's amundsen-databuilder (pinned: 7.5.1, its last release) into a venv under the services cache, once,
# and prints the venv's python. The `migrate amundsen` tests load Amundsen's sample data with its own loader and
# publisher (test/amundsen/load_amundsen.py).
set -euo pipefail
VERSION=${AMUNDSEN_DATABUILDER_VERSION:-7.5.1}
CACHE=${NANSEN_SERVICES_DIR:-/tmp/nansen-services}/cache
VENV=$CACHE/amundsen-databuilder-$VERSION
if [[ ! -x $VENV/bin/python ]] || ! "$VENV/bin/python" -c 'import databuilder.publisher.neo4j_csv_publisher' 2>/dev/null; then
  mkdir -p "$CACHE"
  rm -rf "$VENV"
  { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q --disable-pip-version-check "amundsen-databuilder==$VERSION"; } </dev/null >&2 ||
    { rm -rf "$VENV"; echo "pip could not install amundsen-databuilder==$VERSION" >&2; exit 1; }
fi
echo "$VENV/bin/python"
