import { toRows } from '../../engine/matrix';
import { backward, forward } from '../../engine/network';
import { networkFromModel } from '../../model/modelNetwork';
import type { Command } from '../command';
import { loadModel, parseOptionsOf } from '../loadModel';
import { first, inputBatch, targetBatch } from '../sample';

/** `backward MODEL --input 1,0 --target 1`: every cached value of forward and backward for one sample. */
export const backwardCommand: Command = {
  name: 'backward',
  usage: 'backward MODEL --input 1,0 --target 1         loss, and z, a, dL/da, dL/dz, dL/dW, dL/db per layer',
  options: { valued: ['input', 'target', 'max-parameters'] },
  async run(args, io) {
    const { model } = await loadModel(io.cwd, args.positionals[0], parseOptionsOf(args));
    const x = inputBatch(args, model);
    const y = targetBatch(args, model);
    const net = networkFromModel(model);
    const pass = forward(net, x);
    const grads = backward(net, pass, y);
    io.json({
      ...(x.engineered ? { engineeredInput: x.engineered } : {}),
      ...(x.normalized ? { normalizedInput: first(x) } : {}),
      loss: grads.loss,
      ...(grads.fused ? { fused: grads.fused } : {}),
      dLdx: first(grads.dLda[0]),
      layers: net.layers.map((_, k) => {
        const l = k + 1;
        return {
          z: first(pass.z[l]),
          a: first(pass.a[l]),
          dLda: first(grads.dLda[l]),
          dLdz: first(grads.dLdz[l]),
          dLdW: toRows(grads.dLdW[l]),
          dLdb: Array.from(grads.dLdb[l]),
        };
      }),
    });
  },
};
