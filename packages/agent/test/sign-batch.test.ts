// sign.batch on a real SoftHSM2 USB-Key and the software token: every signature verifies against its own item and
// in its place, an item that breaks its rules fails alone, a wrong PIN fails the whole batch as one try, progress
// reaches the asking connection only, and the audit log records the batch once.
import assert from 'node:assert/strict';
import { verify, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromBase64, sha256, toBase64, toHex, verifySignedData } from '@sicert/pki';
import { AgentError, type AgentClient, type SignBatchOutcome } from '@sicert/protocol';
import type { RunningAgent } from '../src/index.js';
import { opensslVerifyCms, opensslVerifyRaw } from '@sicert/test-support/openssl';
import type { TestCa } from '@sicert/test-support/test-ca';
import { connect } from '@sicert/test-support/agent-client';
import { ALGORITHMS } from '@sicert/test-support/provision';
import { startProvisionedAgent, type ProvisionedAgent } from './support/provisioned-agent.js';

const SOFT_PIN = 'Home2468x';

/** Item `i` of a batch: content of its own, so a signature in the wrong place fails to verify. */
const itemContent = (i: number) => new TextEncoder().encode(`工资明细 2026-11 第 ${i} 项`);

function signatureOf(outcome: SignBatchOutcome | undefined): Uint8Array {
  assert.ok(outcome && 'signature' in outcome, `expected a signature, got ${JSON.stringify(outcome)}`);
  return fromBase64(outcome.signature);
}

