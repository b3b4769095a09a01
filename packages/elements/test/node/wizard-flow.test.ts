import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WizardFlow, type WizardProgress, type WizardTransitionEvent } from '../../src/components/apply-wizard/wizard-flow.js';

// The wizard's flow without a DOM, asserted as transition strings (Lion's steps tests do the same).
const DONE: WizardProgress = { eligible: true, detailsConfirmed: true, missingMaterial: undefined, keyCreated: true, faceVerified: true };
const NOTHING: WizardProgress = { eligible: false, detailsConfirmed: false, missingMaterial: 'id-front', keyCreated: false, faceVerified: false };

/** A flow that records every transition as "from => to", one line per transition. */
function recorded(): { flow: WizardFlow; path: () => string } {
  const flow = new WizardFlow();
  const steps: string[] = [];
  flow.addEventListener('transition', (event) => {
    const { from, to } = event as WizardTransitionEvent;
    if (!steps.length) steps.push(from);
    steps.push(to);
  });
  return { flow, path: () => steps.join(' => ') };
}

describe('wizard flow', () => {
  test('goes through every step before submission, then to the status the backend reports', () => {
    const { flow, path } = recorded();
    for (let i = 0; i < 6; i++) assert.equal(flow.next(DONE), undefined);
    flow.submitted({ status: 'submitted' });
    assert.equal(path(), 'eligibility => type => details => materials => password => face => review => status');
  });

  test('an approved application opens at install; once installed the flow stays there, complete, until a new application', () => {
    const { flow, path } = recorded();
    flow.submitted({ status: 'approved' });
    assert.equal(flow.complete, false);
    flow.submitted({ status: 'installed' });
    assert.equal(flow.complete, true);
    flow.restart();
    assert.equal(flow.complete, false);
    assert.equal(path(), 'eligibility => install => install => eligibility');
  });

  test('each guard keeps the citizen on its step and says why', () => {
    const { flow, path } = recorded();
    assert.equal(flow.next(NOTHING), 'not-eligible');
    assert.equal(flow.next({ ...NOTHING, eligible: true }), undefined);
    assert.equal(flow.next(NOTHING), undefined, 'choosing the type needs nothing');
    assert.equal(flow.next(NOTHING), 'details-unconfirmed');
    assert.equal(flow.next({ ...NOTHING, detailsConfirmed: true }), undefined);
    assert.equal(flow.next({ ...DONE, missingMaterial: 'id-back' }), 'material-missing');
    assert.equal(flow.next(DONE), undefined);
    assert.equal(flow.next({ ...DONE, keyCreated: false }), 'no-key');
    assert.equal(flow.next(DONE), undefined);
    assert.equal(flow.next({ ...DONE, faceVerified: false }), 'face-not-verified');
    assert.equal(path(), 'eligibility => type => details => materials => password => face');
  });

  test('going back skips the forward-only password step, and stops at the first step', () => {
    const { flow, path } = recorded();
    for (let i = 0; i < 6; i++) flow.next(DONE);
    for (let i = 0; i < 7; i++) flow.back();
    assert.equal(path(), 'eligibility => type => details => materials => password => face => review => face => materials => details => type => eligibility');
  });

  test('going forward enters the password step again', () => {
    const { flow, path } = recorded();
    flow.jump('face');
    flow.back();
    flow.next(DONE);
    assert.equal(path(), 'eligibility => face => materials => password');
  });

  test('review without a key goes back to the password step', () => {
    const { flow, path } = recorded();
    flow.jump('review');
    assert.equal(flow.next({ ...DONE, keyCreated: false }), 'no-key');
    assert.equal(path(), 'eligibility => review => password');
  });

  test('after submission there is no way back nor forward by these buttons; starting over begins again', () => {
    const { flow, path } = recorded();
    flow.submitted({ status: 'rejected' });
    flow.back();
    assert.equal(flow.next(DONE), undefined);
    assert.equal(flow.beforeSubmission, false);
    flow.restart();
    assert.equal(flow.beforeSubmission, true);
    assert.equal(path(), 'eligibility => status => eligibility');
  });
});
