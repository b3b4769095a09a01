// A USB-Key provisioned by OpenSC's pkcs11-tool (as a PKCS#12 import or a vendor's tool does): a private key and a
// certificate, no public key object. Its private key is a private object, hidden until login: the certificate is
// listed as usable, and it signs (the public key comes from the certificate), verified by OpenSSL.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromBase64, readCertificationRequest, toBase64 } from '@sicert/pki';
import type { AgentClient } from '@sicert/protocol';
import { createLogger, defaultConfig, startAgent, type RunningAgent } from '../src/index.js';
import { opensslVerifyCms, opensslVerifyRequest } from '@sicert/test-support/openssl';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';
import { createTestCa, type TestCa } from '@sicert/test-support/test-ca';
import { spawnAgent } from './support/cli-process.js';
import { pkcs11Tool, writeObject } from './support/pkcs11-tool.js';

const DATA = new TextEncoder().encode('单位社保费申报');
/** CKA_IDs as OpenSC tools pick them: nothing to do with the agent's own key identifiers. */
const IDS = { 'ECDSA-P256': 'a1b2', 'RSA-2048': 'c3d4', orphan: 'e5f6' } as const;

describe('a USB-Key provisioned by pkcs11-tool (private key + certificate, no public key object)', () => {
  let hsm: SoftHsm;
  let dir: string;
  let ca: TestCa;
  let agent: RunningAgent;
  let client: AgentClient;
  let tokenId: string;

  const listed = async () => new Map((await client.request('cert.list', { tokenId })).certificates.map((c) => [c.id.split('/')[1]!, c]));

  before(async () => {
    hsm = createSoftHsm('sicert-opensc');
    dir = mkdtempSync(join(tmpdir(), 'sicert-opensc-'));
    ca = await createTestCa();
    for (const [algorithm, id] of [['ECDSA-P256', IDS['ECDSA-P256']], ['RSA-2048', IDS['RSA-2048']]] as const) {
      const { privateKey, publicKey } = algorithm === 'ECDSA-P256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
      writeFileSync(join(dir, `${id}.key.der`), privateKey.export({ format: 'der', type: 'pkcs8' }));
      writeFileSync(join(dir, `${id}.crt.der`), await ca.issue({ C: 'CN', CN: `蒋十四 ${algorithm}` }, new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }))));
      writeObject(hsm, join(dir, `${id}.key.der`), 'privkey', id, `蒋十四 ${algorithm}`);
      writeObject(hsm, join(dir, `${id}.crt.der`), 'cert', id, `蒋十四 ${algorithm}`);
    }
    // A certificate whose key is not on the token at all (only its certificate was copied there).
    const stray = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' });
    writeFileSync(join(dir, 'orphan.crt.der'), await ca.issue({ CN: '蒋十四 (旧)' }, new Uint8Array(stray)));
    writeObject(hsm, join(dir, 'orphan.crt.der'), 'cert', IDS.orphan, '蒋十四 (旧)');
    // What the token holds, as OpenSC sees it: private keys and certificates, no public key objects.
    const objects = pkcs11Tool(hsm, ['--list-objects']);
    assert.match(objects, /Private Key Object/);
    assert.doesNotMatch(objects, /Public Key Object/);

    agent = await startAgent({ ...defaultConfig(), port: 0, home: dir, modules: [hsm.module], softToken: false, allowOrigins: [TEST_ORIGIN] }, createLogger('error', () => undefined));
    client = connect(agent.url);
    tokenId = (await client.request('token.list', undefined)).tokens.find((t) => t.label === hsm.label)!.id;
  });

  after(async () => {
    client.close();
    await agent.close();
    hsm.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every certificate as usable before any login: the private keys are hidden, not missing', async () => {
    // An agent of its own (a process: one process shares one module state), which has never logged in to the token.
    const fresh = await spawnAgent({ home: dir, modules: [hsm.module], args: ['--no-soft-token'] });
    const other = connect(fresh.url);
    try {
      const certificates = new Map((await other.request('cert.list', { tokenId })).certificates.map((c) => [c.id.split('/')[1]!, c]));
      assert.deepEqual([...certificates.keys()].sort(), Object.values(IDS).sort());
      for (const id of Object.values(IDS)) assert.equal(certificates.get(id)?.hasPrivateKey, true, id);
    } finally {
      other.close();
      await fresh.stop();
    }
  });

  for (const algorithm of ['ECDSA-P256', 'RSA-2048'] as const) {
    it(`${algorithm}: signs a CMS that OpenSSL verifies, and a CSR with the public key from the certificate`, async () => {
      const certId = `${tokenId}/${IDS[algorithm]}`;
      const { signature } = await client.request('sign.data', { certId, pin: hsm.pin, data: toBase64(DATA) });
      const verified = opensslVerifyCms(fromBase64(signature), ca.root, DATA);
      assert.equal(verified.ok, true, verified.output);
      const { csr } = await client.request('csr.create', { tokenId, keyId: IDS[algorithm], pin: hsm.pin, subject: { CN: '蒋十四' } });
      assert.equal(opensslVerifyRequest(fromBase64(csr)).ok, true);
      assert.equal((await readCertificationRequest(fromBase64(csr))).keyAlgorithm, algorithm);
    });
  }

  it('learns the truth at the first login: a certificate whose key is not there is then listed without it', async () => {
    await listed();
    await client.request('sign.data', { certId: `${tokenId}/${IDS['ECDSA-P256']}`, pin: hsm.pin, data: toBase64(DATA) });
    const certificates = await listed();
    assert.equal(certificates.get(IDS['ECDSA-P256'])?.hasPrivateKey, true);
    assert.equal(certificates.get(IDS['RSA-2048'])?.hasPrivateKey, true);
    assert.equal(certificates.get(IDS.orphan)?.hasPrivateKey, false);
    await assert.rejects(client.request('sign.data', { certId: `${tokenId}/${IDS.orphan}`, pin: hsm.pin, data: toBase64(DATA) }), (e: unknown) => (e as { reason?: string }).reason === 'KEY_NOT_FOUND');
  });
});
