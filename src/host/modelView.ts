/** The ModelView the panel and sidebar draw, from what the host holds. No `vscode` import. */
import { ACTIVATION_NAMES } from '../engine/activations';
import { MAX_SLICE_INPUTS } from '../training/shownUnits';
import * as path from 'node:path';
import type { PreparedData } from '../data/preparedData';
import type { ModelFile, ModelProblem } from '../model/modelFile';
import type { DataView, ModelView, RunSummary } from '../inspector/viewProtocol';

/** The most rows of each split the views receive: the points drawn on the decision map and the fitted curve. */
export const PREVIEW_ROWS = 5000;

/** The first PREVIEW_ROWS rows of a split, copied (the originals go to the worker). */
function head(split: { x: Float64Array; y: Float64Array; rows: number }, nIn: number, nOut: number) {
  const rows = Math.min(split.rows, PREVIEW_ROWS);
  return { x: split.x.slice(0, rows * nIn), y: split.y.slice(0, rows * nOut), rows };
}

export function dataView(data: PreparedData): DataView {
  // The rows are drawn as points on the decision map (models of at most MAX_SLICE_INPUTS inputs)
  // or the fitted curve; a wider model draws none, and 5,000 rows of 784 pixels (31 MB, sent
  // with every state message) held the panel for seconds at every change of state.
  const drawn = data.nIn <= MAX_SLICE_INPUTS;
  const validation = drawn && data.validation && data.validation.rows > 0 ? head(data.validation, data.nIn, data.nOut) : undefined;
  return {
    ...(drawn
      ? {
          preview: {
            train: head(data.train, data.nIn, data.nOut),
            ...(validation ? { validation } : {}),
            truncated: data.train.rows > PREVIEW_ROWS || (data.validation?.rows ?? 0) > PREVIEW_ROWS,
          },
        }
      : {}),
    source: data.summary.source,
    task: data.task,
    columns: data.summary.columns,
    rowsRead: data.summary.rowsRead,
    rowsDropped: data.summary.rowsDropped,
    rows: { train: data.train.rows, validation: data.validation?.rows ?? 0, test: data.test?.rows ?? 0 },
    ...(data.classes ? { classes: data.classes } : {}),
    normalization: data.normalization,
    inputNames: data.inputNames,
    outputNames: data.outputNames,
  };
}

export interface ModelViewInput {
  readonly uri: string;
  readonly file: string;
  readonly model?: ModelFile;
  readonly problems: readonly ModelProblem[];
  readonly data?: DataView;
  readonly dataError?: string;
  readonly dataMissing?: boolean;
  readonly unsaved: boolean;
  readonly runs?: readonly RunSummary[];
}

export function modelView(input: ModelViewInput): ModelView {
  const fileName = path.basename(input.file);
  const m = input.model;
  return {
    uri: input.uri,
    fileName,
    name: m?.name ?? fileName.replace(/\.mlp\.json$/, ''),
    layers: m ? m.layers.map((l) => ({ units: l.units, ...(l.activation ? { activation: l.activation } : {}), ...(l.alpha !== undefined ? { alpha: l.alpha } : {}) })) : [],
    loss: m?.loss ?? '',
    engineered: m?.data?.engineered ?? [],
    activationChoices: ACTIVATION_NAMES,
    problems: input.problems.map((p) => ({ message: p.message, line: p.line, column: p.column })),
    ...(input.dataError ? { dataError: input.dataError } : {}),
    ...(input.dataMissing ? { dataMissing: true } : {}),
    ...(input.data ? { data: input.data } : {}),
    epochs: m?.optimizer?.epochs ?? 100,
    unsaved: input.unsaved,
    ...(input.runs && input.runs.length > 0 ? { runs: input.runs } : {}),
    ...(m?.lesson ? { lesson: { title: m.lesson.title, goal: m.lesson.goal } } : {}),
  };
}
