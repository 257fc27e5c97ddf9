/**
 * The lecture's synthetic datasets, seeded: the truth tables, and the 2-D sets that teaching
 * tools offer. `noise` is the standard deviation of Gaussian jitter added to every input (and
 * to the target, for regression). Values are rounded to 6 decimals, so a set written as CSV and
 * read back is the same set.
 */
import type { ColumnType } from './dataSpec';
import { Random, mixSeeds } from '../engine/random';

export interface SyntheticOptions {
  /** Rows; default 4 for a truth table (cycled beyond that), else 200. */
  samples?: number;
  /** Default 0 for a truth table, else 0.1. */
  noise?: number;
  /** Default 1. */
  seed?: number;
}

export interface SyntheticSet {
  name: SyntheticName;
  header: string[];
  rows: (number | string)[][];
  columnTypes: Record<string, ColumnType>;
  samples: number;
  noise: number;
  seed: number;
}

interface Generator {
  /** One line for help texts. */
  description: string;
  header: string[];
  /** The target is a class label (else a number). */
  classes?: string[];
  truthTable?: boolean;
  row(i: number, n: number, rng: Random, noise: number): (number | string)[];
}

const TAU = 2 * Math.PI;
const round6 = (v: number): number => {
  const r = Math.round(v * 1e6) / 1e6;
  return r === 0 ? 0 : r; // no "-0" in a CSV
};
const jitter = (v: number, rng: Random, noise: number): number => round6(noise > 0 ? v + rng.normal(0, noise) : v);

function truthTable(op: (a: number, b: number) => number, what: string): Generator {
  return {
    description: `the ${what} truth table, 4 rows (cycled to --samples), inputs jittered by noise; y is 0 or 1`,
    header: ['x1', 'x2', 'y'],
    truthTable: true,
    row(i, _n, rng, noise) {
      const a = (i >> 1) & 1;
      const b = i & 1;
      return [jitter(a, rng, noise), jitter(b, rng, noise), op(a, b)];
    },
  };
}

const GENERATORS = {
  and: truthTable((a, b) => a & b, 'AND'),
  or: truthTable((a, b) => a | b, 'OR'),
  xor: truthTable((a, b) => a ^ b, 'XOR'),
  blobs: {
    description: 'two Gaussian blobs (std 0.5) around (-1, -1) and (1, 1), classes "A" and "B"',
    header: ['x1', 'x2', 'class'],
    classes: ['A', 'B'],
    row(i, _n, rng, noise) {
      const k = i % 2;
      const c = k === 0 ? -1 : 1;
      return [jitter(rng.normal(c, 0.5), rng, noise), jitter(rng.normal(c, 0.5), rng, noise), k === 0 ? 'A' : 'B'];
    },
  },
  circles: {
    description: 'a disc of radius 0.5 ("inner") inside a ring of radius 0.8 to 1 ("outer")',
    header: ['x1', 'x2', 'class'],
    classes: ['inner', 'outer'],
    row(i, _n, rng, noise) {
      const inner = i % 2 === 0;
      const r = inner ? 0.5 * Math.sqrt(rng.next()) : rng.uniform(0.8, 1);
      const t = rng.uniform(0, TAU);
      return [jitter(r * Math.cos(t), rng, noise), jitter(r * Math.sin(t), rng, noise), inner ? 'inner' : 'outer'];
    },
  },
  quadrants: {
    description: 'XOR quadrants: points in [-1, 1]², "positive" where x1·x2 > 0, else "negative"',
    header: ['x1', 'x2', 'class'],
    classes: ['positive', 'negative'],
    row(_i, _n, rng, noise) {
      // Keep a small margin off the axes so the clean set is separable.
      const side = (): number => (rng.next() < 0.5 ? -1 : 1) * rng.uniform(0.05, 1);
      const x1 = side();
      const x2 = side();
      return [jitter(x1, rng, noise), jitter(x2, rng, noise), x1 * x2 > 0 ? 'positive' : 'negative'];
    },
  },
  spiral: {
    description: 'two interleaved spirals, classes "A" and "B", radius 0 to 1 over 1.75 turns',
    header: ['x1', 'x2', 'class'],
    classes: ['A', 'B'],
    row(i, n, rng, noise) {
      const k = i % 2;
      const perClass = Math.ceil(n / 2);
      const t = Math.floor(i / 2) / perClass;
      const angle = 1.75 * t * TAU + k * Math.PI;
      return [jitter(t * Math.sin(angle), rng, noise), jitter(t * Math.cos(angle), rng, noise), k === 0 ? 'A' : 'B'];
    },
  },
  plane: {
    description: 'regression on a plane: y = 2·x1 − x2 + 0.5 for x in [-1, 1]², plus noise',
    header: ['x1', 'x2', 'y'],
    row(_i, _n, rng, noise) {
      const x1 = round6(rng.uniform(-1, 1));
      const x2 = round6(rng.uniform(-1, 1));
      return [x1, x2, jitter(2 * x1 - x2 + 0.5, rng, noise)];
    },
  },
  sine: {
    description: 'regression on a sine curve: y = sin(x) for x in [-π, π], plus noise',
    header: ['x', 'y'],
    row(_i, _n, rng, noise) {
      const x = round6(rng.uniform(-Math.PI, Math.PI));
      return [x, jitter(Math.sin(x), rng, noise)];
    },
  },
} satisfies Record<string, Generator>;