describe('sign.batch', () => {
  let setup: ProvisionedAgent;
  let home: string;
  let ca: TestCa;
  let agent: RunningAgent;
  let client: AgentClient;
  let certs: ProvisionedAgent['certs'];
  let pins: ProvisionedAgent['pins'];
  let hsm: ProvisionedAgent['hsm'];

  before(async () => {
    setup = await startProvisionedAgent({ softPin: SOFT_PIN, prefix: 'sicert-batch-' });
    ({ home, ca, agent, client, certs, pins, hsm } = setup);
  });

  after(() => setup.close());

  it('agent.info offers sign.batch', async () => {
    assert.ok((await client.request('agent.info', undefined)).capabilities.includes('sign.batch'));
  });

  for (const provider of ['pkcs11', 'soft'] as const) {
    for (const algorithm of ALGORITHMS) {
      describe(`${provider} ${algorithm}`, () => {
        it('raw: 200 items, each signature verifying over its own item in its own place, data and digests mixed', async () => {
          const count = 200;
          const items = await Promise.all(
            Array.from({ length: count }, async (_, i) => (i % 2 ? { digest: toBase64(await sha256(itemContent(i))) } : { data: toBase64(itemContent(i)) })),
          );
          const result = await client.request('sign.batch', { certId: certs[provider][algorithm], pin: pins[provider], items, format: 'raw' });
          assert.equal(result.signatures.length, count);
          const publicKey = new X509Certificate(fromBase64(result.certificate)).publicKey;
          result.signatures.forEach((outcome, i) => {
            assert.equal(verify('sha256', itemContent(i), publicKey, signatureOf(outcome)), true, `item ${i}`);
            assert.equal(verify('sha256', itemContent(i + 1), publicKey, signatureOf(outcome)), false, `item ${i} over another item`);
          });
          const openssl = opensslVerifyRaw(signatureOf(result.signatures[7]), fromBase64(result.certificate), itemContent(7));
          assert.equal(openssl.ok, true, openssl.output);
        });

        it('detached and attached CMS: each verifies with pkijs against its own item, and with OpenSSL', async () => {
          const count = 12;
          const certId = certs[provider][algorithm];
          for (const format of ['cms-detached', 'cms-attached'] as const) {
            const items = Array.from({ length: count }, (_, i) => ({ data: toBase64(itemContent(i)) }));
            const result = await client.request('sign.batch', { certId, pin: pins[provider], items, format });
            const certificate = fromBase64(result.certificate);
            for (let i = 0; i < count; i++) {
              const cms = signatureOf(result.signatures[i]);
              const verdict = await verifySignedData(cms, { content: itemContent(i), expectedSigner: { certificate }, trustedRoots: [ca.root] });
              assert.equal(verdict.valid, true, `${format} item ${i}: ${verdict.message}`);
              if (format === 'cms-attached') assert.deepEqual(verdict.content, itemContent(i));
              else assert.equal((await verifySignedData(cms, { content: itemContent(i + 1), expectedSigner: { certificate }, trustedRoots: [ca.root] })).valid, false);
            }
            const openssl = opensslVerifyCms(signatureOf(result.signatures[3]), ca.root, format === 'cms-detached' ? itemContent(3) : undefined);
            assert.equal(openssl.ok, true, openssl.output);
          }
        });
      });
    }
  }

  it('an item that breaks its rules fails alone, with INVALID_PARAMS in its place', async () => {
    const good = toBase64(itemContent(1));
    const items = [
      { data: good },
      { data: good, digest: toBase64(await sha256(itemContent(1))) },
      {},
      { digest: toBase64(new Uint8Array(31)) },
      { digest: toBase64(await sha256(itemContent(4))) },
    ];
    const result = await client.request('sign.batch', { certId: certs.pkcs11['ECDSA-P256'], pin: hsm.pin, items, format: 'cms-attached' });
    const reasons = result.signatures.map((o) => ('error' in o ? o.error.reason : 'signed'));
    assert.deepEqual(reasons, ['signed', 'INVALID_PARAMS', 'INVALID_PARAMS', 'INVALID_PARAMS', 'INVALID_PARAMS']);
    const messages = result.signatures.map((o) => ('error' in o ? o.error.message : ''));
    assert.deepEqual(messages.slice(1), ['an item must have exactly one of data and digest', 'an item must have exactly one of data and digest', 'an attached CMS needs data, not a digest', 'an attached CMS needs data, not a digest']);
    const raw = await client.request('sign.batch', { certId: certs.pkcs11['ECDSA-P256'], pin: hsm.pin, items: items.slice(3), format: 'raw' });
    assert.deepEqual(
      raw.signatures.map((o) => ('error' in o ? o.error.message : 'signed')),
      ['a SHA-256 digest has 32 bytes', 'signed'],
    );
    const verdict = await verifySignedData(signatureOf(result.signatures[0]), { content: itemContent(1), expectedSigner: { certificate: fromBase64(result.certificate) }, trustedRoots: [ca.root] });
    assert.equal(verdict.valid, true, verdict.message);
  });

  for (const provider of ['pkcs11', 'soft'] as const) {
    it(`${provider}: a wrong PIN fails the whole batch as one try`, async () => {
      const items = Array.from({ length: 50 }, (_, i) => ({ data: toBase64(itemContent(i)) }));
      const before = (await client.request('token.list', undefined)).tokens.find((t) => t.provider === provider)!;
      await assert.rejects(
        client.request('sign.batch', { certId: certs[provider]['ECDSA-P256'], pin: 'Wrong999x', items }),
        (error: unknown) => error instanceof AgentError && error.reason === 'PIN_INCORRECT',
      );
      if (provider === 'soft') {
        const after = (await client.request('token.list', undefined)).tokens.find((t) => t.id === before.id)!;
        assert.equal(after.pin.retriesLeft, (before.pin.retriesLeft ?? 10) - 1);
      }
      // The right PIN works afterwards, and resets the count.
      await client.request('sign.batch', { certId: certs[provider]['ECDSA-P256'], pin: pins[provider], items: items.slice(0, 1) });
    });
  }

  it('reports progress to the asking connection only, ending with all items done', async () => {
    const other = connect(agent.url);
    try {
      const overheard: unknown[] = [];
      await other.connect();
      other.on('sign.progress', (p) => overheard.push(p));
      const seen: [number, number][] = [];
      const items = Array.from({ length: 300 }, (_, i) => ({ data: toBase64(itemContent(i)) }));
      const started = performance.now();
      await client.request('sign.batch', { certId: certs.pkcs11['RSA-2048'], pin: hsm.pin, items }, { onProgress: (done, total) => seen.push([done, total]) });
      const elapsed = performance.now() - started;
      assert.ok(seen.length >= 1);
      // At most one report per 100 ms and the last: a page is not flooded with one message per item.
      assert.ok(seen.length <= elapsed / 100 + 2, `${seen.length} reports in ${Math.round(elapsed)} ms`);
      assert.deepEqual(seen.at(-1), [300, 300]);
      for (let i = 1; i < seen.length; i++) assert.ok(seen[i]![0] > seen[i - 1]![0], 'progress only grows');
      assert.deepEqual(overheard, []);
    } finally {
      other.close();
    }
  });

  it('1,000 items are one request: no BUSY under the per-connection rate limit, one audit line for the batch', async () => {
    const items = await Promise.all(Array.from({ length: 1000 }, async (_, i) => ({ digest: toBase64(await sha256(itemContent(i))) })));
    const result = await client.request('sign.batch', { certId: certs.soft['ECDSA-P256'], pin: SOFT_PIN, items, format: 'raw' });
    assert.equal(result.signatures.filter((o) => 'signature' in o).length, 1000);
    const digests = items.map((item) => fromBase64(item.digest));
    const batchDigest = toHex(await sha256(new Uint8Array(digests.flatMap((d) => [...d]))));
    const lines = readFileSync(join(home, 'audit.log'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    const entries = lines.filter((l) => l.digest === batchDigest);
    assert.deepEqual(entries.map((e) => [e.operation, e.certId, e.items, e.signed, e.outcome]), [['sign.batch', certs.soft['ECDSA-P256'], 1000, 1000, 'ok']]);
  });
});
