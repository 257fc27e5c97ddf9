// Draws the extension's Marketplace icon, media/icon.png (128×128): a 2-3-1 network on a dark
// rounded square, the same picture as the activity-bar icon (media/mlp-inspector.svg). No image
// library: shapes are sampled 4×4 per pixel and the PNG is written with zlib.
//   node scripts/make-icon.js        (the PNG is committed; run this only to change it)
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { Buffer } = require('buffer');

const SIZE = 128;
const SUB = 4;
const rgb = (hex) => [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
const BG = rgb('#1f2d3d');
const EDGE = rgb('#7fa7c9');
const NODE = rgb('#f2f5f8');
const HOT = rgb('#f5a623');

// Layout in a 24-unit grid, as in the SVG, scaled to 128 px with a margin.
const s = (v) => 14 + (v * (SIZE - 28)) / 24;
const inputs = [[4, 8], [4, 16]];
const hidden = [[12, 4], [12, 12], [12, 20]];
const output = [[20, 12]];
const shapes = [];
for (const [a, b] of [...inputs.flatMap((i) => hidden.map((h) => [i, h])), ...hidden.map((h) => [h, output[0]])]) {
  shapes.push({ kind: 'segment', x1: s(a[0]), y1: s(a[1]), x2: s(b[0]), y2: s(b[1]), w: 3.2, colour: EDGE });
}
for (const [x, y] of [...inputs, ...hidden]) shapes.push({ kind: 'circle', x: s(x), y: s(y), r: 10, colour: NODE });
shapes.push({ kind: 'circle', x: s(output[0][0]), y: s(output[0][1]), r: 12, colour: HOT });

function insideRoundedSquare(x, y) {
  const r = 24;
  const cx = Math.min(Math.max(x, r), SIZE - r);
  const cy = Math.min(Math.max(y, r), SIZE - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function covers(shape, x, y) {
  if (shape.kind === 'circle') return (x - shape.x) ** 2 + (y - shape.y) ** 2 <= shape.r ** 2;
  const dx = shape.x2 - shape.x1;
  const dy = shape.y2 - shape.y1;
  const t = Math.max(0, Math.min(1, ((x - shape.x1) * dx + (y - shape.y1) * dy) / (dx * dx + dy * dy)));
  return (x - shape.x1 - t * dx) ** 2 + (y - shape.y1 - t * dy) ** 2 <= (shape.w / 2) ** 2;
}

const raw = Buffer.alloc(SIZE * (1 + SIZE * 4));
for (let py = 0; py < SIZE; py++) {
  raw[py * (1 + SIZE * 4)] = 0; // filter: none
  for (let px = 0; px < SIZE; px++) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < SUB; sy++) {
      for (let sx = 0; sx < SUB; sx++) {
        const x = px + (sx + 0.5) / SUB;
        const y = py + (sy + 0.5) / SUB;
        if (!insideRoundedSquare(x, y)) continue;
        let colour = BG;
        for (const shape of shapes) if (covers(shape, x, y)) colour = shape.colour;
        for (let c = 0; c < 3; c++) sum[c] += colour[c];
        sum[3] += 1;
      }
    }
    const o = py * (1 + SIZE * 4) + 1 + px * 4;
    // Straight (not premultiplied) alpha: the colour is the mean over the covered samples.
    for (let c = 0; c < 3; c++) raw[o + c] = sum[3] ? Math.round(sum[c] / sum[3]) : 0;
    raw[o + 3] = Math.round((255 * sum[3]) / (SUB * SUB));
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(__dirname, '..', 'media', 'icon.png');
fs.writeFileSync(out, png);
console.log(`wrote ${path.relative(process.cwd(), out)} (${png.length} bytes)`);
