/** The data layer's public surface. Pure of `vscode`; file access comes in through `FileAccess`. */
export { loadData, formatOf, type LoadOptions, type LoadProgress } from './loadData';
export { checkDataSpec, type DataSpec, type ColumnType, type DataFormat, type MissingPolicy, type NormalizeMethod } from './dataSpec';
export type { PreparedData, Split } from './preparedData';
export { applyNormalization, normalizeInPlace, fitNormalization, type NormalizationSpec } from './normalization';
export { DataError } from './dataError';
export { FileVanishedError, isFileNotFound, type FileAccess } from './fileAccess';
export { shuffledIndices } from './shuffle';
export { Random, mixSeeds } from '../engine/random';
export { generateSynthetic, describeSynthetic, syntheticName, SYNTHETIC_NAMES, type SyntheticName, type SyntheticSet, type SyntheticOptions } from './synthetic';
export { toCsv, csvField, type CsvCell } from './csvWriter';
