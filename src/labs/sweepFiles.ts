/** Where a sweep's files go, and how a configuration is named. No `vscode` import. */
import { existsSync } from 'node:fs';

/** The sweep file beside a model: NAME.mlp.json → NAME.sweep.json. */
export function sweepFileFor(modelFile: string): string {
  return modelFile.replace(/\.mlp\.json$/, '') + '.sweep.json';
}

/** The folder that keeps every sweep of a model: NAME.mlp.json → NAME.sweeps/. */
export function sweepArchiveFor(modelFile: string): string {
  return modelFile.replace(/\.mlp\.json$/, '') + '.sweeps';
}

/** A sweep's own file in the archive, named for when it started: 2026-11-26T01-02-03-456Z.sweep.json. */
export function archivedSweepName(started: string): string {
  return started.replace(/[^0-9A-Za-z.-]/g, '-') + '.sweep.json';
}

/** The model beside a sweep file: NAME.sweep.json → NAME.mlp.json. */
export function modelFileFor(sweepFile: string): string {
  return sweepFile.replace(/\.sweep\.json$/, '') + '.mlp.json';
}

/** A file name for the best configuration that does not overwrite anything: NAME-best.mlp.json, NAME-best-2.mlp.json, … */
export function bestModelFileFor(modelFile: string, exists: (file: string) => boolean = existsSync): string {
  const stem = modelFile.replace(/\.mlp\.json$/, '');
  let candidate = `${stem}-best.mlp.json`;
  for (let k = 2; exists(candidate); k++) candidate = `${stem}-best-${k}.mlp.json`;
  return candidate;
}

/** "2×4 tanh, η 0.5", or "no hidden layer, η 0.5". */
export function describeConfig(c: { depth: number; width: number; activation: string; learningRate: number }): string {
  return `${c.depth === 0 ? 'no hidden layer' : `${c.depth}×${c.width} ${c.activation}`}, η ${c.learningRate}`;
}
