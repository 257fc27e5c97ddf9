/**
 * Validation of what the panel and the sidebar send. A webview is a view, not a source of
 * truth: its messages are checked for shape and range before the host acts on them, and
 * anything else is dropped with a reason (logged), never passed on.
 */
import { isActivationName } from '../engine/activations';
import type { LayerSpec } from '../engine/network';
import { checkHyperparameters as validHyperparameters } from '../training/hyperparameters';
import { trainingValueProblem } from '../model/trainingConfig';
import type { Hyperparameters } from '../training/workerProtocol';
import type { PanelCommand, PanelToHostMessage, ViewExportMessage } from '../inspector/viewProtocol';
import { isObject } from '../engine/jsonValue';
import { checkParameterEdit } from '../training/parameterEdit';
import { parseEngineeredFeature } from '../data/engineeredFeatures';

const COMMANDS: readonly PanelCommand[] = ['train', 'pause', 'resume', 'resetWeights', 'saveModel', 'stepForward', 'stepBackward', 'applyUpdate', 'step', 'undoStep', 'runGradientCheck', 'showLossGraph', 'exportModel', 'attachDataset'];

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
/** The most engineered features one edit may ask for (a 20-input set's squares, products and sines are 230). */
const MAX_ENGINEERED = 1000;

/** The message as a typed value, or a reason it was refused. */
export type Checked = { ok: true; message: PanelToHostMessage } | { ok: false; reason: string };

/** Checks one message from a webview. */
export function checkViewMessage(raw: unknown): Checked {
  if (!isObject(raw) || typeof raw.type !== 'string') return { ok: false, reason: 'not an object with a "type"' };
  switch (raw.type) {
    case 'ready':
      return { ok: true, message: { type: 'ready' } };
    case 'drawn':
      return { ok: true, message: { type: 'drawn' } };
    case 'command':
      if (typeof raw.command !== 'string' || !(COMMANDS as readonly string[]).includes(raw.command)) return { ok: false, reason: `unknown command ${JSON.stringify(raw.command)}` };
      return { ok: true, message: { type: 'command', command: raw.command as PanelCommand } };
    case 'selectSample':
      if (!Number.isSafeInteger(raw.index) || (raw.index as number) < 0) return { ok: false, reason: 'selectSample needs a whole index ≥ 0' };
      return { ok: true, message: { type: 'selectSample', index: raw.index as number } };
    case 'mapAxes': {
      const axes = raw.axes;
      // The worker checks them against the model's inputs and answers with its reason.
      if (!Array.isArray(axes) || axes.length !== 2 || !axes.every((k) => Number.isSafeInteger(k) && k >= 0)) return { ok: false, reason: 'mapAxes needs two whole input indices ≥ 0' };
      return { ok: true, message: { type: 'mapAxes', axes: [axes[0], axes[1]] } };
    }
    case 'setHyperparameters': {
      const h = checkHyperparameters(raw.hyperparameters);
      if (typeof h === 'string') return { ok: false, reason: h };
      if (raw.epochs !== undefined) {
        const problem = trainingValueProblem('epochs', raw.epochs);
        if (problem) return { ok: false, reason: `epochs ${problem}` };
      }
      return { ok: true, message: { type: 'setHyperparameters', hyperparameters: h, ...(raw.epochs !== undefined ? { epochs: raw.epochs as number } : {}) } };
    }
    case 'setLayers': {
      if (!Array.isArray(raw.layers) || raw.layers.length < 2 || raw.layers.length > 64) return { ok: false, reason: 'setLayers needs 2 to 64 layers' };
      const layers: LayerSpec[] = [];
      for (const [l, layer] of raw.layers.entries()) {
        if (!isObject(layer) || !Number.isSafeInteger(layer.units) || (layer.units as number) < 1 || (layer.units as number) > 100_000) return { ok: false, reason: `layer ${l} needs 1 to 100000 units` };
        if (l > 0 && layer.activation !== undefined && !isActivationName(layer.activation)) return { ok: false, reason: `layer ${l} has an unknown activation` };
        if (layer.alpha !== undefined && (!finite(layer.alpha) || layer.alpha <= 0)) return { ok: false, reason: `layer ${l} has a bad alpha` };
        layers.push({ units: layer.units as number, ...(l > 0 && isActivationName(layer.activation) ? { activation: layer.activation } : {}), ...(finite(layer.alpha) ? { alpha: layer.alpha } : {}) });
      }
      return { ok: true, message: { type: 'setLayers', layers } };
    }
    case 'setEngineered': {
      if (!Array.isArray(raw.engineered) || raw.engineered.length > MAX_ENGINEERED) return { ok: false, reason: `setEngineered needs an array of at most ${MAX_ENGINEERED} features` };
      const seen = new Set<string>();
      for (const entry of raw.engineered) {
        if (typeof entry !== 'string' || entry.length > 200) return { ok: false, reason: 'each engineered feature must be a string of at most 200 characters' };
        const feature = parseEngineeredFeature(entry);
        if (typeof feature === 'string') return { ok: false, reason: feature };
        if (seen.has(feature.name)) return { ok: false, reason: `${JSON.stringify(feature.name)} is listed twice` };
        seen.add(feature.name);
      }
      return { ok: true, message: { type: 'setEngineered', engineered: [...seen] } };
    }
    case 'customSample': {
      const vector = (v: unknown) => Array.isArray(v) && v.length >= 1 && v.length <= 100_000 && v.every(finite);
      if (!vector(raw.x) || !vector(raw.y)) return { ok: false, reason: 'customSample needs x and y as non-empty arrays of finite numbers' };
      return { ok: true, message: { type: 'customSample', x: raw.x as number[], y: raw.y as number[] } };
    }
    case 'setParameter': {
      const edit = checkParameterEdit(raw.edit);
      if (typeof edit === 'string') return { ok: false, reason: `setParameter: ${edit}` };
      return { ok: true, message: { type: 'setParameter', edit } };
    }
    case 'export':
      return checkExportMessage(raw);
    default:
      return { ok: false, reason: `unknown message type ${JSON.stringify(raw.type)}` };
  }
}

