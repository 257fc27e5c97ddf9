// The labs' script, bundled by esbuild into dist/webview/labs.js (an IIFE). One script serves the
// three lab panels; the body class `lab-NAME` that the host writes says which one this is.
import type { HostToLabMessage, LabToHostMessage } from '../src/labs/labProtocol';
import { ActivationLab, type ActivationLabState } from './labsActivations';
import { labHost } from './labsHost';
import { InitLab, type InitLabState } from './labsInit';
import { SweepLab, type SweepViewState } from './labsSweep';

const root = document.getElementById('app') ?? document.body;
const body = document.body.classList;
const app = body.contains('lab-activations')
  ? new ActivationLab(root, labHost<ActivationLabState>())
  : body.contains('lab-initialization')
    ? new InitLab(root, labHost<InitLabState>())
    : new SweepLab(root, labHost<SweepViewState>());

window.addEventListener('message', (event: MessageEvent<HostToLabMessage>) => app.handle(event.data));

labHost<unknown>().post({ type: 'ready' } satisfies LabToHostMessage);
