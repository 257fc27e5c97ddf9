import * as path from 'node:path';
import { createOptimizer } from '../../engine/optimizers';
import { Random } from '../../engine/random';
import { evaluate, isBinaryTarget, trainEpoch } from '../../engine/training';
import { serializeModel } from '../../model/modelFile';
import { modelWithParameters, networkFromModel } from '../../model/modelNetwork';
import { writeFileAtomic } from '../../node/files';
import { intOption, optionValue } from '../args';
import type { Command } from '../command';
import { loadModel } from '../loadModel';
import { loadModelData, samplesOf } from '../modelData';
import { ProgressBar } from '../progressBar';

/** `train MODEL`: trains and prints one JSON line per epoch; `--out` writes the trained model. */
export const trainCommand: Command = {
  name: 'train',
  usage: 'train MODEL [--data FILE] [--epochs N] [--out FILE]   one JSON line per epoch',
  options: { valued: ['data', 'epochs', 'out'] },
  async run(args, io) {
    const { model, file } = await loadModel(io.cwd, args.positionals[0]);
    const data = await loadModelData(model, file, optionValue(args, 'data'), io.cwd);
    const epochs = intOption(args, 'epochs', 1, 10_000_000) ?? model.optimizer?.epochs ?? 100;
    const net = networkFromModel(model);
    const optimizer = createOptimizer(model.optimizer);
    // The run's own generator: the same seed shuffles the same way every run.
    const rng = new Random((model.init?.seed ?? 1) + 0x5eed);
    const train = samplesOf(data.train, data.nIn, data.nOut);
    const validation = data.validation && data.validation.rows > 0 ? samplesOf(data.validation, data.nIn, data.nOut) : undefined;
    const classification = data.task === 'classification' || isBinaryTarget(train.y);
    const batchSize = model.optimizer?.batchSize ?? 0;
    const shuffle = model.optimizer?.shuffle ?? true;
    const bar = io.stderrIsTTY ? new ProgressBar(epochs) : undefined;
    const started = Date.now();
    for (let epoch = 1; epoch <= epochs; epoch++) {
      trainEpoch(net, optimizer, train, { batchSize, shuffle, rng });
      const t = evaluate(net, train, classification);
      const line: Record<string, number> = { epoch, loss: t.loss };
      if (t.accuracy !== undefined) line.accuracy = t.accuracy;
      if (validation) {
        const v = evaluate(net, validation, classification);
        line.valLoss = v.loss;
        if (v.accuracy !== undefined) line.valAccuracy = v.accuracy;
      }
      io.json(line);
      bar?.update(epoch, t.loss, t.accuracy);
      if (!Number.isFinite(t.loss)) {
        bar?.done();
        throw new Error(`the loss became ${t.loss} at epoch ${epoch}; lower the learning rate`);
      }
    }
    bar?.done();
    const out = optionValue(args, 'out');
    if (out !== undefined) {
      const target = path.resolve(io.cwd, out);
      const trained = modelWithParameters(model, net, data.normalization ? { normalization: data.normalization } : {});
      await writeFileAtomic(target, serializeModel(trained));
      io.info(`wrote ${out} (${epochs} epochs in ${((Date.now() - started) / 1000).toFixed(2)} s)`);
    }
  },
};
