/**
 * Setting a weight or bias by hand in the network diagram, as TensorFlow Playground does:
 *
 * - click an edge (W[l][i][j]) or a neuron (b[l][j]), or focus it and press Enter or Space: a small
 *   editor opens beside it with a labelled text field; Enter (or Set) applies, Escape (or Cancel)
 *   closes it, and text that is not a number in range says why and applies nothing;
 * - drag it up (more) or down (less): DRAG_STEP per pixel, FINE_DRAG_STEP with Shift, snapped to
 *   that step, applied on release;
 * - arrow keys on a focused edge or neuron: Up or Right +ARROW_STEP, Down or Left −ARROW_STEP,
 *   with Shift ±FINE_STEP; Page Up and Page Down ±PAGE_STEP.
 *
 * The editor only sends the value (the host checks it, the worker applies it); what the diagram
 * shows comes back with the next snapshot.
 */
import { el, fmt } from './format';
import { editValueProblem, parameterName, parseEditValue } from '../src/training/parameterEdit';
import type { ParameterEdit } from '../src/training/workerProtocol';

export const ARROW_STEP = 0.1;
export const FINE_STEP = 0.01;
export const PAGE_STEP = 1;
export const DRAG_STEP = 0.01;
export const FINE_DRAG_STEP = 0.001;
/** Pixels the pointer must move before a press becomes a drag (less is a click). */
const DRAG_THRESHOLD = 4;
/** A value sent but not yet seen in a snapshot is the base of the next key press for this long. */
const PENDING_MS = 3000;

/** What one drawn edge or neuron edits. */
export interface EditTarget {
  readonly edit: Omit<ParameterEdit, 'value'>;
  /** Its value in the snapshot drawn. */
  readonly value: number;
  /** Its description (the tooltip). */
  readonly describe: string;
  /** Called when a click or Enter opens its editor (a neuron is also selected for the ledger). */
  readonly onOpen?: () => void;
}

/** A key naming one parameter, e.g. "W:1:0:1" or "b:2:0" (kept on its element as data-param). */
function keyOf(edit: Omit<ParameterEdit, 'value'>): string {
  return edit.param === 'W' ? `W:${edit.layer}:${edit.i}:${edit.j}` : `b:${edit.layer}:${edit.j}`;
}

/** Sums like 0.1 + 0.2 without their binary noise (0.30000000000000004 → 0.3); never −0. */
function tidy(v: number): number {
  const t = Number(v.toPrecision(12));
  return t === 0 ? 0 : t;
}

export class ParameterEditor {
  /** The editor form (hidden until opened), placed over the diagram beside its target. */
  readonly element: HTMLFormElement;
  private readonly label: HTMLLabelElement;
  private readonly input: HTMLInputElement;
  private readonly error: HTMLElement;
  private opened: { key: string; target: EditTarget } | undefined;
  private readonly pending = new Map<string, { value: number; at: number }>();

