import { forward } from '../../engine/network';
import { networkFromModel } from '../../model/modelNetwork';
import type { Command } from '../command';
import { loadModel, parseOptionsOf } from '../loadModel';
import { first, inputBatch } from '../sample';

/** `forward MODEL --input 1,0`: z[l] and a[l] of every layer for one sample. */
export const forwardCommand: Command = {
  name: 'forward',
  usage: 'forward MODEL --input 1,0                     z[l] and a[l] of every layer for one input',
  options: { valued: ['input', 'max-parameters'] },
  async run(args, io) {
    const { model } = await loadModel(io.cwd, args.positionals[0], parseOptionsOf(args));
    const x = inputBatch(args, model);
    const net = networkFromModel(model);
    const pass = forward(net, x);
    const L = net.layers.length;
    io.json({
      ...(x.engineered ? { engineeredInput: x.engineered } : {}),
      ...(x.normalized ? { normalizedInput: first(x) } : {}),
      output: first(pass.a[L]),
      layers: net.layers.map((_, k) => ({ z: first(pass.z[k + 1]), a: first(pass.a[k + 1]) })),
    });
  },
};
