/**
 * The model a lab works on: the inspector's open model as it is now (edits and trained
 * parameters included), else the model file as it is on disk.
 */
import * as path from 'node:path';
import type { Inspector } from '../host/Inspector';
import { loadModelSource, type ModelSource } from '../host/loadModelSource';
import type { ModelFile } from '../model/modelFile';

/** The open model with its current parameters, or why there is none. */
export async function currentModel(inspector: Inspector): Promise<{ model: ModelFile; fileName: string; source?: ModelSource } | { unavailable: string }> {
  const uri = inspector.uri;
  if (!uri) return { unavailable: 'No model is open. Open one with “MLP Inspector: Open Inspector”, then come back here.' };
  const fileName = path.basename(uri.fsPath);
  const session = inspector.session;
  if (session?.model && session.state !== 'loading' && session.state !== 'error') {
    try {
      return { model: await session.trainedModel(), fileName };
    } catch {
      // The worker could not answer (it is restarting): fall back to the file.
    }
  }
  const source = await loadModelSource(uri.fsPath);
  if (!source.model) return { unavailable: `${fileName} has problems (see the Problems view); fix them first.` };
  return { model: source.model, fileName, source };
}
