// The seeded data the benchmarks share, so that `npm run bench` (trial.js) and `npm run bench:host`
// (hostLoop.js) train on the same synthetic W3. Plain JS: both run it unbundled.

/** A small seeded generator (mulberry32), so every engine's process builds the same data. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * W3's data, MNIST's shape: `rows` of 784 pixels in [0, 1], mostly 0, and one-hot targets of 10
 * classes, each class a blurred prototype. `Floats` (Float32Array or Float64Array) holds
 * prototypes and samples alike, as each caller always has.
 */
function w3Samples(rows, Floats) {
  const r = rng(12345);
  const protos = Array.from({ length: 10 }, () => Floats.from({ length: 784 }, () => (r() < 0.2 ? r() : 0)));
  const x = new Floats(rows * 784);
  const y = new Floats(rows * 10);
  for (let i = 0; i < rows; i++) {
    const c = Math.floor(r() * 10);
    y[i * 10 + c] = 1;
    const p = protos[c];
    for (let j = 0; j < 784; j++) {
      const v = p[j] > 0 ? Math.min(1, p[j] + 0.3 * (r() - 0.5)) : r() < 0.03 ? r() : 0;
      x[i * 784 + j] = v > 0 ? v : 0;
    }
  }
  return { x, y };
}

module.exports = { rng, w3Samples };
