// Renewal (续期) in a certificate's last 30 days: the current certificate signs the CSR of a new key on the same
// token; the portal approves at once, and the old certificate is superseded when the new one's installation is
// confirmed. End to end through the agent's software token, then every refusal with WebCrypto keys.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { certificateFields, createSignedData, fromBase64, parseCrl, summarizeCertificate, toBase64, type MessageSigner } from '@sicert/pki';
import type { AgentClient } from '@sicert/protocol';
import { connect } from '@sicert/test-support/agent-client';
import { opensslVerifyCertificate, opensslVerifyWithCrl } from '@sicert/test-support/openssl';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { testStore } from './support/store.js';
import { CROSS_SITE_HEADERS, csrFor, endingIn, issueTo, LI, newKey, session, storedCrl, ZHANG, type Body, type Issued } from './support/portal.js';

const PIN = 'Zs7k2m9q';

describe('renewal', () => {
  let dataDir: string;
  let demo: RunningDemo;
  let client: AgentClient;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sicert-renewal-'));
    demo = await startDemo({ ...(await testStore(dataDir)), dataDir, portalPort: 0, agentPort: 0, provisionDemoCertificate: false });
    client = connect(demo.agent.url, demo.portalUrl);
  });
  after(async () => {
    client.close();
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const crl = async () => new Uint8Array(await (await fetch(`${demo.portalUrl}/crl`)).arrayBuffer());

  it('renews a certificate that expires in 10 days, on the same token, and supersedes it when the new one is installed', async () => {
    const { tokenId } = await client.request('token.create', { provider: 'soft', label: ZHANG.name, pin: PIN });
    const old = await client.request('key.generate', { tokenId, pin: PIN, algorithm: 'ECDSA-P256' });
    const current = await issueTo(demo, ZHANG, fromBase64(old.publicKey), endingIn(10));
    const { certId: oldCertId } = await client.request('cert.install', { tokenId, pin: PIN, certificate: toBase64(current.der), chain: [toBase64(demo.ca.certificate)] });
    assert.equal((await client.request('cert.list', { tokenId })).certificates.find((c) => c.id === oldCertId)?.status, 'expiring');

    const fresh = await client.request('key.generate', { tokenId, pin: PIN, algorithm: 'ECDSA-P256' });
    const { csr } = await client.request('csr.create', { tokenId, keyId: fresh.keyId, pin: PIN, subject: { CN: ZHANG.name } });
    const { signature } = await client.request('sign.data', { certId: oldCertId, pin: PIN, data: csr }); // detached CMS over the CSR's DER
    const zhang = await session(demo, ZHANG.idNumber);
    const key = randomUUID();
    const renewed = await zhang.call('POST', '/api/sicert/v1/renewals', { serialNumber: current.serial, tokenId, csr, signature }, { 'Idempotency-Key': key });
    assert.equal(renewed.status, 201, renewed.text);
    assert.deepEqual([renewed.body.status, renewed.body.kind, renewed.body.replaces, renewed.body.fee, renewed.body.medium], ['approved', 'renewal', current.serial, 0, 'computer']);
    assert.deepEqual((renewed.body.history as { status: string }[]).map((h) => h.status), ['submitted', 'approved']);
    const certificate = fromBase64(String(renewed.body.certificate));
    assert.equal(opensslVerifyCertificate(certificate, demo.ca.certificate).ok, true);
    assert.equal(summarizeCertificate(certificate).subject, summarizeCertificate(current.der).subject, 'the same holder');
    assert.deepEqual(certificateFields(certificate).publicKey, fromBase64(fresh.publicKey), 'for the new key');
    assert.ok(certificateFields(certificate).notAfter.getTime() > Date.now() + 700 * 86_400_000, 'the region’s two years from now');
    const retry = await zhang.call('POST', '/api/sicert/v1/renewals', { serialNumber: current.serial, tokenId, csr, signature }, { 'Idempotency-Key': key });
    assert.deepEqual([retry.status, retry.body.id], [200, renewed.body.id], 'a retry gets the same renewal');
    assert.equal((await zhang.call('GET', `/api/sicert/v1/certificates/${current.serial}`)).body.status, 'good', 'the old one works until the new one is installed');

    const { certId } = await client.request('cert.install', { tokenId, pin: PIN, certificate: String(renewed.body.certificate), chain: renewed.body.chain as string[] });
    const proof = await client.request('sign.data', { certId, pin: PIN, data: toBase64(new TextEncoder().encode(`sicert-install:${String(renewed.body.id)}`)) });
    const installed = await zhang.call('POST', `/api/sicert/v1/applications/${String(renewed.body.id)}/installation`, { signature: proof.signature });
    assert.deepEqual([installed.status, installed.body.status], [200, 'installed']);
    const oldStatus = (await zhang.call('GET', `/api/sicert/v1/certificates/${current.serial}`)).body;
    assert.deepEqual([oldStatus.status, oldStatus.revocationReason], ['revoked', 'superseded']);
    assert.ok((await storedCrl(demo)).revoked.some((e) => e.serialNumber === current.serial), 'published when installed, not at the next fetch');
    const list = await crl();
    assert.equal(parseCrl(list).revoked.find((e) => e.serialNumber === current.serial)?.reason, 'superseded');
    assert.equal(opensslVerifyWithCrl(current.der, demo.ca.certificate, list).ok, false);
    assert.equal(opensslVerifyWithCrl(certificate, demo.ca.certificate, list).ok, true);
  });

  /** A renewal request for `current`, with a new WebCrypto key, its CSR signed by `signer` (`current`'s own by default). */
  async function request(current: Issued & { signer: MessageSigner }, options: { signer?: Issued & { signer: MessageSigner }; csr?: string; content?: Uint8Array } = {}): Promise<Body> {
    const csr = options.csr ?? (await csrFor(await newKey()));
    const by = options.signer ?? current;
    const cms = await createSignedData({ content: options.content ?? fromBase64(csr), certificate: by.der }, by.signer);
    return { serialNumber: current.serial, tokenId: 'usb-1', csr, signature: toBase64(cms) };
  }

  async function certificate(person: typeof ZHANG, days: number): Promise<Issued & { signer: MessageSigner; spki: Uint8Array }> {
    const key = await newKey();
    return { ...(await issueTo(demo, person, key.spki, endingIn(days))), signer: key.signer, spki: key.spki };
  }

  const renew = (s: Awaited<ReturnType<typeof session>>, body: Body, key = randomUUID(), headers: Record<string, string> = {}) =>
    s.call('POST', '/api/sicert/v1/renewals', body, { 'Idempotency-Key': key, ...headers });

  it('refuses a CSR signed by another valid certificate, or a signature over other bytes (SIGNATURE_INVALID)', async () => {
    const zhang = await session(demo, ZHANG.idNumber);
    const current = await certificate(ZHANG, 10);
    const lis = await certificate(LI, 10);
    const wrongSigner = await renew(zhang, await request(current, { signer: lis }));
    assert.deepEqual([wrongSigner.status, wrongSigner.body.error, wrongSigner.body.field], [422, 'SIGNATURE_INVALID', 'signature']);
    // What happened to the renewal, and what to do: never the installation's "test signature" message.
    assert.match(String(wrongSigner.body.message), /续期请求的签名未能用当前证书验证[\s\S]*重新办理续期[\s\S]*挂失/);
    assert.match(String(wrongSigner.body.messageEn), /renewal request’s signature did not verify with the current certificate[\s\S]*Renew again[\s\S]*report it lost/);
    assert.doesNotMatch(`${String(wrongSigner.body.message)} ${String(wrongSigner.body.messageEn)}`, /测试签名|test signature/);
    const otherBytes = await renew(zhang, await request(current, { content: new TextEncoder().encode('another request') }));
    assert.equal(otherBytes.body.error, 'SIGNATURE_INVALID');
    assert.equal((await renew(zhang, { ...(await request(current)), signature: 'AAAA' })).body.error, 'SIGNATURE_INVALID');
    assert.equal((await renew(zhang, await request(current))).status, 201, 'the right signer may');
  });

  it('refuses an expired certificate, one outside its last 30 days, and a revoked one (WRONG_STATE)', async () => {
    const zhang = await session(demo, ZHANG.idNumber);
    const expired = await renew(zhang, await request(await certificate(ZHANG, -1)));
    assert.deepEqual([expired.status, expired.body.error], [409, 'WRONG_STATE']);
    assert.match(String(expired.body.message), /已过期/);
    const early = await renew(zhang, await request(await certificate(ZHANG, 45)));
    assert.deepEqual([early.status, early.body.error], [409, 'WRONG_STATE']);
    assert.match(String(early.body.message), /30天/);
    assert.equal((await renew(zhang, await request(await certificate(ZHANG, 29)))).status, 201, 'inside the window');
    const lost = await certificate(ZHANG, 10);
    await zhang.call('POST', `/api/sicert/v1/certificates/${lost.serial}/loss`, {});
    const revoked = await renew(zhang, await request(lost));
    assert.deepEqual([revoked.status, revoked.body.error], [409, 'WRONG_STATE']);
    assert.match(String(revoked.body.message), /吊销/);
    // The state is judged before the signature: a revoked or expired certificate is WRONG_STATE whatever signed.
    const stranger = await certificate(LI, 10);
    assert.equal((await renew(zhang, await request(lost, { signer: stranger }))).body.error, 'WRONG_STATE');
    assert.equal((await renew(zhang, await request(await certificate(ZHANG, -1), { signer: stranger }))).body.error, 'WRONG_STATE');
  });

  it('renews once, for a new key, only the caller’s own certificate', async () => {
    const zhang = await session(demo, ZHANG.idNumber);
    const current = await certificate(ZHANG, 10);
    const sameKey = await renew(zhang, await request(current, { csr: await csrFor({ spki: current.spki, signer: current.signer }) }));
    assert.deepEqual([sameKey.status, sameKey.body.error], [422, 'INVALID_CSR']);
    assert.equal((await renew(zhang, await request(current))).status, 201);
    const second = await renew(zhang, await request(current));
    assert.deepEqual([second.status, second.body.error], [409, 'WRONG_STATE']);
    assert.match(String(second.body.message), /已办理续期/);
    assert.equal((await renew(zhang, { ...(await request(current)), signature: 'AAAA' })).body.error, 'WRONG_STATE', 'before the signature is examined');
    const lis = await certificate(LI, 10);
    const notMine = await renew(zhang, await request(lis));
    assert.deepEqual([notMine.status, notMine.body.error, notMine.body.field], [404, 'NOT_FOUND', 'serialNumber']);
  });

  it('needs a session, the portal’s own origin and an Idempotency-Key used for one request only', async () => {
    const zhang = await session(demo, ZHANG.idNumber);
    const body = await request(await certificate(ZHANG, 10));
    assert.equal((await renew(await session(demo), body)).status, 401);
    for (const headers of CROSS_SITE_HEADERS) {
      assert.equal((await renew(zhang, body, randomUUID(), headers)).body.error, 'CROSS_SITE', JSON.stringify(headers));
    }
    assert.equal((await zhang.call('POST', '/api/sicert/v1/renewals', body)).body.error, 'IDEMPOTENCY_KEY_REQUIRED');
    const key = randomUUID();
    assert.equal((await renew(zhang, body, key)).status, 201);
    assert.equal((await renew(zhang, { ...body, tokenId: 'usb-2' }, key)).body.error, 'IDEMPOTENCY_KEY_REUSED');
    assert.equal((await renew(await session(demo, LI.idNumber), body, key)).body.error, 'IDEMPOTENCY_KEY_REUSED', 'nor by someone else');
  });

  it('a loss report before the new certificate is installed revokes both: the new key is on the lost token too', async () => {
    const zhang = await session(demo, ZHANG.idNumber);
    const current = await certificate(ZHANG, 10);
    const fresh = await newKey();
    const body = await request(current, { csr: await csrFor(fresh) });
    const renewed = await renew(zhang, body);
    const newSerial = (await demo.certificates.ownedBy(ZHANG.idNumber)).find((c) => c.applicationId === renewed.body.id)!.serial;
    await zhang.call('POST', `/api/sicert/v1/certificates/${current.serial}/loss`, {});
    assert.deepEqual([(await demo.certificates.get(newSerial))?.revocationReason], ['keyCompromise']);
    // Whoever holds the token can still sign the installation challenge: the portal refuses it at receipt.
    const proof = await createSignedData({ content: new TextEncoder().encode(`sicert-install:${String(renewed.body.id)}`), certificate: fromBase64(String(renewed.body.certificate)) }, fresh.signer);
    const install = await zhang.call('POST', `/api/sicert/v1/applications/${String(renewed.body.id)}/installation`, { signature: toBase64(proof) });
    assert.deepEqual([install.status, install.body.error], [409, 'WRONG_STATE']);
    assert.match(String(install.body.message), /吊销/);
  });
});
