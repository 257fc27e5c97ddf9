import { gradientCheck } from '../../engine/gradcheck';
import { networkFromModel } from '../../model/modelNetwork';
import { intOption, optionValue } from '../args';
import type { Command } from '../command';
import { loadModel, parseOptionsOf } from '../loadModel';
import { loadModelData, samplesOf } from '../modelData';
import { selectRows } from '../../engine/matrix';

/** `gradcheck MODEL`: backprop against central finite differences for every parameter. */
export const gradcheckCommand: Command = {
  name: 'gradcheck',
  usage: 'gradcheck MODEL [--data FILE] [--samples N]  backprop vs finite differences, every parameter',
  options: { valued: ['data', 'samples', 'max-parameters'] },
  async run(args, io) {
    const { model, file } = await loadModel(io.cwd, args.positionals[0], parseOptionsOf(args));
    const data = await loadModelData(model, file, optionValue(args, 'data'), io.cwd);
    const train = samplesOf(data.train, data.nIn, data.nOut);
    // Finite differences cost two full passes per parameter, so check on the first N rows.
    const n = Math.min(train.x.rows, intOption(args, 'samples', 1) ?? 32);
    const idx = Array.from({ length: n }, (_, i) => i);
    const result = gradientCheck(networkFromModel(model), selectRows(train.x, idx), selectRows(train.y, idx));
    io.json({ ...result, samples: n });
  },
};
