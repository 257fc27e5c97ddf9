// The Python peers of `npm run bench`: PyTorch (CPU) and scikit-learn, from Debian's packages for
// Debian's own /usr/bin/python3 (python3-torch, python3-sklearn). Not a virtual environment: the
// machines this bench runs on reach Debian's mirrors and the npm registry but not PyPI, and
// Debian's builds are what `apt-get install` gives any user here. bench.js calls ensure() once;
// it installs what is missing (root or passwordless sudo), and otherwise says why the peers are
// skipped. trial.js runs bench/peers.py with the data it writes.
const { spawnSync } = require('child_process');

// MLP_BENCH_PYTHON: another interpreter (to test the skip path, or a Python that has the peers).
const PYTHON = process.env.MLP_BENCH_PYTHON || '/usr/bin/python3';
const PACKAGES = ['python3-torch', 'python3-sklearn'];

function missingPackages() {
  const res = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\n', ...PACKAGES], { encoding: 'utf8' });
  if (res.error) return { error: `no dpkg-query (${res.error.code}): not a Debian system` };
  const ok = new Set(res.stdout.split('\n').filter((l) => l.endsWith('install ok installed')).map((l) => l.split(' ')[0]));
  return { missing: PACKAGES.filter((p) => !ok.has(p)) };
}

function apt(args, log) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const cmd = root ? 'apt-get' : 'sudo';
  const full = root ? args : ['-n', 'apt-get', ...args];
  log(`bench: ${root ? '' : 'sudo '}apt-get ${args.join(' ')}`);
  const res = spawnSync(cmd, full, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return res.status === 0 ? undefined : (res.error?.message ?? res.stderr.trim().split('\n').pop() ?? `exit ${res.status}`);
}

/**
 * Installs the Python peers when missing (unless `install` is false: smoke, which must stay fast
 * and not run apt inside a test suite); returns { ok: true, versions } or { ok: false, reason }.
 */
function ensure(log, install = true) {
  const first = missingPackages();
  if (first.error) return { ok: false, reason: first.error };
  if (first.missing.length && !install) return { ok: false, reason: `${first.missing.join(', ')} not installed (smoke does not install them; \`npm run bench\` does)` };
  if (first.missing.length) {
    log(`bench: installing the Python peers (${first.missing.join(', ')}) with apt…`);
    const install = ['install', '-y', '-q', '--no-install-recommends', ...first.missing];
    let err = apt(install, log);
    if (err) err = apt(['update', '-q'], log) ?? apt(install, log); // stale or absent package lists
    if (err) return { ok: false, reason: `apt-get install ${first.missing.join(' ')} failed: ${err}` };
  }
  const probe = spawnSync(PYTHON, ['-c', 'import json, torch, sklearn, numpy; print(json.dumps({"torch": torch.__version__, "scikit-learn": sklearn.__version__, "numpy": numpy.__version__}))'], { encoding: 'utf8' });
  if (probe.status !== 0) return { ok: false, reason: `${PYTHON} cannot import torch and sklearn: ${(probe.stderr || String(probe.error)).trim().split('\n').pop()}` };
  return { ok: true, versions: JSON.parse(probe.stdout) };
}

/** The environment of a Python trial: `threads` limits every thread pool (OpenMP, OpenBLAS, MKL); undefined keeps the defaults. */
function environment(threads) {
  const env = { ...process.env };
  for (const k of ['OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS']) {
    if (threads) env[k] = String(threads);
    else delete env[k];
  }
  return env;
}

module.exports = { PYTHON, PACKAGES, ensure, environment };
