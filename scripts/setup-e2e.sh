#!/usr/bin/env bash
# Installs what the real-VS-Code tests need: Debian's Chromium (driven by playwright-core) and a
# pinned code-server (a real VS Code workbench and extension host) in .cache/, which git ignores.
#
# Idempotent: a second run only checks the installed packages and a version marker, well under a
# second. Works as root with no stdin (CI) and on a fresh clone. With --print-dir it prints the
# code-server folder on stdout (all logging goes to stderr), so callers can do
# CS_DIR="$(bash scripts/setup-e2e.sh --print-dir)".
#
# Why code-server 4.100.3 (VS Code 1.100.3): it runs on the machine's Node 20, installs in about
# 1.5 min and 300 MB (4.139.1 needs a separate Node 24 and 800 MB), and VS Code 1.100 is exactly
# the oldest version package.json's engines.vscode accepts, so the tests run against the API
# floor we promise. Its transitive dependencies are pinned by test/e2e/code-server/package-lock.json.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
# code-server's postinstall fetches ripgrep from the internet through @vscode/ripgrep 1.15.11;
# we pre-seed that package's download cache with Debian's rg under the exact name it looks for.
RIPGREP_CACHE_DIR_NAME=vscode-ripgrep-cache-1.15.11
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
APT_PACKAGES=(chromium ripgrep libkrb5-dev dataset-fashion-mnist)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
MARKER="$CS_DIR/.installed"
LOCK_SRC="$ROOT/test/e2e/code-server"

print_dir=false
for arg in "$@"; do
  case "$arg" in
    --print-dir) print_dir=true ;;
    # scripts/start-inspector.sh serves VS Code to the user's own browser: no Chromium needed.
    --no-browser) APT_PACKAGES=(ripgrep libkrb5-dev) ;;
    *) echo "usage: $0 [--print-dir] [--no-browser]" >&2; exit 2 ;;
  esac
done

log() { echo "[setup-e2e] $*" >&2; }

mkdir -p "$CACHE"
# Two test commands started at once must not install twice into the same folder.
exec 9>"$CACHE/setup-e2e.lock"
flock 9

as_root() {
  if [[ "$(id -u)" == 0 ]]; then "$@"; else sudo "$@"; fi
}

missing_apt_packages() {
  local p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

install_apt_packages() {
  local missing
  missing="$(missing_apt_packages | tr '\n' ' ')"
  [[ -z "${missing// /}" ]] && return 0
  log "apt-get install $missing"
  export DEBIAN_FRONTEND=noninteractive
  # Try the package lists already on the machine first; refresh them only when that fails
  # (a fresh machine has none, or stale ones whose files are gone from the mirror).
  # shellcheck disable=SC2086
  if ! as_root apt-get install -y -q --no-install-recommends $missing </dev/null >&2; then
    log "apt-get update"
    as_root apt-get update -q </dev/null >&2
    # shellcheck disable=SC2086
    as_root apt-get install -y -q --no-install-recommends $missing </dev/null >&2
  fi
}

seed_ripgrep_cache() {
  local tmp="$1" dir stage
  dir="$tmp/$RIPGREP_CACHE_DIR_NAME"
  [[ -s "$dir/$RIPGREP_ASSET" ]] && return 0
  mkdir -p "$dir"
  stage="$(mktemp -d "$tmp/rg.XXXXXX")"
  cp "$(command -v rg)" "$stage/rg"
  tar -czf "$dir/$RIPGREP_ASSET" -C "$stage" rg
  rm -rf "$stage"
}

install_code_server() {
  [[ -f "$MARKER" ]] && [[ "$(cat "$MARKER")" == "$CODE_SERVER_VERSION" ]] && return 0
  log "installing code-server $CODE_SERVER_VERSION into ${CS_DIR#"$ROOT"/} (about 1.5 min)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR/tmp"
  cp "$LOCK_SRC/package.json" "$LOCK_SRC/package-lock.json" "$CS_DIR/"
  # Scratch TMPDIR of our own, so the ripgrep cache we seed is the one the postinstall reads.
  local tmp="$CS_DIR/tmp"
  seed_ripgrep_cache "$tmp"
  (
    cd "$CS_DIR"
    # unsafe-perm: as root, npm would otherwise run code-server's postinstall as nobody, which
    # cannot write lib/vscode. yes: that postinstall runs `npx node-gyp`, which must not prompt.
    TMPDIR="$tmp" \
    npm_config_unsafe_perm=true \
    npm_config_yes=true \
    npm_config_audit=false \
    npm_config_fund=false \
    npm_config_update_notifier=false \
      npm ci --no-audit --no-fund </dev/null >"$CS_DIR/install.log" 2>&1
  ) || { log "code-server install failed; last lines of $CS_DIR/install.log:"; tail -40 "$CS_DIR/install.log" >&2; exit 1; }
  local got
  got="$(XDG_CONFIG_HOME="$tmp/xdg" HOME="$tmp" "$CS_DIR/node_modules/.bin/code-server" --version 2>/dev/null | awk '$3 == "with" {print $1}')"
  if [[ "$got" != "$CODE_SERVER_VERSION" ]]; then
    log "code-server --version printed '$got', expected $CODE_SERVER_VERSION"
    exit 1
  fi
  rm -rf "$tmp"
  echo "$CODE_SERVER_VERSION" >"$MARKER"
}

install_project_dependencies() {
  # A fresh clone has no node_modules; the tests need playwright-core, vsce and esbuild from it.
  if [[ ! -d "$ROOT/node_modules/playwright-core" || ! -d "$ROOT/node_modules/@vscode/vsce" ]]; then
    log "npm ci (project devDependencies)"
    (cd "$ROOT" && npm ci --no-audit --no-fund </dev/null >&2)
  fi
}

install_apt_packages
install_project_dependencies
install_code_server

if $print_dir; then echo "$CS_DIR"; fi
