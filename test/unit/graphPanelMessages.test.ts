import { strict as assert } from 'assert';
import { checkGraphMessage, MAX_MESSAGE_TEXT, readPersistedState } from '../../src/host/graphMessages';

describe('graph panel: messages from the webview', () => {
  it('accepts the panel’s messages and copies only their known fields', () => {
    assert.deepEqual(checkGraphMessage({ type: 'ready', extra: 1 }), { ok: true, message: { type: 'ready' } });
    assert.deepEqual(checkGraphMessage({ type: 'graphAction', action: 'backwardStep' }), { ok: true, message: { type: 'graphAction', action: 'backwardStep' } });
    assert.deepEqual(checkGraphMessage({ type: 'setExpression', expression: 'x^2', valuesText: 'x=3', __proto__x: 1 }), {
      ok: true,
      message: { type: 'setExpression', expression: 'x^2', valuesText: 'x=3' },
    });
  });

  it('refuses anything else with a reason', () => {
    for (const raw of [null, 'ready', [], { type: 3 }, { type: 'graphAction', action: 'train' }, { type: 'graphAction' }, { type: 'setExpression', expression: 'x' }, { type: 'setExpression', expression: 1, valuesText: '' }, { type: 'setExpression', expression: 'x'.repeat(MAX_MESSAGE_TEXT + 1), valuesText: '' }, { type: 'command', command: 'train' }]) {
      const checked = checkGraphMessage(raw);
      assert.equal(checked.ok, false, JSON.stringify(raw)?.slice(0, 80));
      assert.ok(!checked.ok && checked.reason.length > 0);
    }
  });

  it('reads back only a well-formed persisted state', () => {
    assert.deepEqual(readPersistedState({ expression: 'x*y', valuesText: 'x=1, y=2', logScale: true }), { expression: 'x*y', valuesText: 'x=1, y=2' });
    assert.equal(readPersistedState(undefined), undefined);
    assert.equal(readPersistedState({ expression: 'x' }), undefined);
  });
});
