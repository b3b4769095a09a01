// What a certificate summary and a key's algorithm name say, for the keys and certificates the agent meets on
// tokens: not only P-256 and RSA, but SM2, other curves and algorithms sicert cannot sign with.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { equalBytes, issueCertificate, OID, parseCertificate, publicKeyAlgorithm, serialNumberHex, summarizeCertificate, webCryptoSigner } from '../src/index.js';

const spkiOf = (key: ReturnType<typeof generateKeyPairSync>['publicKey']) => new Uint8Array(key.export({ format: 'der', type: 'spki' }));

describe('key algorithm names', () => {
  it('names P-256, SM2 and RSA keys, other curves by OID, and other algorithms by their OID', () => {
    assert.equal(publicKeyAlgorithm(spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey)), 'ECDSA-P256');
    assert.equal(publicKeyAlgorithm(spkiOf(generateKeyPairSync('ec', { namedCurve: 'SM2' }).publicKey)), 'SM2');
    assert.equal(publicKeyAlgorithm(spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey)), 'EC-1.3.132.0.34');
    assert.equal(publicKeyAlgorithm(spkiOf(generateKeyPairSync('rsa', { modulusLength: 3072 }).publicKey)), 'RSA-3072');
    assert.equal(publicKeyAlgorithm(spkiOf(generateKeyPairSync('ed25519').publicKey)), '1.3.101.112');
    // An EC key whose curve is not named (implicitCurve, or parameters left out) is still named, not thrown on.
    const unnamed = new pkijs.PublicKeyInfo({ algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecPublicKey }), subjectPublicKey: new asn1js.BitString({ valueHex: new Uint8Array([4, 1, 2]).buffer }) });
    assert.equal(publicKeyAlgorithm(new Uint8Array(unnamed.toSchema().toBER())), 'EC-unknown');
  });
});

describe('certificate summaries', () => {
  const now = Date.now();
  async function certificate(subject: Record<string, string>, serialNumber: Uint8Array, keyUsage: ('digitalSignature' | 'keyCertSign')[]) {
    const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
    return issueCertificate({ subject, publicKey: spki, notBefore: new Date(now - 60_000), notAfter: new Date(now + 86_400_000), keyUsage, serialNumber }, { signer: webCryptoSigner(keys.privateKey) });
  }

  it('strips only the leading zero bytes of a serial number, never zeros inside it', async () => {
    const der = await certificate({ CN: '张三' }, new Uint8Array([0x01, 0x00, 0x02, 0x03]), ['digitalSignature']);
    assert.equal(serialNumberHex(parseCertificate(der)), '01000203');
    const inner = await certificate({ CN: '张三' }, new Uint8Array([0x10, 0x00, 0x20]), ['digitalSignature']);
    assert.equal(serialNumberHex(parseCertificate(inner)), '100020');
    // A foreign CA's non-minimal encoding: every leading zero byte goes, and zero itself stays one byte.
    const padded = await certificate({ CN: '张三' }, new Uint8Array([0x00, 0x00, 0x80, 0x01]), ['digitalSignature']);
    assert.equal(serialNumberHex(parseCertificate(padded)), '8001');
    const zero = await certificate({ CN: '张三' }, new Uint8Array([0x00]), ['digitalSignature']);
    assert.equal(serialNumberHex(parseCertificate(zero)), '00');
  });

  it('names the common names and key usages it finds, and leaves out (not undefined) those it does not', async () => {
    const named = summarizeCertificate(await certificate({ C: 'CN', CN: '张三' }, new Uint8Array([1]), ['keyCertSign']));
    assert.equal(named.subjectCommonName, '张三');
    assert.equal(named.issuerCommonName, '张三', 'self-signed: the issuer is the subject');
    assert.deepEqual(named.keyUsage, ['keyCertSign']);
    const bare = summarizeCertificate(await certificate({ C: 'CN', O: '测试单位' }, new Uint8Array([1]), []));
    assert.deepEqual(Object.keys(bare).sort(), ['issuer', 'keyAlgorithm', 'notAfter', 'notBefore', 'serialNumber', 'status', 'subject']);
  });
});

describe('equalBytes', () => {
  it('is false for a prefix of the other bytes, either way round', () => {
    const long = new Uint8Array([1, 2, 3]);
    const prefix = new Uint8Array([1, 2]);
    assert.equal(equalBytes(prefix, long), false);
    assert.equal(equalBytes(long, prefix), false);
    assert.equal(equalBytes(new Uint8Array([1, 2, 0]), prefix), false);
    assert.equal(equalBytes(long, long.slice()), true);
  });
});
