import * as vscode from 'vscode';
import { ComputationalGraph } from '../engine/graph';
import { GraphPanel, GraphPanelSerializer } from './GraphPanel';
import { DEFAULT_EXPRESSION, DEFAULT_VALUES, expressionProblem } from './GraphSession';
import { parseVariableValues, prefillValues } from '../engine/variableValues';

/** The command's id (package.json contributes it as "MLP Inspector: Open Computation Graph"). */
export const OPEN_COMPUTATION_GRAPH = 'mlpInspector.openComputationGraph';

/**
 * What the command may be given instead of asking, e.g. by a test or another view:
 * `{ expression: 'x^2*y/z', values: 'x=3, y=4, z=2' }`.
 */
export interface OpenComputationGraphArgs {
  readonly expression?: string;
  readonly values?: string;
}

/** Registers "MLP Inspector: Open Computation Graph" and the serializer of its panel. */
export function registerComputationGraph(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(OPEN_COMPUTATION_GRAPH, (args?: OpenComputationGraphArgs) => openComputationGraph(context, args)),
    vscode.window.registerWebviewPanelSerializer(GraphPanel.viewType, new GraphPanelSerializer(context.extensionUri, context.workspaceState)),
  );
}

/** Asks for an expression and its variables' values (each checked as it is typed), then shows the graph. */
async function openComputationGraph(context: vscode.ExtensionContext, args: OpenComputationGraphArgs | undefined): Promise<void> {
  const open = GraphPanel.currentPanel;
  const given = typeof args === 'object' && args !== null ? args : {};
  const expression =
    typeof given.expression === 'string'
      ? given.expression
      : await vscode.window.showInputBox({
          title: 'Open Computation Graph (1/2): expression',
          prompt: 'f in terms of variables, with + − * / ^, parentheses and exp, log, sqrt, sin, cos, tanh, sigmoid, relu, abs',
          value: open?.expression ?? DEFAULT_EXPRESSION,
          ignoreFocusOut: true,
          validateInput: (text) => expressionProblem(text)?.message,
        });
  if (expression === undefined) return;
  const problem = expressionProblem(expression);
  if (problem) {
    void vscode.window.showErrorMessage(`MLP Inspector: ${problem.message}`);
    return;
  }
  const variables = new ComputationalGraph(expression).variables;
  let valuesText = typeof given.values === 'string' ? given.values : '';
  if (typeof given.values !== 'string' && variables.length > 0) {
    const answer = await vscode.window.showInputBox({
      title: 'Open Computation Graph (2/2): values',
      prompt: `A value for each of ${variables.join(', ')}, e.g. ${variables.map((v, i) => `${v}=${i + 1}`).join(', ')}`,
      value: prefillValues(variables, open?.valuesText ?? DEFAULT_VALUES),
      ignoreFocusOut: true,
      validateInput: (text) => {
        const parsed = parseVariableValues(text, variables);
        return parsed.ok ? undefined : parsed.message;
      },
    });
    if (answer === undefined) return;
    valuesText = answer;
  }
  const parsed = parseVariableValues(valuesText, variables);
  if (!parsed.ok) {
    void vscode.window.showErrorMessage(`MLP Inspector: ${parsed.message}`);
    return;
  }
  GraphPanel.createOrShow(context.extensionUri, context.workspaceState, expression, valuesText);
}
