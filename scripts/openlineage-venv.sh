#!/usr/bin/env bash
# Installs PyPI's openlineage-python (pinned) into a venv under the services cache, once, and prints the venv's
# python. The OpenLineage intake tests send their events with it (its HTTP transport), as Airflow or dbt-ol would.
set -euo pipefail
VERSION=${OPENLINEAGE_PYTHON_VERSION:-1.54.0}
CACHE=${NANSEN_SERVICES_DIR:-/tmp/nansen-services}/cache
VENV=$CACHE/openlineage-python-$VERSION
if [[ ! -x $VENV/bin/python ]] || ! "$VENV/bin/python" -c 'import openlineage.client' 2>/dev/null; then
  mkdir -p "$CACHE"
  rm -rf "$VENV"
  { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q --disable-pip-version-check "openlineage-python==$VERSION"; } </dev/null >&2 ||
    { rm -rf "$VENV"; echo "pip could not install openlineage-python==$VERSION" >&2; exit 1; }
fi
echo "$VENV/bin/python"
