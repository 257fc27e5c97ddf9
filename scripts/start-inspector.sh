#!/usr/bin/env bash
# The README's main command. On a fresh clone it installs what is needed (a pinned code-server in
# .cache/, through scripts/setup-e2e.sh), builds and packages the extension with vsce, installs the
# .vsix into that code-server, and serves VS Code on 127.0.0.1 with examples/ open, printing the
# URL. Ctrl-C stops it. Settings and state persist in .cache/inspector-session/ between runs.
#
#   bash scripts/start-inspector.sh            # port 8080
#   MLP_INSPECTOR_PORT=3000 bash scripts/start-inspector.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${MLP_INSPECTOR_PORT:-8080}"
HOST=127.0.0.1
SESSION="$ROOT/.cache/inspector-session"
WORKSPACE="$ROOT/examples"

log() { echo "[start-inspector] $*" >&2; }

CS_DIR="$(bash "$ROOT/scripts/setup-e2e.sh" --print-dir --no-browser)"
ENTRY="$CS_DIR/node_modules/code-server/out/node/entry.js"

cd "$ROOT"
log "building"
npm run --silent build
log "packaging"
VSIX="$(node scripts/package-vsix.js </dev/null)"

mkdir -p "$SESSION/user-data/User" "$SESSION/extensions" "$SESSION/xdg-config" "$SESSION/tmp" "$WORKSPACE"
if [[ ! -f "$SESSION/user-data/User/settings.json" ]]; then
  cat >"$SESSION/user-data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "git.openRepositoryInParentFolders": "never"
}
JSON
fi
export XDG_CONFIG_HOME="$SESSION/xdg-config" TMPDIR="$SESSION/tmp"
ARGS=(--user-data-dir "$SESSION/user-data" --extensions-dir "$SESSION/extensions")
log "installing the extension into code-server"
node "$ENTRY" "${ARGS[@]}" --install-extension "$VSIX" --force </dev/null >/dev/null

# Own process group, so stopping also ends code-server's file watchers and extension hosts.
setsid node "$ENTRY" "${ARGS[@]}" --bind-addr "$HOST:$PORT" --auth none --disable-telemetry \
  --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --ignore-last-opened "$WORKSPACE" </dev/null >"$SESSION/server.log" 2>&1 &
PGID=$!
stop() { kill -- "-$PGID" 2>/dev/null || true; wait "$PGID" 2>/dev/null || true; }
trap 'stop; exit 0' INT TERM
trap stop EXIT

for _ in $(seq 1 300); do
  if curl -fsS -o /dev/null "http://$HOST:$PORT/healthz" 2>/dev/null; then break; fi
  if ! kill -0 "$PGID" 2>/dev/null; then log "code-server exited; see $SESSION/server.log"; tail -20 "$SESSION/server.log" >&2; exit 1; fi
  sleep 0.2
done
FOLDER="$(node -p 'encodeURIComponent(process.argv[1])' "$WORKSPACE")"
echo
echo "MLP Inspector is running in VS Code (code-server, log: ${SESSION#"$ROOT"/}/server.log)."
echo "Open:  http://$HOST:$PORT/?folder=$FOLDER"
echo "Then run \"MLP Inspector: Open Inspector\" from the Command Palette (F1). Ctrl-C stops the server."
echo "Desktop VS Code instead: code --install-extension ${VSIX#"$ROOT"/}"
wait "$PGID"
