// cert.list lists only certificates the signing path can read. A certificate stored on a USB-Key by another tool
// with a time DER does not allow (GeneralizedTime with fractional seconds, RFC 5280 §4.1.2.5.2) is read by pkijs
// but not by the CMS builder's strict reader: listed, it would be offered to the citizen and then fail every CMS.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromBase64, toBase64 } from '@sicert/pki';
import type { AgentClient } from '@sicert/protocol';
import { createLogger, defaultConfig, startAgent, type Pkcs11Provider, type RunningAgent } from '../src/index.js';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';
import { createTestCa } from '@sicert/test-support/test-ca';
import { writeObject } from './support/pkcs11-tool.js';

/** `der` with its notAfter (a UTCTime) rewritten as a GeneralizedTime with fractional seconds, lengths fixed up. */
function withFractionalNotAfter(der: Uint8Array): Uint8Array {
  const bytes = [...der];
  const validity = bytes.findIndex((b, i) => b === 0x30 && bytes[i + 1] === 0x1e && bytes[i + 2] === 0x17 && bytes[i + 3] === 0x0d);
  assert.ok(validity > 0 && bytes[0] === 0x30 && bytes[1] === 0x82 && bytes[4] === 0x30 && bytes[5] === 0x82, 'a certificate laid out as the test CA issues it');
  const notAfter = validity + 2 + 15;
  const year = Number(String.fromCharCode(...bytes.slice(notAfter + 2, notAfter + 4)));
  const time = new TextEncoder().encode(`${year < 50 ? 20 : 19}${String.fromCharCode(...bytes.slice(notAfter + 2, notAfter + 14))}.5Z`);
  bytes.splice(notAfter, 15, 0x18, time.length, ...time);
  const grown = time.length + 2 - 15;
  bytes[validity + 1] = bytes[validity + 1]! + grown;
  for (const at of [2, 6]) {
    const length = ((bytes[at]! << 8) | bytes[at + 1]!) + grown;
    bytes[at] = length >> 8;
    bytes[at + 1] = length & 0xff;
  }
  return new Uint8Array(bytes);
}

describe('cert.list and a certificate the signing path cannot read', () => {
  let hsm: SoftHsm;
  let dir: string;
  let agent: RunningAgent;
  let client: AgentClient;

  before(async () => {
    hsm = createSoftHsm('sicert-unreadable');
    dir = mkdtempSync(join(tmpdir(), 'sicert-unreadable-'));
    agent = await startAgent({ ...defaultConfig(), port: 0, home: dir, modules: [hsm.module], softToken: false, allowOrigins: [TEST_ORIGIN] }, createLogger('error', () => undefined));
    client = connect(agent.url);
  });

  after(async () => {
    client.close();
    await agent.close();
    hsm.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the readable certificate and leaves out the one written with a fractional-second time', async () => {
    const provider = agent.providers.find((p) => p.kind === 'pkcs11') as Pkcs11Provider;
    const tokenId = (await provider.listTokens()).find((t) => t.label === hsm.label)!.id;
    const ca = await createTestCa();
    const good = await provider.generateKey(tokenId, hsm.pin, 'ECDSA-P256');
    const goodCertificate = await ca.issue({ CN: '可读' }, good.publicKey);
    await provider.installCertificate(tokenId, goodCertificate, [], hsm.pin);
    const odd = await provider.generateKey(tokenId, hsm.pin, 'ECDSA-P256');
    const oddCertificate = withFractionalNotAfter(await ca.issue({ CN: '小数秒' }, odd.publicKey));
    writeFileSync(join(dir, 'odd.der'), oddCertificate);
    writeObject(hsm, join(dir, 'odd.der'), 'cert', odd.keyId, '小数秒');
    const listed = (await client.request('cert.list', { tokenId })).certificates;
    assert.deepEqual(listed.map((c) => c.der), [toBase64(goodCertificate)]);
    assert.equal(fromBase64(listed[0]!.der).length, goodCertificate.length);
  });
});
