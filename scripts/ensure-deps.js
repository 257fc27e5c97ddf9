#!/usr/bin/env node
// Installs the npm dependencies when they are missing or older than package-lock.json, so the
// README's commands work on a fresh clone and cost nothing on later runs. Plain JS: it runs
// before anything (TypeScript included) is installed.
const { execSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const lock = path.join(root, 'package-lock.json');
const installed = path.join(root, 'node_modules', '.package-lock.json');

function stale() {
  if (!fs.existsSync(installed)) return true;
  return fs.statSync(lock).mtimeMs > fs.statSync(installed).mtimeMs;
}

if (stale()) {
  console.error('mlp-inspector: installing npm dependencies (npm ci)…');
  // onnxruntime-node (test-only) ships its CPU binaries; its install script would fetch CUDA ones
  // from outside the npm registry. .npmrc says skip too; the variable keeps working where npm
  // stops passing unknown .npmrc keys to install scripts.
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
  // npm ci may leave the lock's mtime newer than what it wrote; mark the install as current.
  const now = new Date();
  fs.utimesSync(installed, now, now);
}
