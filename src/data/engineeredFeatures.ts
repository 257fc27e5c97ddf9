/**
 * Engineered input features, as in TensorFlow Playground: extra input units computed from the
 * numeric input columns when the data loads, before normalization, so that a network without a
 * hidden layer can separate what is not linearly separable in the raw inputs (a circle is the
 * line x1² + x2² = r² in the squares).
 *
 * The model file's `data.engineered` lists them, each written in terms of input column names:
 *
 *   "x1^2"      the square of column x1
 *   "x1*x2"     the product of columns x1 and x2 (a column times itself is its square)
 *   "sin(x1)"   the sine of column x1 (radians)
 *
 * Column names are matched exactly (spaces around `^`, `*` and inside `sin( )` are allowed).
 * The features come after the raw inputs, in the order listed, named as written (trimmed): they
 * are input units like any other, normalized with them and drawn in the diagram by those names.
 * A saved model keeps the list, so the CLI's `forward` and `backward` take the raw inputs and
 * compute the same features from them.
 */

/** One engineered feature: what it computes from which raw input units. */
export interface EngineeredFeature {
  /** As written (trimmed): the unit's name. */
  readonly name: string;
  readonly kind: 'square' | 'product' | 'sin';
  /** The input column(s) it reads: one for square and sin, two for a product. */
  readonly columns: readonly string[];
}

const SQUARE = /^(.+?)\s*\^\s*2$/;
const PRODUCT = /^(.+?)\s*\*\s*(.+)$/;
const SINE = /^sin\(\s*(.+?)\s*\)$/;

/** The syntax, for messages. */
export const ENGINEERED_SYNTAX = '"NAME^2", "NAME*OTHER" or "sin(NAME)", NAME being an input column';

/** Parses one entry; a string says what is wrong with it. */
export function parseEngineeredFeature(text: string): EngineeredFeature | string {
  const name = text.trim();
  let m = SINE.exec(name);
  if (m) return { name, kind: 'sin', columns: [m[1]] };
  m = SQUARE.exec(name);
  if (m) return { name, kind: 'square', columns: [m[1].trim()] };
  m = PRODUCT.exec(name);
  if (m) return { name, kind: 'product', columns: [m[1].trim(), m[2].trim()] };
  return `${JSON.stringify(text)} is not an engineered feature; write ${ENGINEERED_SYNTAX}`;
}

/**
 * The features of a `data.engineered` list, checked against the numeric input columns
 * `inputNames` (raw, before any feature is added); throws a RangeError naming the first entry
 * that does not parse, names a column that is not a numeric input, or repeats another.
 */
export function resolveEngineered(list: readonly string[], inputNames: readonly string[]): { feature: EngineeredFeature; at: number[] }[] {
  const seen = new Set<string>();
  return list.map((text) => {
    const feature = parseEngineeredFeature(text);
    if (typeof feature === 'string') throw new RangeError(feature);
    if (seen.has(feature.name) || inputNames.includes(feature.name)) throw new RangeError(`the input ${JSON.stringify(feature.name)} is listed twice`);
    seen.add(feature.name);
    const at = feature.columns.map((c) => {
      const k = inputNames.indexOf(c);
      if (k < 0) throw new RangeError(`${JSON.stringify(feature.name)} uses ${JSON.stringify(c)}, which is not a numeric input column; the inputs are ${inputNames.map((n) => JSON.stringify(n)).join(', ')}`);
      return k;
    });
    return { feature, at };
  });
}

/**
 * Rows of `x` (rows × nIn, row-major, raw) widened with the features: rows × (nIn + features),
 * each row its raw inputs then the features in order.
 */
export function withEngineered(x: Float64Array, nIn: number, features: readonly { feature: EngineeredFeature; at: readonly number[] }[]): Float64Array {
  const rows = nIn === 0 ? 0 : x.length / nIn;
  const width = nIn + features.length;
  const out = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const src = r * nIn;
    const dst = r * width;
    for (let k = 0; k < nIn; k++) out[dst + k] = x[src + k];
    features.forEach(({ feature, at }, f) => {
      const a = x[src + at[0]];
      out[dst + nIn + f] = feature.kind === 'sin' ? Math.sin(a) : feature.kind === 'square' ? a * a : a * x[src + at[1]];
    });
  }
  return out;
}

/** Candidate features of the inputs `names`, as the sidebar offers them: squares, pairwise products, sines. */
export function engineeredChoices(names: readonly string[]): { squares: string[]; products: string[]; sines: string[] } {
  const products: string[] = [];
  for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) products.push(`${names[i]}*${names[j]}`);
  return { squares: names.map((n) => `${n}^2`), products, sines: names.map((n) => `sin(${n})`) };
}
