// Which certificate a key shows when a crash left two with the same CKA_ID: the choice every process must agree on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newest, type CertificateObject } from '../src/providers/pkcs11/pkcs11-certificates.js';
import { createTestCa } from '@sicert/test-support/test-ca';

describe('newest certificate of a key', () => {
  it('prefers the latest notBefore, then the latest notAfter, and never an unreadable object', async () => {
    const ca = await createTestCa();
    const { publicKey } = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign'])) as CryptoKeyPair;
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', publicKey));
    const at = (notBefore: number, notAfter: number) => ca.issue({ CN: '钱七' }, spki, { notBefore: new Date(notBefore), notAfter: new Date(notAfter) });
    const day = 86_400_000;
    const t = Date.UTC(2026, 0, 1);
    // A handle is an opaque Buffer in pkcs11js; these objects never reach a token.
    const object = (der: Uint8Array, handle: number): CertificateObject => ({ handle: Buffer.from([handle]), der: Buffer.from(der), keyId: 'ab' });
    const old = object(await at(t, t + 365 * day), 1);
    const renewed = object(await at(t + 300 * day, t + 665 * day), 2);
    const longer = object(await at(t + 300 * day, t + 700 * day), 3);
    const garbage = object(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), 4);
    assert.equal(newest([old, renewed]), renewed);
    assert.equal(newest([renewed, old]), renewed);
    assert.equal(newest([renewed, longer, old]), longer);
    assert.equal(newest([garbage, old]), old);
    assert.equal(newest([old, garbage]), old);
    assert.equal(newest([]), undefined);
  });
});