/**
 * Checks an 'export' message (a chart as a PNG data URL, CSV text or SVG text), from the
 * inspector's views or a lab: the format, the data's size and kind, and a safe base name ending
 * in the format. An SVG file opens in browsers, which run its scripts: one that has a script, an
 * event handler, a foreign object or a link is refused (the webview's own SVG never has any).
 */
export function checkExportMessage(raw: Record<string, unknown>): { ok: true; message: ViewExportMessage } | { ok: false; reason: string } {
  if (raw.format !== 'png' && raw.format !== 'csv' && raw.format !== 'svg') return { ok: false, reason: 'export format must be png, csv or svg' };
  if (typeof raw.data !== 'string' || raw.data.length > 50_000_000) return { ok: false, reason: 'export data must be a string of at most 50 MB' };
  if (raw.format === 'png' && !raw.data.startsWith('data:image/png;base64,')) return { ok: false, reason: 'a PNG export must be a PNG data URL' };
  if (raw.format === 'svg') {
    if (!/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>/.test(raw.data) || !raw.data.trimEnd().endsWith('</svg>')) return { ok: false, reason: 'an SVG export must be one <svg> element' };
    // The markup only: text between tags (a column's name, say) is escaped and cannot act.
    const markup = raw.data.replace(/>[^<]*</g, '><');
    if (/<\s*(script|style|foreignObject|iframe|object|embed|a|image|use)\b|\son[a-z]+\s*=|javascript:|href\s*=|url\s*\(/i.test(markup)) {
      return { ok: false, reason: 'an SVG export may not hold scripts, event handlers, links, images or foreign objects' };
    }
  }
  const base = typeof raw.name === 'string' ? raw.name.replace(/[^\w.\- ]+/g, '_').replace(/^\.+/, '').slice(0, 100) : '';
  const name = base.toLowerCase().endsWith(`.${raw.format}`) ? base : `chart.${raw.format}`;
  return { ok: true, message: { type: 'export', format: raw.format, name, data: raw.data } };
}

/**
 * The shape of a hyperparameter edit (known keys, numbers and booleans where they belong); its
 * values are then judged by the one rule the worker applies too (src/training/hyperparameters.ts).
 */
function checkHyperparameters(raw: unknown): Hyperparameters | string {
  if (!isObject(raw)) return 'hyperparameters must be an object';
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    switch (key) {
      case 'optimizer':
        if (typeof value !== 'string') return 'optimizer must be a name';
        break;
      case 'learningRate':
      case 'epsilon':
      case 'momentum':
      case 'beta1':
      case 'beta2':
      case 'weightDecay':
      case 'batchSize':
      case 'epochs':
        if (!finite(value)) return `${key} must be a finite number`;
        break;
      case 'shuffle':
        if (typeof value !== 'boolean') return 'shuffle must be true or false';
        break;
      case 'earlyStopping':
        // null turns it off; an object is judged key by key by the model file's rule below.
        if (value !== null && !isObject(value)) return 'earlyStopping must be an object like {"patience": 50} or null';
        break;
      default:
        return `unknown hyperparameter "${key}"`;
    }
    out[key] = value;
  }
  return validHyperparameters(out as Hyperparameters) ?? (out as Hyperparameters);
}
