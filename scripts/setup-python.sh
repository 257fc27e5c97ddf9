#!/usr/bin/env bash
# Installs what the Python-side tests need: Debian's python3 with PyTorch (python3-torch, for
# the PyTorch export's tests) and ONNX (python3-onnx, for the ONNX export's checker tests).
# The tests call /usr/bin/python3 explicitly: a python3 earlier on PATH (pyenv, a venv) has
# neither package.
#
# Why Debian's packages and not a pip venv in .cache/ (what issue #12 first asked for): PyPI is
# not reachable on the machines these tests run on, only the npm registry and Debian's apt, so
# `pip install torch` cannot work there. Debian's python3-torch (1.13, CPU) has no `safetensors`
# package beside it, which is why the exported model.py reads safetensors itself when it must.
#
# Idempotent: when everything is installed it only asks dpkg-query, well under a second.
# Works as root or through sudo, with no stdin; `apt-get update` runs (first) only when a
# package is missing.
set -euo pipefail

APT_PACKAGES=(python3 python3-torch python3-onnx)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"

log() { echo "[setup-python] $*" >&2; }

missing_apt_packages() {
  local p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

# The fast path: nothing missing, no lock needed.
missing="$(missing_apt_packages | tr '\n' ' ')"
[[ -z "${missing// /}" ]] && exit 0

mkdir -p "$CACHE"
# Two test commands started at once must not run apt-get twice (dpkg's own lock would fail one).
exec 9>"$CACHE/setup-python.lock"
flock 9

as_root() {
  if [[ "$(id -u)" == 0 ]]; then "$@"; else sudo -n "$@"; fi
}

# Another run may have installed them while we waited for the lock.
missing="$(missing_apt_packages | tr '\n' ' ')"
[[ -z "${missing// /}" ]] && exit 0

# A package is missing: refresh the lists first (a fresh machine has none, or stale ones).
# DEBIAN_FRONTEND goes through env, as sudo would drop it from the environment.
log "apt-get update"
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null >&2
log "apt-get install $missing"
# shellcheck disable=SC2086
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing </dev/null >&2

if ! /usr/bin/python3 -c 'import torch, onnx' >&2; then
  log "installed $missing, but /usr/bin/python3 cannot import torch and onnx"
  exit 1
fi
