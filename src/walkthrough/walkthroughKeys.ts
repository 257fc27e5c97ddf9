/**
 * The context keys the Getting Started walkthrough's steps complete on (`onContext:` in
 * package.json); WalkthroughProgress sets them. No `vscode` import, so the manifest test checks
 * package.json against them.
 */

/** The context keys (true once it happened in this window; VS Code remembers completed steps). */
export const WalkthroughKeys = {
  /** An editor panel of this view type (e.g. `mlpInspector.activationLab`) was shown. */
  shown: (viewType: string) => `mlpInspector.walkthrough.shown.${viewType.replace(/^mlpInspector\./, '')}`,
  /** The working copy of the example `name` (e.g. `perceptron-and`) was open in the inspector with its data loaded. */
  opened: (name: string) => `mlpInspector.walkthrough.opened.${exampleKey(name)}`,
  /** A stepping action (Step Forward, …) was carried out on an open model. */
  stepped: 'mlpInspector.walkthrough.stepped',
  /** New Model from Dataset wrote a model. */
  modelCreated: 'mlpInspector.walkthrough.modelCreated',
} as const;

/** `perceptron-and` → `perceptronAnd`, `lessons/intro` → `lessonsIntro`: a context key's last part. */
export function exampleKey(name: string): string {
  return name.replace(/[^A-Za-z0-9]+([A-Za-z0-9])/g, (_m, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '');
}
