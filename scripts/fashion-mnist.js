#!/usr/bin/env node
// Fashion-MNIST (Debian's dataset-fashion-mnist, MIT license) as the CSV a new user would write,
// for the panel's benchmark and its UI test: 784 pixel columns p0 … p783 (value / 255) and a
// `label` column of class names, with the model beside it (784-256-128-100-10, ReLU,
// softmax, cross-entropy, He init, Adam 0.001, batch 128, no validation split).
//
//   node scripts/fashion-mnist.js [--rows N] [--out DIR] [--epochs E]
//
// Writes DIR/fashion-train.csv (the first N training images, default all 60,000; about 125 MB
// whole) and DIR/fashion.mlp.json, each through a temporary file and a rename; prints DIR. A
// second run with the same arguments finds them and writes nothing. Installs the Debian package
// when it is missing (scripts/setup-fashion-mnist.sh). Nothing it writes is committed: DIR
// defaults to .cache/fashion-mnist-N, which git ignores.
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { execFileSync } = require('child_process');

const ROOT = path.join(__dirname, '..');
const SOURCE = '/usr/share/datasets/fashion-mnist';
/** The data set's own names for its labels 0 … 9. */
const CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** Reads a gzipped IDX file: its dimensions and its bytes (unsigned 8-bit data only, as the data set's). */
function readIdx(file) {
  const buf = zlib.gunzipSync(fs.readFileSync(file));
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0 || buf[2] !== 0x08) throw new Error(`${file}: not an unsigned-byte IDX file`);
  const rank = buf[3];
  const dims = [];
  for (let k = 0; k < rank; k++) dims.push(buf.readUInt32BE(4 + 4 * k));
  const offset = 4 + 4 * rank;
  const count = dims.reduce((a, b) => a * b, 1);
  if (buf.length !== offset + count) throw new Error(`${file}: ${buf.length - offset} data bytes, dimensions ${dims.join(' × ')} need ${count}`);
  return { dims, data: buf.subarray(offset) };
}

function writeAtomically(file, text) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** The model of issue #20 on `csvName`. */
function modelFile(csvName, epochs) {
  return {
    name: 'fashion-mnist',
    description: 'Fashion-MNIST (Debian dataset-fashion-mnist): the garment class from 28 × 28 pixels scaled to [0, 1], 784-256-128-100-10, as the data set\'s benchmark table lists "MLP 256-128-100".',
    layers: [{ units: 784 }, { units: 256, activation: 'relu' }, { units: 128, activation: 'relu' }, { units: 100, activation: 'relu' }, { units: 10, activation: 'softmax' }],
    loss: 'cross_entropy',
    init: { weights: 'he', seed: 1 },
    optimizer: { type: 'adam', learningRate: 0.001, batchSize: 128, shuffle: true, epochs },
    data: {
      path: csvName,
      features: Array.from({ length: 784 }, (_, k) => `p${k}`),
      target: ['label'],
      normalize: 'none',
      validationSplit: 0,
    },
  };
}

function main() {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
  };
  const rows = Number(option('rows', '60000'));
  const epochs = Number(option('epochs', '10'));
  if (!Number.isInteger(rows) || rows < 1 || rows > 60000) throw new Error(`--rows must be a whole number from 1 to 60000, not ${option('rows')}`);
  const out = path.resolve(option('out', path.join(ROOT, '.cache', `fashion-mnist-${rows}`)));
  const csv = path.join(out, 'fashion-train.csv');
  const model = path.join(out, 'fashion.mlp.json');
  fs.mkdirSync(out, { recursive: true });
  if (!fs.existsSync(path.join(SOURCE, 'train-images-idx3-ubyte.gz'))) {
    execFileSync('bash', [path.join(__dirname, 'setup-fashion-mnist.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  if (!fs.existsSync(csv)) {
    const images = readIdx(path.join(SOURCE, 'train-images-idx3-ubyte.gz'));
    const labels = readIdx(path.join(SOURCE, 'train-labels-idx1-ubyte.gz'));
    const [count, h, w] = images.dims;
    if (labels.dims[0] !== count) throw new Error(`${count} images but ${labels.dims[0]} labels`);
    const pixels = h * w;
    // v / 255 with 4 significant digits: the value a user's own export would carry, a third of
    // the bytes of full precision. The CLI and the panel read the same file, so both train on
    // the same numbers.
    const text = Array.from({ length: 256 }, (_, v) => (v === 0 ? '0' : String(Number((v / 255).toPrecision(4)))));
    const lines = [[...Array.from({ length: pixels }, (_, k) => `p${k}`), 'label'].join(',')];
    for (let r = 0; r < Math.min(rows, count); r++) {
      const row = new Array(pixels + 1);
      for (let k = 0; k < pixels; k++) row[k] = text[images.data[r * pixels + k]];
      row[pixels] = JSON.stringify(CLASS_NAMES[labels.data[r]]);
      lines.push(row.join(','));
    }
    writeAtomically(csv, lines.join('\n') + '\n');
  }
  const modelText = JSON.stringify(modelFile(path.basename(csv), epochs), null, 1) + '\n';
  if (!fs.existsSync(model) || fs.readFileSync(model, 'utf8') !== modelText) writeAtomically(model, modelText);
  console.log(out);
}

main();