  constructor(
    /** The element the diagram's picture is drawn into (its edges and neurons are found there). */
    private readonly picture: HTMLElement,
    /** The diagram's live line, where steps and drags say what they set. */
    private readonly info: HTMLElement,
    private readonly onEdit: (edit: ParameterEdit) => void,
  ) {
    const form = el('form', 'param-editor');
    form.hidden = true;
    form.noValidate = true;
    this.label = el('label', 'param-editor-label');
    this.label.htmlFor = 'param-editor-input';
    this.input = el('input', 'param-editor-input');
    this.input.id = 'param-editor-input';
    this.input.type = 'text';
    this.input.inputMode = 'decimal';
    this.input.autocomplete = 'off';
    this.input.spellcheck = false;
    this.error = el('span', 'param-editor-error');
    this.error.id = 'param-editor-error';
    this.error.setAttribute('role', 'alert');
    this.input.setAttribute('aria-describedby', 'param-editor-error');
    const set = el('button', 'action', 'Set');
    set.type = 'submit';
    const cancel = el('button', 'secondary', 'Cancel');
    cancel.type = 'button';
    cancel.addEventListener('click', () => this.close(true));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.apply();
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        this.close(true);
      }
    });
    form.append(this.label, this.input, set, cancel, this.error);
    this.element = form;
  }

  /** Makes a drawn edge or neuron editable (called for each one at every render). */
  attach(element: SVGElement, target: EditTarget): void {
    const key = keyOf(target.edit);
    const name = parameterName(target.edit);
    element.setAttribute('data-param', key);
    element.setAttribute('data-focus-key', key);
    element.setAttribute('tabindex', '0');
    element.classList.add('editable');
    if (!element.getAttribute('role')) {
      element.setAttribute('role', 'slider');
      element.setAttribute('aria-label', name);
      element.setAttribute('aria-valuemin', '-1000000');
      element.setAttribute('aria-valuemax', '1000000');
      element.setAttribute('aria-valuenow', String(target.value));
      element.setAttribute('aria-valuetext', `${name} = ${fmt(target.value)}`);
    }
    element.setAttribute('aria-keyshortcuts', 'Enter ArrowUp ArrowDown');
    element.setAttribute('aria-description', `Enter sets ${name}; arrow keys step it by ±${ARROW_STEP} (Shift ±${FINE_STEP})`);
    const seen = this.pending.get(key);
    if (seen && (seen.value === target.value || performance.now() - seen.at > PENDING_MS)) this.pending.delete(key);
    if (this.opened?.key === key) this.opened = { key, target };

    element.addEventListener('keydown', (e) => {
      const step = e.key === 'PageUp' ? PAGE_STEP : e.key === 'PageDown' ? -PAGE_STEP : e.shiftKey ? FINE_STEP : ARROW_STEP;
      switch (e.key) {
        case 'Enter':
        case ' ':
          e.preventDefault();
          target.onOpen?.();
          this.open(key, target, element);
          return;
        case 'ArrowUp':
        case 'ArrowRight':
        case 'PageUp':
          e.preventDefault();
          this.send(key, target, tidy(this.base(key, target) + Math.abs(step)), 'step');
          return;
        case 'ArrowDown':
        case 'ArrowLeft':
        case 'PageDown':
          e.preventDefault();
          this.send(key, target, tidy(this.base(key, target) - Math.abs(step)), 'step');
          return;
        default:
      }
    });
    element.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      this.drag(e, key, target, element);
    });
  }

  /**
   * Before the picture is redrawn: a function that, after, focuses again whatever had focus in it
   * (every focusable element of the picture carries a `data-focus-key` naming it).
   */
  beforeRender(): () => void {
    const active = document.activeElement;
    const key = active && this.picture.contains(active) ? active.getAttribute('data-focus-key') : null;
    return () => {
      if (!key) return;
      const again = this.picture.querySelector(`[data-focus-key="${key}"]`) as SVGElement | null;
      again?.focus({ preventScroll: true });
    };
  }

  /** The value a key press starts from: one just sent, until a snapshot shows it. */
  private base(key: string, target: EditTarget): number {
    return this.pending.get(key)?.value ?? target.value;
  }

  private send(key: string, target: EditTarget, value: number, how: 'step' | 'drag' | 'typed'): void {
    const problem = editValueProblem(value);
    const name = parameterName(target.edit);
    if (problem) {
      this.info.textContent = `${name} not set: ${problem}`;
      return;
    }
    const was = this.base(key, target);
    this.pending.set(key, { value, at: performance.now() });
    this.info.textContent = `${name}: ${fmt(was, 6)} → ${fmt(value, 6)} (${how === 'step' ? 'arrow key' : how === 'drag' ? 'dragged' : 'typed'})`;
    this.onEdit({ ...target.edit, value } as ParameterEdit);
  }

  /** A press on an edge or neuron: a drag sets the value on release; a press without moving opens the editor. */
  private drag(down: PointerEvent, key: string, target: EditTarget, element: SVGElement): void {
    const start = this.base(key, target);
    const name = parameterName(target.edit);
    let moved = false;
    let value = start;
    const move = (e: PointerEvent) => {
      const dy = down.clientY - e.clientY;
      if (!moved && Math.abs(dy) < DRAG_THRESHOLD) return;
      moved = true;
      e.preventDefault();
      const step = e.shiftKey ? FINE_DRAG_STEP : DRAG_STEP;
      value = tidy(Math.round((start + dy * step) / step) * step);
      this.info.textContent = `${name} = ${fmt(value, 6)} while you drag (not set until you release; it was ${fmt(start, 6)})`;
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', cancel);
      if (moved) this.send(key, target, value, 'drag');
      else {
        target.onOpen?.();
        this.open(key, target, element);
      }
    };
    const cancel = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', cancel);
      this.info.textContent = `${name}: drag cancelled, still ${fmt(start, 6)}`;
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', cancel);
  }

  /** Opens the editor on one parameter, beside its edge or neuron, with its current value selected. */
  private open(key: string, target: EditTarget, element: SVGElement): void {
    this.opened = { key, target };
    this.label.textContent = parameterName(target.edit);
    this.input.value = String(this.base(key, target));
    this.input.removeAttribute('aria-invalid');
    this.error.textContent = '';
    this.element.hidden = false;
    const box = this.element.parentElement?.getBoundingClientRect();
    // A snapshot may have redrawn the picture since the press: the same edge or neuron, anew.
    const shown = element.isConnected ? element : ((this.picture.querySelector(`[data-param="${key}"]`) as SVGElement | null) ?? element);
    const at = shown.getBoundingClientRect();
    if (box) {
      const left = Math.max(0, Math.min(at.left + at.width / 2 - box.left - 20, box.width - this.element.offsetWidth));
      this.element.style.left = `${left}px`;
      this.element.style.top = `${at.top + at.height / 2 - box.top + 14}px`;
    }
    this.input.focus();
    this.input.select();
  }

  private apply(): void {
    const o = this.opened;
    if (!o) return;
    const parsed = parseEditValue(this.input.value);
    if (typeof parsed === 'string') {
      this.error.textContent = `Not set: ${parsed}`;
      this.input.setAttribute('aria-invalid', 'true');
      this.input.focus();
      return;
    }
    this.send(o.key, o.target, parsed, 'typed');
    this.close(true);
  }

  /** Hides the editor; `refocus`: keyboard focus goes back to the edge or neuron it edited. */
  private close(refocus: boolean): void {
    const key = this.opened?.key;
    this.opened = undefined;
    this.element.hidden = true;
    this.error.textContent = '';
    if (refocus && key) (this.picture.querySelector(`[data-param="${key}"]`) as SVGElement | null)?.focus({ preventScroll: true });
  }
}
