/**
 * What `loadData` returns: plain data (typed arrays, strings, numbers), so it can be posted to a
 * worker or stored as is. No row objects are kept.
 */
import type { ColumnType } from './dataSpec';
import type { NormalizationSpec } from './normalization';

/** One split of the rows: inputs and targets as row-major matrices. */
export interface Split {
  /** rows × nIn, row-major, already normalized. */
  x: Float64Array;
  /** rows × nOut, row-major: one-hot for classes, raw values for regression. */
  y: Float64Array;
  rows: number;
  /** 1-based line in the source file where each row starts; for synthetic sets, the 1-based row number. */
  sourceLines: Int32Array;
}

export interface PreparedData {
  /** `classification` when the target is one categorical column, else `regression`. */
  task: 'classification' | 'regression';
  /** One per input unit after one-hot expansion, e.g. `"color=red"`. */
  inputNames: string[];
  /** One per output unit: the class names for classification, target column names for regression. */
  outputNames: string[];
  /** The class names in the order they first appear in the file (classification only). */
  classes?: string[];
  featureColumns: string[];
  targetColumns: string[];
  train: Split;
  validation?: Split;
  test?: Split;
  nIn: number;
  nOut: number;
  /** Fitted on `train` only and already applied to every split; apply it to new inputs too. */
  normalization: NormalizationSpec;
  summary: {
    /** The data path as given in the spec, or `synthetic:NAME`. */
    source: string;
    /** Data rows read (the header not counted), dropped ones included. */
    rowsRead: number;
    /** Rows left out because of missing values (`missing: "drop"`, or a missing target). */
    rowsDropped: number;
    /** Every column of the file with its (inferred or overridden) type. */
    columns: { name: string; type: ColumnType }[];
  };
}
