// What a USB-Key's operations remember of its keys (their type and certificate), in process, on a real SoftHSM2
// behind the fault shim (for its trace of PKCS#11 calls): a signature after the first looks up the private key
// only; a certificate renewed through the agent, or replaced by another program and then listed, is the one the
// next signature hands out.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sha256 } from '@sicert/pki';
import { buildFaultShim, FaultPlan } from '@sicert/test-support/fault-shim';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';
import { createTestCa, type TestCa } from '@sicert/test-support/test-ca';
import { Pkcs11Provider } from '../src/index.js';
import { pkcs11Tool, writeObject } from './support/pkcs11-tool.js';

describe('what operations remember of a USB-Key’s keys', () => {
  let hsm: SoftHsm;
  let dir: string;
  let plan: FaultPlan;
  let ca: TestCa;
  let provider: Pkcs11Provider;
  let key: { tokenId: string; keyId: string };
  let publicKey: Uint8Array;
  let digest: Uint8Array;

  /** Signs once; answers the certificate the operation handed out. */
  const signWith = () =>
    provider.withKey(key, hsm.pin, async ({ signer, certificate }) => {
      await signer.signDigest(digest);
      return certificate;
    });
  const issue = (name: string) => ca.issue({ CN: name }, publicKey);

  before(async () => {
    hsm = createSoftHsm('sicert-facts');
    dir = mkdtempSync(join(tmpdir(), 'sicert-facts-'));
    plan = new FaultPlan(dir);
    Object.assign(process.env, plan.env);
    ca = await createTestCa();
    provider = new Pkcs11Provider([buildFaultShim()]);
    const token = (await provider.listTokens()).find((t) => t.label === hsm.label)!;
    const generated = await provider.generateKey(token.id, hsm.pin, 'ECDSA-P256');
    key = { tokenId: token.id, keyId: generated.keyId };
    publicKey = generated.publicKey;
    await provider.installCertificate(token.id, await issue('孙八'), [], hsm.pin);
    digest = await sha256(new TextEncoder().encode('工伤认定申请'));
  });

  after(async () => {
    await provider.close();
    hsm.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('after the first signature, the next ones look up the private key only (no key type, no certificate)', async () => {
    await signWith();
    plan.set();
    for (let i = 0; i < 5; i++) assert.ok(await signWith());
    const calls = plan.calls();
    assert.equal(calls.filter(([n]) => n === 'C_FindObjectsInit').length, 5, 'one search a signature: the private key');
    assert.equal(calls.filter(([n]) => n === 'C_GetAttributeValue').length, 0, 'nothing read of the key or its certificate');
  });

  it('a certificate renewed through the agent is the one the next signature hands out', async () => {
    await signWith();
    const renewed = await issue('孙八 (续期)');
    await provider.installCertificate(key.tokenId, renewed, [], hsm.pin);
    assert.deepEqual(await signWith(), renewed);
  });

  it('a certificate replaced by another program is handed out once the token’s certificates are listed again', async () => {
    await signWith();
    const replaced = await issue('孙八 (补办)');
    const file = join(dir, 'replaced.der');
    writeFileSync(file, replaced);
    pkcs11Tool(hsm, ['--delete-object', '--type', 'cert', '--id', key.keyId]);
    writeObject(hsm, file, 'cert', key.keyId, '孙八 (补办)');
    // The slot watcher lists them every 500 ms while a page is connected; cert.list does the same.
    const listed = await provider.listCertificates(key.tokenId);
    assert.deepEqual(listed.find((c) => c.id.endsWith(`/${key.keyId}`))?.der, new Uint8Array(replaced));
    assert.deepEqual(await signWith(), replaced);
  });
});
