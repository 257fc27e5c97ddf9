#!/usr/bin/env bash
# Installs Debian's dataset-fashion-mnist (gzipped IDX files in /usr/share/datasets/fashion-mnist,
# MIT license): the real data set the panel's benchmark and its UI test train on
# (scripts/fashion-mnist.js turns it into a CSV). Idempotent: when it is installed this only asks
# dpkg-query. Works as root or through sudo, with no stdin; `apt-get update` runs only when the
# package is missing.
set -euo pipefail
PACKAGE=dataset-fashion-mnist
dpkg-query -W -f='${Status}' "$PACKAGE" 2>/dev/null | grep -q 'install ok installed' && exit 0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$ROOT/.cache"
# Other set-up scripts may run apt at the same time: share their wait, and dpkg's.
exec 9>"$ROOT/.cache/setup-apt.lock"
flock 9
dpkg-query -W -f='${Status}' "$PACKAGE" 2>/dev/null | grep -q 'install ok installed' && exit 0
as_root() { if [[ "$(id -u)" == 0 ]]; then "$@"; else sudo "$@"; fi; }
echo "[setup-fashion-mnist] apt-get install $PACKAGE" >&2
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -qq -o DPkg::Lock::Timeout=600 >&2
as_root apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "$PACKAGE" >&2
