import type { PanelCommand } from './viewProtocol';

/** Command ids, as contributed in package.json; the panel's buttons run the same commands. */
export const Commands = {
  openInspector: 'mlpInspector.openInspector',
  newModelFromDataset: 'mlpInspector.newModelFromDataset',
  openComputationGraph: 'mlpInspector.openComputationGraph',
  train: 'mlpInspector.train',
  pause: 'mlpInspector.pause',
  resume: 'mlpInspector.resume',
  resetWeights: 'mlpInspector.resetWeights',
  saveModel: 'mlpInspector.saveModel',
  stepForward: 'mlpInspector.stepForward',
  stepBackward: 'mlpInspector.stepBackward',
  applyUpdate: 'mlpInspector.applyUpdate',
  step: 'mlpInspector.step',
  undoStep: 'mlpInspector.undoStep',
  runGradientCheck: 'mlpInspector.runGradientCheck',
  showLossGraph: 'mlpInspector.showLossGraph',
  exportModel: 'mlpInspector.exportModel',
  importOnnx: 'mlpInspector.importOnnx',
  attachDataset: 'mlpInspector.attachDataset',
} as const satisfies Record<PanelCommand | 'openInspector' | 'newModelFromDataset' | 'openComputationGraph' | 'importOnnx', string>;
