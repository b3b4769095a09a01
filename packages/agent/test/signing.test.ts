import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromBase64, sha256, toBase64, toHex, verifySignedData } from '@sicert/pki';
import { AgentError, type AgentClient } from '@sicert/protocol';
import { createLogger, type RunningAgent } from '../src/index.js';
import { opensslVerifyCms, opensslVerifyRaw } from '@sicert/test-support/openssl';
import type { TestCa } from '@sicert/test-support/test-ca';
import { connect } from '@sicert/test-support/agent-client';
import { ALGORITHMS } from '@sicert/test-support/provision';
import { startProvisionedAgent, type ProvisionedAgent } from './support/provisioned-agent.js';

const SOFT_PIN = 'Home2468x';

/** The audit log's lines, parsed. */
function readAudit(home: string): { operation: string; certId?: string; digest?: string; outcome: string }[] {
  return readFileSync(join(home, 'audit.log'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as never);
}
const logLines: string[] = [];

describe('sign.data', () => {
  let setup: ProvisionedAgent;
  let hsm: ProvisionedAgent['hsm'];
  let home: string;
  let ca: TestCa;
  let agent: RunningAgent;
  let client: AgentClient;
  let certs: ProvisionedAgent['certs'];
  let pins: ProvisionedAgent['pins'];

  before(async () => {
    setup = await startProvisionedAgent({ softPin: SOFT_PIN, config: { logLevel: 'debug' }, logger: createLogger('debug', (line) => logLines.push(line)) });
    ({ hsm, home, ca, agent, client, certs, pins } = setup);
  });

  after(() => setup.close());

  it('agent.info names protocol 1, both providers and the formats', async () => {
    const info = await client.request('agent.info', undefined);
    assert.equal(info.protocol, 1);
    assert.deepEqual(info.providers, ['pkcs11', 'soft']);
    assert.ok(info.capabilities.includes('sign.format.raw'));
  });

  it('token.list shows the SoftHSM2 USB-Key and the software token with PIN state', async () => {
    const { tokens } = await client.request('token.list', undefined);
    const usb = tokens.find((t) => t.provider === 'pkcs11');
    assert.equal(usb?.label, hsm.label);
    assert.equal(usb?.manufacturer, 'SoftHSM project');
    assert.equal(usb?.pin.initialized, true);
    const soft = tokens.find((t) => t.provider === 'soft');
    assert.equal(soft?.pin.retriesLeft, 10);
  });

  it('cert.list lists each certificate with its summary, key and status, per token and overall', async () => {
    const { certificates } = await client.request('cert.list', undefined);
    assert.equal(certificates.length, 4);
    for (const provider of ['pkcs11', 'soft'] as const) {
      for (const algorithm of ALGORITHMS) {
        const cert = certificates.find((c) => c.id === certs[provider][algorithm]);
        assert.ok(cert, `${provider} ${algorithm} listed`);
        assert.equal(cert.keyAlgorithm, algorithm);
        assert.equal(cert.hasPrivateKey, true);
        assert.equal(cert.status, 'valid');
        assert.equal(cert.issuerCommonName, 'sicert Test Root CA');
        assert.match(cert.subject, /^CN=.+ (ECDSA-P256|RSA-2048),O=测试人社局,C=CN$/);
        assert.equal(cert.provider, provider);
      }
    }
    const usbOnly = await client.request('cert.list', { tokenId: certificates.find((c) => c.provider === 'pkcs11')!.tokenId });
    assert.equal(usbOnly.certificates.length, 2);
  });

  for (const provider of ['pkcs11', 'soft'] as const) {
    for (const algorithm of ALGORITHMS) {
      describe(`${provider} ${algorithm}`, () => {
        const content = new TextEncoder().encode(`社保缴费申报 2026-11 ${provider} ${algorithm} 金额 1,234.56 元`);

        it('detached CMS (the default) verifies with pkijs and OpenSSL', async () => {
          for (let i = 0; i < 3; i++) {
            const data = new Uint8Array([...content, i]);
            const result = await client.request('sign.data', { certId: certs[provider][algorithm], pin: pins[provider], data: toBase64(data) });
            const cms = fromBase64(result.signature);
            const verdict = await verifySignedData(cms, { content: data, expectedSigner: { certificate: fromBase64(result.certificate) }, trustedRoots: [ca.root] });
            assert.equal(verdict.valid, true, verdict.message);
            assert.equal(verdict.signer?.keyAlgorithm, algorithm);
            const openssl = opensslVerifyCms(cms, ca.root, data);
            assert.equal(openssl.ok, true, openssl.output);
          }
        });

        it('detached CMS over a digest verifies against the content', async () => {
          const digest = await sha256(content);
          const result = await client.request('sign.data', { certId: certs[provider][algorithm], pin: pins[provider], digest: toBase64(digest), digestAlgorithm: 'SHA-256' });
          const cms = fromBase64(result.signature);
          assert.equal((await verifySignedData(cms, { content, expectedSigner: { certificate: fromBase64(result.certificate) }, trustedRoots: [ca.root] })).valid, true);
          assert.equal(opensslVerifyCms(cms, ca.root, content).ok, true);
        });

        it('attached CMS carries the content and verifies', async () => {
          const result = await client.request('sign.data', { certId: certs[provider][algorithm], pin: pins[provider], data: toBase64(content), format: 'cms-attached' });
          const cms = fromBase64(result.signature);
          const verdict = await verifySignedData(cms, { content, expectedSigner: { certificate: fromBase64(result.certificate) }, trustedRoots: [ca.root] });
          assert.equal(verdict.valid, true, verdict.message);
          assert.deepEqual(verdict.content, content);
          const openssl = opensslVerifyCms(cms, ca.root);
          assert.equal(openssl.ok, true, openssl.output);
        });

        it('raw signature verifies with OpenSSL against the certificate', async () => {
          const result = await client.request('sign.data', { certId: certs[provider][algorithm], pin: pins[provider], data: toBase64(content), format: 'raw' });
          const openssl = opensslVerifyRaw(fromBase64(result.signature), fromBase64(result.certificate), content);
          assert.equal(openssl.ok, true, openssl.output);
          const fromDigest = await client.request('sign.data', { certId: certs[provider][algorithm], pin: pins[provider], digest: toBase64(await sha256(content)), format: 'raw' });
          assert.equal(opensslVerifyRaw(fromBase64(fromDigest.signature), fromBase64(fromDigest.certificate), content).ok, true);
        });

        it('a wrong PIN is PIN_INCORRECT and signs nothing', async () => {
          // Content of its own, so its digest names this try alone in the audit log.
          const tried = new Uint8Array([...content, 0xee]);
          await assert.rejects(
            client.request('sign.data', { certId: certs[provider][algorithm], pin: 'Wrong999x', data: toBase64(tried) }),
            (error: unknown) => error instanceof AgentError && error.reason === 'PIN_INCORRECT',
          );
          const digest = toHex(await sha256(tried));
          const lines = readAudit(home).filter((r) => r.digest === digest);
          assert.deepEqual(lines.map((r) => [r.operation, r.certId, r.outcome]), [['sign.data', certs[provider][algorithm], 'PIN_INCORRECT']]);
          // the right PIN still works afterwards
          await client.request('sign.data', { certId: certs[provider][algorithm], pin: pins[provider], data: toBase64(content), format: 'raw' });
        });
      });
    }
  }

  it('concurrent signatures on one token from two connections all succeed', async () => {
    const other = connect(agent.url);
    try {
      const content = new TextEncoder().encode('parallel');
      const jobs = [client, other, client, other, client, other].map((c, i) =>
        c.request('sign.data', { certId: certs.pkcs11[ALGORITHMS[i % 2]!], pin: hsm.pin, data: toBase64(content), format: 'raw' }),
      );
      const results = await Promise.all(jobs);
      for (const r of results) assert.equal(opensslVerifyRaw(fromBase64(r.signature), fromBase64(r.certificate), content).ok, true);
    } finally {
      other.close();
    }
  });

  it('the software token counts wrong PINs down from 10 and locks at the tenth', async () => {
    const certId = certs.soft['ECDSA-P256'];
    const data = toBase64(new Uint8Array([1]));
    // The right PIN first: whatever ran before, the count starts full.
    await client.request('sign.data', { certId, pin: SOFT_PIN, data });
    const softToken = async () => (await client.request('token.list', undefined)).tokens.find((t) => t.provider === 'soft')!;
    assert.equal((await softToken()).pin.retriesLeft, 10);
    for (let i = 1; i <= 9; i++) {
      await assert.rejects(
        client.request('sign.data', { certId, pin: `Nope${i}xyz`, data }),
        (e: unknown) => e instanceof AgentError && e.reason === 'PIN_INCORRECT' && e.retriesLeft === 10 - i,
      );
      assert.equal((await softToken()).pin.retriesLeft, 10 - i);
    }
    assert.equal((await softToken()).pin.finalTry, true);
    await assert.rejects(client.request('sign.data', { certId, pin: 'Nope10xyz', data }), (e: unknown) => (e as AgentError).reason === 'PIN_LOCKED');
    // Locked: the right PIN is refused too, and the token says so.
    await assert.rejects(client.request('sign.data', { certId, pin: SOFT_PIN, data }), (e: unknown) => (e as AgentError).reason === 'PIN_LOCKED');
    const { pin } = await softToken();
    assert.equal(pin.locked, true);
    assert.equal(pin.retriesLeft, 0);
  });

  it('unknown certificates are CERT_NOT_FOUND', async () => {
    await assert.rejects(
      client.request('sign.data', { certId: `${certs.soft['ECDSA-P256'].split('/')[0]!}/00`, pin: SOFT_PIN, data: 'AA==' }),
      (e: unknown) => (e as AgentError).reason === 'CERT_NOT_FOUND',
    );
    await assert.rejects(client.request('sign.data', { certId: 'nothing', pin: SOFT_PIN, data: 'AA==' }), (e: unknown) => (e as AgentError).reason === 'CERT_NOT_FOUND');
  });

  it('no PIN appears in the log or the audit log, and the audit log records each signature', async () => {
    // Its own signature and wrong PIN, so the test does not rely on the others having run.
    const certId = certs.pkcs11['ECDSA-P256'];
    await client.request('sign.data', { certId, pin: hsm.pin, data: toBase64(new Uint8Array([7])) });
    await assert.rejects(client.request('sign.data', { certId, pin: 'Wrong999x', data: toBase64(new Uint8Array([8])) }));
    const audit = readFileSync(join(home, 'audit.log'), 'utf8');
    assert.match(audit, /"operation":"sign.data"/);
    for (const pin of [hsm.pin, SOFT_PIN, 'Wrong999x']) {
      assert.equal(logLines.join('').includes(pin), false, 'PIN in log');
      assert.equal(audit.includes(pin), false, 'PIN in audit log');
    }
  });
});
