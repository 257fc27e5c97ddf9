/**
 * The keys of an ONNX model's `metadata_props` that carry what the graph cannot: the names of
 * the inputs and outputs, the loss it was trained with, and (for a model MLP Inspector wrote)
 * its training settings. The plain keys are for anyone reading the file (Netron shows them);
 * the importer reads them from any producer.
 */
export const METADATA = {
  /** A JSON array of the raw input columns' names, in order. */
  featureNames: 'feature_names',
  /** A JSON array of the class names, one per output unit (two for one sigmoid unit: negative, positive). */
  classNames: 'class_names',
  /** A JSON array of the output units' names, for a regression. */
  outputNames: 'output_names',
  /** The loss the model was trained with, as a model file names it ("cross_entropy", …). */
  loss: 'loss',
  /** JSON: {"data", "optimizer", "description"} of the model file, for the way back. */
  training: 'mlp_inspector.training',
} as const;
