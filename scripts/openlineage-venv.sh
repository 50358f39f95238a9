#!/usr/bin/env bash
# PyPI's openlineage-python (pinned) in a venv under the services cache; prints its python. The OpenLineage intake
# tests send their events with it (its HTTP transport), as Airflow or dbt-ol would.
set -euo pipefail
exec bash "$(dirname "$0")/pypi-venv.sh" openlineage-python "${OPENLINEAGE_PYTHON_VERSION:-1.54.0}" openlineage.client