export type SyntheticName = keyof typeof GENERATORS;
export const SYNTHETIC_NAMES = Object.keys(GENERATORS) as SyntheticName[];

const ALIASES: Record<string, SyntheticName> = { spirals: 'spiral', 'xor-quadrants': 'quadrants', gaussian: 'blobs', circle: 'circles' };

/** The canonical name for `name` (case-insensitive, a few aliases), or undefined. */
export function syntheticName(name: string): SyntheticName | undefined {
  const n = name.trim().toLowerCase();
  // Own keys only: "constructor" or "__proto__" would otherwise name an Object method.
  if (Object.hasOwn(GENERATORS, n)) return n as SyntheticName;
  return Object.hasOwn(ALIASES, n) ? ALIASES[n] : undefined;
}

/** One line per set, for `--help` and error messages. */
export function describeSynthetic(): string[] {
  return SYNTHETIC_NAMES.map((n) => `${n}: ${(GENERATORS[n] as Generator).description}`);
}

/** Generates a set. Throws a RangeError for an unknown name or bad options. */
export function generateSynthetic(name: string, options: SyntheticOptions = {}): SyntheticSet {
  const canonical = syntheticName(name);
  if (!canonical) throw new RangeError(`unknown synthetic set "${name}" (known: ${SYNTHETIC_NAMES.join(', ')})`);
  const gen: Generator = GENERATORS[canonical];
  const samples = options.samples ?? (gen.truthTable ? 4 : 200);
  const noise = options.noise ?? (gen.truthTable ? 0 : 0.1);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`samples must be a whole number ≥ 1, got ${samples}`);
  if (!Number.isFinite(noise) || noise < 0) throw new RangeError(`noise must be a number ≥ 0, got ${noise}`);
  const rng = new Random(mixSeeds(seed, hashName(canonical)));
  const rows: (number | string)[][] = [];
  for (let i = 0; i < samples; i++) rows.push(gen.row(i % (gen.truthTable ? 4 : Infinity), samples, rng, noise));
  const columnTypes: Record<string, ColumnType> = {};
  gen.header.forEach((h, k) => {
    columnTypes[h] = gen.classes && k === gen.header.length - 1 ? 'categorical' : 'numeric';
  });
  return { name: canonical, header: [...gen.header], rows, columnTypes, samples, noise, seed };
}

function hashName(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x9e3779b1) >>> 0;
  return h;
}
