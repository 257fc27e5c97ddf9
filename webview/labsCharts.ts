/**
 * What the labs' charts share: chart.js with the components they use registered once, and the
 * theme's colours (VS Code's --vscode-* variables), so light, dark and high-contrast all work.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip } from 'chart.js';
import { el } from './format';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, LinearScale, LogarithmicScale, CategoryScale, Legend, Tooltip);

export { Chart };

/** A theme colour, or `fallback` outside VS Code. */
export function themeColor(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

/** The foreground, grid and series colours of the current theme. */
export function chartColors(): { fg: string; grid: string; series: string[] } {
  return {
    fg: themeColor('--vscode-foreground', '#888'),
    grid: themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)'),
    series: [
      themeColor('--vscode-charts-blue', '#3794ff'),
      themeColor('--vscode-charts-orange', '#d18616'),
      themeColor('--vscode-charts-green', '#89d185'),
      themeColor('--vscode-charts-purple', '#b180d7'),
      themeColor('--vscode-charts-red', '#f14c4c'),
      themeColor('--vscode-charts-yellow', '#cca700'),
      themeColor('--vscode-charts-foreground', '#cccccc'),
    ],
  };
}

/** A canvas in a sized wrapper (chart.js fills its parent), with an accessible label. */
export function chartCanvas(label: string, className = 'lab-chart'): { wrap: HTMLElement; canvas: HTMLCanvasElement } {
  const wrap = el('div', className);
  const canvas = el('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  wrap.append(canvas);
  return { wrap, canvas };
}
