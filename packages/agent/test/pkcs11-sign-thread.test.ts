// The threads a USB-Key's batches are signed in, on their own: a chunk signed in a session the agent opened (the
// same SoftHSM2 in the same process), a stop at the first failure with the module's CK_RV, and a thread that
// cannot start reported so its caller signs the event loop's way.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pkcs11js from 'pkcs11js';
import { ecdsaRawToDer } from '@sicert/pki';
import { buildFaultShim, CKR, FaultPlan } from '@sicert/test-support/fault-shim';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';
import { Pkcs11Provider } from '../src/index.js';
import { SigningThreads, type SignJob, type SignResult } from '../src/providers/pkcs11/pkcs11-sign-thread.js';

describe('signing threads', () => {
  let hsm: SoftHsm;
  let dir: string;
  let plan: FaultPlan;
  let shim: string;
  let lib: pkcs11js.PKCS11;
  let session: pkcs11js.Handle;
  let job: SignJob;
  let spki: Uint8Array;
  const threads: SigningThreads[] = [];
  const contents = Array.from({ length: 10 }, (_, i) => Buffer.from(`第 ${i} 项`));

  before(async () => {
    hsm = createSoftHsm('sicert-threads');
    dir = mkdtempSync(join(tmpdir(), 'sicert-threads-'));
    plan = new FaultPlan(dir);
    Object.assign(process.env, plan.env);
    shim = buildFaultShim();
    const provider = new Pkcs11Provider([hsm.module]);
    const token = (await provider.listTokens()).find((t) => t.label === hsm.label)!;
    const generated = await provider.generateKey(token.id, hsm.pin, 'ECDSA-P256');
    spki = generated.publicKey;
    await provider.close();
    lib = new pkcs11js.PKCS11();
    lib.load(shim);
    lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
    const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trim() === hsm.label)!;
    session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    lib.C_Login(session, pkcs11js.CKU_USER, hsm.pin);
    lib.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_ID, value: Buffer.from(generated.keyId, 'hex') }]);
    const [key] = lib.C_FindObjects(session, 1);
    lib.C_FindObjectsFinal(session);
    const inputs = contents.map((content) => createHash('sha256').update(content).digest());
    job = { session, key: key!, mechanism: pkcs11js.CKM_ECDSA, size: 132, inputs };
  });

  after(() => {
    for (const t of threads) t.end();
    lib.C_Logout(session);
    lib.C_Finalize();
    hsm.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const started = (path: string) => {
    const t = new SigningThreads(path);
    threads.push(t);
    return t;
  };
  const signatureOf = (result: SignResult) => {
    assert.ok(result && 'signature' in result, JSON.stringify(result));
    return ecdsaRawToDer(result.signature);
  };

  it('signs a chunk in a session the caller opened, each input in its place', async () => {
    plan.set();
    const results = await started(shim).run(job)!;
    const publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    assert.equal(results.length, contents.length);
    results.forEach((result, i) => {
      assert.equal(verify('sha256', contents[i]!, publicKey, signatureOf(result)), true, `input ${i}`);
      assert.equal(verify('sha256', contents[(i + 1) % contents.length]!, publicKey, signatureOf(result)), false, `input ${i} in another place`);
    });
  });

  it('stops at the first failure: the module\u2019s CK_RV for it, nothing attempted after', async () => {
    plan.set(`C_Sign 0x${CKR.DEVICE_ERROR.toString(16)} count=1 after=3`);
    const results = await started(shim).run(job)!;
    assert.deepEqual(
      results.map((r) => (r === null ? null : 'error' in r ? r.code : 'signed')),
      ['signed', 'signed', 'signed', CKR.DEVICE_ERROR, null, null, null, null, null, null],
    );
    plan.set();
  });

  it('a thread that cannot load the module rejects its job, and its owner signs its own way from then on', async () => {
    const events: string[] = [];
    const broken = new SigningThreads(join(dir, 'no-such-module.so'), { started: () => events.push('started'), broken: () => events.push('broken') });
    threads.push(broken);
    await assert.rejects(broken.run(job)!);
    assert.equal(broken.run(job), undefined);
    // Told once, for the log (the agent warns that batches sign on the main thread).
    assert.deepEqual(events, ['started', 'broken']);
  });
});
