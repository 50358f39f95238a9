#!/usr/bin/env bash
# PyPI's amundsen-databuilder (pinned: 7.5.1, its last release) in a venv under the services cache; prints its python.
# The `migrate amundsen` tests load Amundsen's sample data with its own loader and publisher (test/amundsen/load_amundsen.py).
set -euo pipefail
exec bash "$(dirname "$0")/pypi-venv.sh" amundsen-databuilder "${AMUNDSEN_DATABUILDER_VERSION:-7.5.1}" databuilder.publisher.neo4j_csv_publisher
