// The mock signs for real: what it returns verifies with @sicert/pki's verifySignedData and with OpenSSL, against
// the CA certificate it hands out, bound to the content and the signer a portal expects.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifySignedData } from '@sicert/pki';
import { fromBase64, sha256, toBase64 } from '@sicert/pki/light';
import type { AgentClient } from '@sicert/protocol';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { opensslVerifyCertificate, opensslVerifyCms, opensslVerifyRaw } from '@sicert/test-support/openssl';
import { MOCK_ORGANIZATION, MOCK_PERSON, startMockAgent, type MockAgent } from '../src/index.js';

const content = new TextEncoder().encode('社保缴费申报 2026-11 张三');

describe('the mock signs for real', () => {
  let mock: MockAgent;
  let client: AgentClient;
  let certId: string;
  before(async () => {
    mock = await startMockAgent({ origins: [TEST_ORIGIN] });
    client = connect(mock.url);
    const { certificates } = await client.request('cert.list', {});
    assert.equal(certificates.length, 1);
    certId = certificates[0]!.id;
  });
  after(async () => {
    client.close();
    await mock.close();
  });

  it('issues its certificate from the CA it hands out (OpenSSL verifies the chain)', async () => {
    const { certificates } = await client.request('cert.list', {});
    const result = opensslVerifyCertificate(fromBase64(certificates[0]!.der), mock.caCertificate);
    assert.ok(result.ok, result.output);
    assert.equal(certificates[0]!.status, 'valid');
    assert.equal(certificates[0]!.subjectCommonName, MOCK_PERSON.CN);
  });

  it('makes a detached CMS that verifySignedData and openssl cms -verify accept, bound to content and signer', async () => {
    const { signature } = await client.request('sign.data', { certId, pin: mock.pin, data: toBase64(content) });
    const cms = fromBase64(signature);
    const verified = await verifySignedData(cms, { content, expectedSigner: { serialNumber: MOCK_PERSON.serialNumber! }, trustedRoots: [mock.caCertificate] });
    assert.equal(verified.valid, true, verified.message);
    const wrong = await verifySignedData(cms, { content: new TextEncoder().encode('另一份'), expectedSigner: { serialNumber: MOCK_PERSON.serialNumber! }, trustedRoots: [mock.caCertificate] });
    assert.equal(wrong.problem, 'DIGEST_MISMATCH');
    const openssl = opensslVerifyCms(cms, mock.caCertificate, content);
    assert.ok(openssl.ok, openssl.output);
  });

  it('makes an attached CMS, and a detached one over a digest the page computed', async () => {
    const attached = fromBase64((await client.request('sign.data', { certId, pin: mock.pin, data: toBase64(content), format: 'cms-attached' })).signature);
    assert.equal((await verifySignedData(attached, { content, expectedSigner: { serialNumber: MOCK_PERSON.serialNumber! }, trustedRoots: [mock.caCertificate] })).valid, true);
    const openssl = opensslVerifyCms(attached, mock.caCertificate);
    assert.ok(openssl.ok, openssl.output);
    const digest = await sha256(content);
    const overDigest = fromBase64((await client.request('sign.data', { certId, pin: mock.pin, digest: toBase64(digest) })).signature);
    const verified = await verifySignedData(overDigest, { contentDigest: digest, expectedSigner: { serialNumber: MOCK_PERSON.serialNumber! }, trustedRoots: [mock.caCertificate] });
    assert.equal(verified.valid, true, verified.message);
    assert.ok(opensslVerifyCms(overDigest, mock.caCertificate, content).ok);
  });

  it('makes raw ECDSA signatures (DER) over data and over a digest that OpenSSL verifies', async () => {
    const data = await client.request('sign.data', { certId, pin: mock.pin, data: toBase64(content), format: 'raw' });
    const byData = opensslVerifyRaw(fromBase64(data.signature), fromBase64(data.certificate), content);
    assert.ok(byData.ok, byData.output);
    const digest = await client.request('sign.data', { certId, pin: mock.pin, digest: toBase64(await sha256(content)), format: 'raw' });
    const byDigest = opensslVerifyRaw(fromBase64(digest.signature), fromBase64(digest.certificate), content);
    assert.ok(byDigest.ok, byDigest.output);
  });

  it('signs a batch in item order with progress, failing a bad item alone', async () => {
    const texts = ['养老保险', '医疗保险', '失业保险', '工伤保险'].map((t) => new TextEncoder().encode(t));
    const progress: string[] = [];
    const items = [...texts.slice(0, 2).map((t) => ({ data: toBase64(t) })), { digest: toBase64(new Uint8Array(5)) }, ...texts.slice(2).map((t) => ({ data: toBase64(t) }))];
    const { signatures } = await client.request('sign.batch', { certId, pin: mock.pin, items }, { onProgress: (done, total) => progress.push(`${done}/${total}`) });
    assert.equal(signatures.length, 5);
    assert.equal(progress.at(-1), '5/5');
    const bad = signatures[2]!;
    assert.ok('error' in bad && bad.error.reason === 'INVALID_PARAMS');
    const signed = [0, 1, 3, 4].map((i) => signatures[i]!);
    for (const [i, outcome] of signed.entries()) {
      assert.ok('signature' in outcome);
      const verified = await verifySignedData(fromBase64(outcome.signature), { content: texts[i]!, expectedSigner: { serialNumber: MOCK_PERSON.serialNumber! }, trustedRoots: [mock.caCertificate] });
      assert.equal(verified.valid, true, `item ${i}: ${verified.message}`);
    }
  });

  it('signs as the organisation in the batch scenario', async () => {
    await mock.setScenario('batch');
    try {
      const { certificates } = await client.request('cert.list', {});
      const { signature } = await client.request('sign.data', { certId: certificates[0]!.id, pin: mock.pin, data: toBase64(content) });
      const verified = await verifySignedData(fromBase64(signature), { content, expectedSigner: { organizationIdentifier: MOCK_ORGANIZATION.organizationIdentifier! }, trustedRoots: [mock.caCertificate] });
      assert.equal(verified.valid, true, verified.message);
    } finally {
      await mock.setScenario('valid');
    }
  });
});
