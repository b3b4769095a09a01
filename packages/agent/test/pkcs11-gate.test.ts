// The gate between a module's operations and its re-initialisation (C_Finalize closes every session).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModuleGate } from '../src/providers/pkcs11/pkcs11-gate.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ModuleGate', () => {
  it('runs a re-initialisation at once when no operation holds the module', async () => {
    const gate = new ModuleGate();
    const log: string[] = [];
    await gate.whenIdle(() => log.push('reinit'));
    assert.deepEqual(log, ['reinit']);
  });

  it('waits for every running operation, holds new ones until it has run, then lets them start', async () => {
    const gate = new ModuleGate();
    const log: string[] = [];
    await gate.enter();
    await gate.enter();
    const reinit = gate.whenIdle(() => log.push(`reinit with ${gate.inFlight} in flight`)).then(() => log.push('reinit done'));
    const late = gate.enter().then(() => log.push(`late starts, ${gate.inFlight} in flight`));
    await tick();
    assert.deepEqual(log, [], 'nothing runs while two operations hold the module');
    gate.leave();
    await tick();
    assert.deepEqual(log, [], 'one operation still holds it');
    gate.leave();
    await Promise.all([reinit, late]);
    assert.deepEqual(log, ['reinit with 0 in flight', 'reinit done', 'late starts, 1 in flight']);
    gate.leave();
    assert.equal(gate.inFlight, 0);
  });

  it('runs every waiting request in turn, and stays usable when one throws', async () => {
    const gate = new ModuleGate();
    const log: string[] = [];
    await gate.enter();
    const first = gate.whenIdle(() => {
      log.push('first');
      throw new Error('C_Initialize failed');
    });
    const second = gate.whenIdle(() => log.push('second'));
    gate.leave();
    await Promise.all([first, second]);
    assert.deepEqual(log, ['first', 'second']);
    await gate.enter();
    assert.equal(gate.inFlight, 1);
    gate.leave();
  });

  it('refuses a leave without an enter (a double release would let a re-initialisation run under an operation)', () => {
    assert.throws(() => new ModuleGate().leave(), /without enter/);
  });
});
