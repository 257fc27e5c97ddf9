import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** Folders (relative to the extension root) that webviews may load files from; nothing else ships to them. */
export const WEBVIEW_RESOURCE_FOLDERS: readonly string[][] = [['dist', 'webview'], ['media']];

/** The `localResourceRoots` for every webview of this extension. */
export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return WEBVIEW_RESOURCE_FOLDERS.map((parts) => vscode.Uri.joinPath(extensionUri, ...parts));
}

/**
 * A fresh nonce for one HTML document's CSP: 192 bits from the operating system's
 * cryptographic generator, so a script injected through a user's file cannot guess it.
 */
export function makeNonce(): string {
  // Hex: letters and digits only, valid in every CSP grammar and HTML attribute as it is.
  return randomBytes(24).toString('hex');
}

/**
 * The strict Content-Security-Policy for a webview document: nothing by default, and only the
 * extension's own files (styles, fonts, images) plus scripts carrying this document's nonce.
 */
export function contentSecurityPolicy(webview: vscode.Webview, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data: blob:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

/** The HTML of a webview that runs dist/webview/SCRIPT; the app builds its DOM into #app. */
export function webviewDocument(webview: vscode.Webview, extensionUri: vscode.Uri, script: string, title: string, bodyClass: string): string {
  const nonce = makeNonce();
  const scriptUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', script));
  const styleUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'inspector.css'));
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview, nonce)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link href="${styleUri}" rel="stylesheet">
  <title>${title}</title>
</head>
<body class="${bodyClass}">
  <main id="app"></main>
  <script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}
