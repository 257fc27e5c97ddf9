/**
 * Weight initializers. All draw from one seeded generator, so one seed reproduces a network bit
 * for bit. `zeros` is here on purpose: it is how one shows the symmetry problem (every hidden
 * unit of a layer computes the same thing and receives the same gradient, forever).
 */
import { Random } from './random';

export const INITIALIZER_NAMES = ['zeros', 'uniform', 'normal', 'xavier', 'xavier_uniform', 'xavier_normal', 'he', 'he_uniform', 'he_normal'] as const;
export type InitializerName = (typeof INITIALIZER_NAMES)[number];

/** The model file's `init` section. */
export interface InitSpec {
  /** How W[l] is drawn. Default "xavier" (Glorot uniform). */
  readonly weights?: InitializerName;
  /** The generator's seed. Default 1. */
  readonly seed?: number;
  /** For `uniform`: the half-width r of U(−r, r); for `normal`: the standard deviation. Default 0.5. */
  readonly scale?: number;
  /** The value every bias b[l] starts at. Default 0. */
  readonly bias?: number;
}

export function isInitializerName(name: unknown): name is InitializerName {
  return typeof name === 'string' && (INITIALIZER_NAMES as readonly string[]).includes(name);
}

/** A description of the distribution W[l] is drawn from, for an n_{l−1} × n_l layer. */
export function describeInitializer(name: InitializerName, nIn: number, nOut: number, scale = 0.5): string {
  switch (name) {
    case 'zeros':
      return 'W = 0';
    case 'uniform':
      return `W ~ U(−${scale}, ${scale})`;
    case 'normal':
      return `W ~ N(0, ${scale}²)`;
    case 'xavier':
    case 'xavier_uniform':
      return `W ~ U(−r, r), r = √(6/(n_in+n_out)) = ${Math.sqrt(6 / (nIn + nOut)).toPrecision(4)}`;
    case 'xavier_normal':
      return `W ~ N(0, 2/(n_in+n_out)), σ = ${Math.sqrt(2 / (nIn + nOut)).toPrecision(4)}`;
    case 'he':
    case 'he_normal':
      return `W ~ N(0, 2/n_in), σ = ${Math.sqrt(2 / nIn).toPrecision(4)}`;
    case 'he_uniform':
      return `W ~ U(−r, r), r = √(6/n_in) = ${Math.sqrt(6 / nIn).toPrecision(4)}`;
    default: {
      const never: never = name;
      throw new Error(`unknown initializer "${String(never)}"`);
    }
  }
}

/** Fills `W` (an nIn × nOut layer's weights) from the named distribution. */
export function fillWeights(W: Float64Array, name: InitializerName, nIn: number, nOut: number, rng: Random, scale = 0.5): void {
  switch (name) {
    case 'zeros':
      W.fill(0);
      return;
    case 'uniform':
      for (let i = 0; i < W.length; i++) W[i] = rng.uniform(-scale, scale);
      return;
    case 'normal':
      for (let i = 0; i < W.length; i++) W[i] = scale * rng.normal();
      return;
    case 'xavier':
    case 'xavier_uniform': {
      const r = Math.sqrt(6 / (nIn + nOut));
      for (let i = 0; i < W.length; i++) W[i] = rng.uniform(-r, r);
      return;
    }
    case 'xavier_normal': {
      const s = Math.sqrt(2 / (nIn + nOut));
      for (let i = 0; i < W.length; i++) W[i] = s * rng.normal();
      return;
    }
    case 'he':
    case 'he_normal': {
      const s = Math.sqrt(2 / nIn);
      for (let i = 0; i < W.length; i++) W[i] = s * rng.normal();
      return;
    }
    case 'he_uniform': {
      const r = Math.sqrt(6 / nIn);
      for (let i = 0; i < W.length; i++) W[i] = rng.uniform(-r, r);
      return;
    }
    default: {
      const never: never = name;
      throw new Error(`unknown initializer "${String(never)}"`);
    }
  }
}
