// Putting a new certificate on a token through the protocol: key.generate → csr.create → (CA) → cert.install →
// sign.data, on a SoftHSM2 USB-Key and on the software token.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pkcs11js from 'pkcs11js';
import { fromBase64, keyIdOf, readCertificationRequest, toBase64, verifySignedData } from '@sicert/pki';
import type { AgentClient, AgentError } from '@sicert/protocol';
import { createLogger, defaultConfig, startAgent, type RunningAgent } from '../src/index.js';
import { opensslVerifyCertificate, opensslVerifyCms, opensslVerifyRequest } from '@sicert/test-support/openssl';
import { createTestCa, type TestCa } from '@sicert/test-support/test-ca';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';

const NEW_SOFT_PIN = 'Cert8642k';

describe('enrolment: key.generate, csr.create, cert.install', () => {
  let hsm: SoftHsm;
  let home: string;
  let ca: TestCa;
  let agent: RunningAgent;
  let client: AgentClient;
  let usbTokenId: string;

  before(async () => {
    hsm = createSoftHsm('sicert-enrol');
    home = mkdtempSync(join(tmpdir(), 'sicert-enrol-'));
    ca = await createTestCa();
    agent = await startAgent({ ...defaultConfig(), port: 0, home, modules: [hsm.module], allowOrigins: [TEST_ORIGIN] }, createLogger('error', () => undefined));
    client = connect(agent.url);
    usbTokenId = (await client.request('token.list', undefined)).tokens.find((t) => t.label === hsm.label)!.id;
  });
  let softToken: string | undefined;
  /** A software token for this file's holder, made with NEW_SOFT_PIN by the first test that needs it. */
  async function softTokenId(): Promise<string> {
    softToken ??= (await client.request('token.create', { provider: 'soft', label: '孙七', pin: NEW_SOFT_PIN })).tokenId;
    return softToken;
  }

  after(async () => {
    client.close();
    await agent.close();
    hsm.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  it('refuses a weak first password for the software token, and names SM2 unsupported', async () => {
    // A software token nobody has set up yet: an agent of its own, so no other test has set it up first.
    const freshHome = mkdtempSync(join(tmpdir(), 'sicert-enrol-fresh-'));
    const fresh = await startAgent({ ...defaultConfig(), port: 0, home: freshHome, allowOrigins: [TEST_ORIGIN] }, createLogger('error', () => undefined));
    const freshClient = connect(fresh.url);
    try {
      await assert.rejects(freshClient.request('token.create', { provider: 'soft', label: '孙七', pin: '123456' }), (e: unknown) => (e as AgentError).reason === 'PIN_POLICY');
      await assert.rejects(freshClient.request('token.create', { provider: 'soft', label: '孙七', pin: 'abc123' }), (e: unknown) => (e as AgentError).reason === 'PIN_POLICY');
      assert.deepEqual((await freshClient.request('token.list', undefined)).tokens, [], 'no software token exists until one is created');
      // The single store's id no longer makes a token on the fly.
      await assert.rejects(freshClient.request('key.generate', { tokenId: 'soft-default', pin: NEW_SOFT_PIN, algorithm: 'ECDSA-P256' }), (e: unknown) => (e as AgentError).reason === 'TOKEN_NOT_FOUND');
      // The control: a password that meets the policy makes the token, and the key goes in it.
      const { tokenId } = await freshClient.request('token.create', { provider: 'soft', label: '孙七', pin: NEW_SOFT_PIN });
      await freshClient.request('key.generate', { tokenId, pin: NEW_SOFT_PIN, algorithm: 'ECDSA-P256' });
      assert.equal((await freshClient.request('token.list', undefined)).tokens.find((t) => t.id === tokenId)?.pin.initialized, true);
    } finally {
      freshClient.close();
      await fresh.close();
      rmSync(freshHome, { recursive: true, force: true });
    }
    await assert.rejects(client.request('key.generate', { tokenId: usbTokenId, pin: hsm.pin, algorithm: 'SM2' }), (e: unknown) => (e as AgentError).reason === 'UNSUPPORTED_ALGORITHM');
  });

  for (const medium of ['usb', 'soft'] as const) {
    for (const algorithm of ['ECDSA-P256', 'RSA-2048'] as const) {
      it(`${medium} ${algorithm}: generate → CSR → issue → install → sign, checked by OpenSSL`, async () => {
        const tokenId = medium === 'usb' ? usbTokenId : await softTokenId();
        const pin = medium === 'usb' ? hsm.pin : NEW_SOFT_PIN;
        const key = await client.request('key.generate', { tokenId, pin, algorithm, label: 'sicert enrol' });
        assert.match(key.keyId, /^[0-9a-f]{40}$/);
        const subject = { C: 'CN', O: '示例单位', organizationIdentifier: '91110000600037341L', CN: `孙七 ${medium} ${algorithm}` };
        const { csr } = await client.request('csr.create', { tokenId, keyId: key.keyId, pin, subject });
        const request = opensslVerifyRequest(fromBase64(csr));
        assert.equal(request.ok, true, request.output);
        assert.match(request.output, /verify OK|Certificate request self-signature verify OK/);
        assert.match(request.output, new RegExp(`CN=孙七 ${medium} ${algorithm}`));
        const parsed = await readCertificationRequest(fromBase64(csr));
        assert.deepEqual(parsed.publicKey, fromBase64(key.publicKey));
        const certificate = await ca.issue(subject, parsed.publicKey);
        assert.equal(opensslVerifyCertificate(certificate, ca.root).ok, true);
        const { certId } = await client.request('cert.install', { tokenId, pin, certificate: toBase64(certificate), chain: [toBase64(ca.root)] });
        assert.equal(certId, `${tokenId}/${key.keyId}`);
        const listed = (await client.request('cert.list', { tokenId })).certificates;
        assert.ok(listed.some((c) => c.id === certId && c.hasPrivateKey));
        assert.equal(listed.some((c) => c.subjectCommonName === 'sicert Test Root CA'), false, 'the chain is not listed as a holder certificate');
        const data = new TextEncoder().encode('test signature after installation');
        const { signature } = await client.request('sign.data', { certId, pin, data: toBase64(data) });
        assert.equal((await verifySignedData(fromBase64(signature), { content: data, expectedSigner: { certificate }, trustedRoots: [ca.root] })).valid, true);
        assert.equal(opensslVerifyCms(fromBase64(signature), ca.root, data).ok, true);
      });
    }
  }

  it('keeps USB-Key private keys sensitive and non-extractable, with CKA_ID from the public key', async () => {
    const { keyId, publicKey } = await client.request('key.generate', { tokenId: usbTokenId, pin: hsm.pin, algorithm: 'ECDSA-P256' });
    assert.equal(keyId, await keyIdOf(fromBase64(publicKey)));
    // The module is already initialised in this process by the agent (same process in tests): share it, and
    // leave it initialised afterwards.
    const lib = new pkcs11js.PKCS11();
    lib.load(hsm.module);
    try {
      lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
    } catch (error) {
      if ((error as { code?: number }).code !== 0x191) throw error;
    }
    const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trim() === hsm.label)!;
    const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    lib.C_Login(session, pkcs11js.CKU_USER, hsm.pin);
    lib.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_ID, value: Buffer.from(keyId, 'hex') }]);
    const [handle] = lib.C_FindObjects(session, 1);
    lib.C_FindObjectsFinal(session);
    const [sensitive, extractable] = lib.C_GetAttributeValue(session, handle!, [{ type: pkcs11js.CKA_SENSITIVE }, { type: pkcs11js.CKA_EXTRACTABLE }]);
    assert.equal((sensitive!.value as Buffer)[0], 1);
    assert.equal((extractable!.value as Buffer)[0], 0);
    lib.C_Logout(session);
    lib.C_CloseSession(session);
  });

  it('keeps the software token in a file only its owner can read', async () => {
    const path = join(home, 'soft-token', `${await softTokenId()}.json`);
    const mode = statSync(path).mode & 0o777;
    assert.equal(mode, 0o600);
    assert.equal(statSync(join(home, 'soft-token')).mode & 0o777, 0o700);
    const file = readFileSync(path, 'utf8');
    assert.doesNotMatch(file, /BEGIN|PRIVATE KEY/);
    assert.equal(file.includes(NEW_SOFT_PIN), false);
  });

  it('refuses to install a certificate whose key is not on the token', async () => {
    const stranger = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign'])) as CryptoKeyPair;
    const certificate = await ca.issue({ CN: '周八' }, new Uint8Array(await crypto.subtle.exportKey('spki', stranger.publicKey)));
    for (const [tokenId, pin] of [[usbTokenId, hsm.pin], [await softTokenId(), NEW_SOFT_PIN]] as const) {
      await assert.rejects(client.request('cert.install', { tokenId, pin, certificate: toBase64(certificate) }), (e: unknown) => (e as AgentError).reason === 'KEY_NOT_FOUND');
    }
    await assert.rejects(client.request('cert.install', { tokenId: usbTokenId, pin: hsm.pin, certificate: 'AAAA' }), (e: unknown) => (e as AgentError).reason === 'INVALID_PARAMS');
  });

  it('cert.install needs the holder’s PIN: a page cannot swap in a forged certificate for the same key, or fill the token', async () => {
    const forger = await createTestCa();
    const reason = (expected: string) => (e: unknown) => (e as AgentError).reason === expected;
    for (const [tokenId, pin] of [[usbTokenId, hsm.pin], [await softTokenId(), NEW_SOFT_PIN]] as const) {
      const key = await client.request('key.generate', { tokenId, pin, algorithm: 'ECDSA-P256' });
      const genuine = toBase64(await ca.issue({ CN: '吴九' }, fromBase64(key.publicKey)));
      const { certId } = await client.request('cert.install', { tokenId, pin, certificate: genuine });
      const forged = toBase64(await forger.issue({ CN: '吴九' }, fromBase64(key.publicKey)));
      await assert.rejects(client.request('cert.install', { tokenId, certificate: forged }), reason('INVALID_PARAMS'));
      await assert.rejects(client.request('cert.install', { tokenId, certificate: forged, chain: [toBase64(forger.root)] }), reason('INVALID_PARAMS'));
      await assert.rejects(client.request('cert.install', { tokenId, pin: 'Wrong1357x', certificate: forged }), reason('PIN_INCORRECT'));
      const listed = (await client.request('cert.list', { tokenId })).certificates.find((c) => c.id === certId);
      assert.equal(listed?.der, genuine, `${tokenId}: the genuine certificate stays`);
      assert.equal((await client.request('cert.list', { tokenId })).certificates.some((c) => c.der === forged), false);
    }
  });

  it('csr.create validates the subject and needs the right PIN', async () => {
    const key = await client.request('key.generate', { tokenId: usbTokenId, pin: hsm.pin, algorithm: 'ECDSA-P256' });
    await assert.rejects(client.request('csr.create', { tokenId: usbTokenId, keyId: key.keyId, pin: hsm.pin, subject: { O: 'no CN' } }), (e: unknown) => (e as AgentError).reason === 'INVALID_PARAMS');
    await assert.rejects(client.request('csr.create', { tokenId: usbTokenId, keyId: key.keyId, pin: hsm.pin, subject: { CN: 'x', EMAIL: 'a@b' } }), (e: unknown) => (e as AgentError).reason === 'INVALID_PARAMS');
    await assert.rejects(client.request('csr.create', { tokenId: usbTokenId, keyId: key.keyId, pin: 'Wrong1357', subject: { CN: 'x' } }), (e: unknown) => (e as AgentError).reason === 'PIN_INCORRECT');
    await assert.rejects(client.request('csr.create', { tokenId: usbTokenId, keyId: 'abcd', pin: hsm.pin, subject: { CN: 'x' } }), (e: unknown) => (e as AgentError).reason === 'KEY_NOT_FOUND');
  });
});
