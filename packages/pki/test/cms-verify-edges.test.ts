// verifySignedData at its edges: chains through an intermediate, the exact skew boundary, revocation, bindings
// that only look right, and CMS that is not a signature at all. Each refusal names its problem and says why.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { createSignedData, exactBuffer, issueCertificate, OID, parseCertificate, sha256, verifySignedData, webCryptoSigner, type CertificateTemplate, type MessageSigner, type NameAttributes, type VerifyOptions } from '../src/index.js';
import { hostileSignedData } from './support/hostile-cms.js';
import { opensslVerifyCms } from '@sicert/test-support/openssl';
import { createTestCa, type TestCa } from './support/test-ca.js';

const ZHANG = 'SHA256:zhangsan';
const utf8 = (text: string) => new TextEncoder().encode(text);

interface Holder {
  certificate: Uint8Array;
  signer: MessageSigner;
  privateKey: CryptoKey;
}

async function holder(ca: TestCa, subject: NameAttributes = { C: 'CN', serialNumber: ZHANG, CN: '张三' }, overrides: Partial<CertificateTemplate> = {}): Promise<Holder> {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
  return { certificate: await ca.issue(subject, spki, overrides), signer: webCryptoSigner(keys.privateKey), privateKey: keys.privateKey };
}

describe('verifySignedData: edges', () => {
  let ca: TestCa;
  let zhang: Holder;
  const declaration = utf8('{"declaration":"A","insured":"张三","personal":"640.00"}');
  const options = (extra: Partial<VerifyOptions> = {}): VerifyOptions => ({ content: declaration, expectedSigner: { serialNumber: ZHANG }, trustedRoots: [ca.root], ...extra }) as VerifyOptions;

  before(async () => {
    ca = await createTestCa();
    zhang = await holder(ca);
  });

  it('follows a chain through an intermediate CA the CMS carries, and only through a CA; OpenSSL agrees', async () => {
    const intermediate = await ca.intermediate({ C: 'CN', O: 'sicert test', CN: 'sicert Test Issuing CA' });
    const below = await holder(intermediate);
    const withChain = await createSignedData({ content: declaration, certificate: below.certificate, chain: [intermediate.certificate] }, below.signer);
    const accepted = await verifySignedData(withChain, options());
    assert.equal(accepted.valid, true, accepted.message);
    assert.equal(opensslVerifyCms(withChain, ca.root, declaration).ok, true);

    const withoutChain = await createSignedData({ content: declaration, certificate: below.certificate }, below.signer);
    const refused = await verifySignedData(withoutChain, options());
    assert.equal(refused.problem, 'CHAIN_UNTRUSTED');
    assert.ok(refused.message.length > 0);

    // An end-entity certificate (cA false, though its keyUsage says keyCertSign) used as an issuer: the CMS
    // carries it, the chain must not use it.
    const endEntity = await holder(ca, { C: 'CN', CN: '王五' }, { keyUsage: ['digitalSignature', 'keyCertSign'] });
    const posingAsCa: TestCa = { ...intermediate, certificate: endEntity.certificate, issue: (subject, publicKey) => issueBelow(endEntity, subject, publicKey) };
    const forged = await holder(posingAsCa);
    const forgedCms = await createSignedData({ content: declaration, certificate: forged.certificate, chain: [endEntity.certificate] }, forged.signer);
    assert.equal((await verifySignedData(forgedCms, options())).problem, 'CHAIN_UNTRUSTED');
    assert.equal(opensslVerifyCms(forgedCms, ca.root, declaration).ok, false);
  });

  it('builds the chain through the CA certificate when the CMS also carries a non-CA twin of it (same name, same key) first', async () => {
    const subject = { C: 'CN', O: 'sicert test', CN: 'sicert Test Issuing CA' };
    const intermediate = await ca.intermediate(subject);
    const below = await holder(intermediate);
    const key = new Uint8Array(parseCertificate(intermediate.certificate).subjectPublicKeyInfo.toSchema().toBER());
    const twin = await ca.issue(subject, key, { keyUsage: ['digitalSignature', 'keyCertSign'] });
    // pkijs, handed both, takes the first of two equally short paths and refuses it ("not a CA certificate");
    // only CA certificates are handed to it as intermediates, so the real chain is found. (OpenSSL 3.0 refuses
    // this order too: it tries the first candidate only.)
    const cms = await createSignedData({ content: declaration, certificate: below.certificate, chain: [twin, intermediate.certificate] }, below.signer);
    const verified = await verifySignedData(cms, options());
    assert.equal(verified.valid, true, verified.message);
  });

  it('accepts a signingTime exactly maxClockSkewMs away, refuses one millisecond less of allowance', async () => {
    const signingTime = new Date(Math.floor(Date.now() / 1000) * 1000); // UTCTime keeps whole seconds
    const cms = await createSignedData({ content: declaration, certificate: zhang.certificate, signingTime }, zhang.signer);
    const exact = await verifySignedData(cms, options({ now: signingTime, maxClockSkewMs: 0 }));
    assert.equal(exact.valid, true, exact.message);
    const later = new Date(signingTime.getTime() + 1000);
    assert.equal((await verifySignedData(cms, options({ now: later, maxClockSkewMs: 1000 }))).valid, true);
    const skewed = await verifySignedData(cms, options({ now: later, maxClockSkewMs: 999 }));
    assert.equal(skewed.problem, 'SIGNING_TIME_SKEW');
    assert.match(skewed.message, /signingTime .* is more than 999 ms from /);
  });

  it('asks isRevoked about the signer, by serial number, and refuses a revoked one (REVOKED)', async () => {
    const cms = await createSignedData({ content: declaration, certificate: zhang.certificate }, zhang.signer);
    const asked: string[] = [];
    const revoked = await verifySignedData(cms, options({ isRevoked: (serial) => (asked.push(serial), Promise.resolve(true)) }));
    assert.equal(revoked.problem, 'REVOKED');
    assert.match(revoked.message, /revoked/);
    assert.equal(revoked.signer?.serialNumber, asked[0]);
    assert.equal((await verifySignedData(cms, options({ isRevoked: () => false }))).valid, true);
  });

  it('checks SHA-384 and SHA-512 signatures against the content, and refuses to check them against a SHA-256 contentDigest', async () => {
    for (const hash of ['SHA-384', 'SHA-512'] as const) {
      const cms = await hostileSignedData({ content: declaration, certificate: zhang.certificate, privateKey: zhang.privateKey, hash });
      const byContent = await verifySignedData(cms, options());
      assert.equal(byContent.valid, true, `${hash}: ${byContent.message}`);
      const byDigest = await verifySignedData(cms, { contentDigest: await sha256(declaration), expectedSigner: { serialNumber: ZHANG }, trustedRoots: [ca.root] });
      assert.equal(byDigest.problem, 'UNSUPPORTED_DIGEST');
      assert.ok(byDigest.signingTime instanceof Date);
      assert.match(byDigest.message, /SHA-256/);
    }
  });

  it('judges validity inclusively: a certificate is valid at its very notBefore and notAfter', async () => {
    const cms = await createSignedData({ content: declaration, certificate: zhang.certificate }, zhang.signer);
    const { notBefore, notAfter } = (await verifySignedData(cms, options())).signer!;
    for (const edge of [notBefore, notAfter]) {
      const signed = await createSignedData({ content: declaration, certificate: zhang.certificate, signingTime: new Date(edge) }, zhang.signer);
      const result = await verifySignedData(signed, options({ now: new Date(edge) }));
      assert.equal(result.valid, true, `${edge}: ${result.message}`);
    }
    const after = await verifySignedData(cms, options({ now: new Date(Date.parse(notAfter) + 1000), maxClockSkewMs: 10 * 365 * 86_400_000 }));
    assert.equal(after.problem, 'CERT_EXPIRED');
    assert.match(after.message, /expired at /);
    const before = await verifySignedData(cms, options({ now: new Date(Date.parse(notBefore) - 1000), maxClockSkewMs: 10 * 365 * 86_400_000 }));
    assert.equal(before.problem, 'CERT_NOT_YET_VALID');
    assert.match(before.message, /not yet valid at /);
  });

  it('finds the signer among several certificates of one issuer by issuer and serial, or by a wrapped key identifier', async () => {
    const li = await holder(ca, { C: 'CN', serialNumber: 'SHA256:lisi', CN: '李四' });
    const cms = await createSignedData({ content: declaration, certificate: zhang.certificate }, zhang.signer);
    const result = await verifySignedData(withCertificates(cms, [li.certificate, zhang.certificate]), options());
    assert.equal(result.valid, true, result.message);
    assert.equal(result.signer?.subjectCommonName, '张三');
    const wrapped = await hostileSignedData({ content: declaration, certificate: zhang.certificate, privateKey: zhang.privateKey, hash: 'SHA-256', bySubjectKeyIdentifier: 'wrapped' });
    const byWrappedKeyId = await verifySignedData(withCertificates(wrapped, [li.certificate, zhang.certificate]), options());
    assert.equal(byWrappedKeyId.valid, true, byWrappedKeyId.message);
    assert.equal(byWrappedKeyId.signer?.subjectCommonName, '张三');
  });

  it('refuses a CMS that carries no signer certificate (CHAIN_UNTRUSTED), saying so', async () => {
    const cms = await createSignedData({ content: declaration, certificate: zhang.certificate }, zhang.signer);
    for (const certificates of [[], undefined]) {
      const result = await verifySignedData(withCertificates(cms, certificates), options());
      assert.equal(result.problem, 'CHAIN_UNTRUSTED');
      assert.match(result.message, /not in the CMS/);
      assert.ok(result.signingTime instanceof Date);
    }
  });

  it('refuses a signature value that is not an ECDSA signature at all (SIGNATURE_INVALID), without throwing', async () => {
    const cms = await createSignedData({ content: declaration, certificate: zhang.certificate }, zhang.signer);
    const contentInfo = pkijs.ContentInfo.fromBER(exactBuffer(cms));
    const signedData = new pkijs.SignedData({ schema: contentInfo.content });
    signedData.signerInfos[0]!.signature = new asn1js.OctetString({ valueHex: new Uint8Array([0x30, 0x03, 0x02, 0x01]).buffer });
    const broken = new Uint8Array(new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) }).toSchema().toBER());
    const result = await verifySignedData(broken, options());
    assert.equal(result.problem, 'SIGNATURE_INVALID');
    assert.match(result.message, /signature/);
  });

  it('refuses CMS that is not a SignedData, or not CMS at all (MALFORMED), saying which', async () => {
    const data = new pkijs.ContentInfo({ contentType: OID.data, content: new asn1js.OctetString({ valueHex: exactBuffer(declaration) }) });
    const notSigned = await verifySignedData(new Uint8Array(data.toSchema().toBER()), options());
    assert.equal(notSigned.problem, 'MALFORMED');
    assert.match(notSigned.message, /not a CMS SignedData/);
    const garbage = await verifySignedData(utf8('not DER at all'), options());
    assert.equal(garbage.problem, 'MALFORMED');
    assert.match(garbage.message, /cannot parse the CMS/);
  });

  it('refuses attached content that is not an OCTET STRING (MALFORMED) instead of reading it some other way', async () => {
    const cms = await createSignedData({ content: declaration, certificate: zhang.certificate, attached: true }, zhang.signer);
    const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(exactBuffer(cms)).content });
    signedData.encapContentInfo.eContent = new asn1js.Utf8String({ value: new TextDecoder().decode(declaration) }) as unknown as asn1js.OctetString;
    const retyped = new Uint8Array(new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) }).toSchema().toBER());
    const result = await verifySignedData(retyped, options());
    assert.equal(result.problem, 'MALFORMED');
    assert.match(result.message, /not an OCTET STRING/);
  });

  it('refuses a signingTime that is no time and a messageDigest that is no OCTET STRING (MALFORMED)', async () => {
    const cms = await createSignedData({ content: declaration, certificate: zhang.certificate }, zhang.signer);
    const retype = (type: string, value: asn1js.AsnType): Uint8Array => {
      const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(exactBuffer(cms)).content });
      const attribute = signedData.signerInfos[0]!.signedAttrs!.attributes.find((a) => a.type === type)!;
      attribute.values = [value];
      return new Uint8Array(new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) }).toSchema().toBER());
    };
    const noTime = await verifySignedData(retype(OID.signingTime, new asn1js.Utf8String({ value: '2026-11-29' })), options());
    assert.equal(noTime.problem, 'MALFORMED');
    assert.match(noTime.message, /signingTime is not a time/);
    const noDigest = await verifySignedData(retype(OID.messageDigest, new asn1js.Integer({ value: 1 })), options());
    assert.equal(noDigest.problem, 'MALFORMED');
    assert.match(noDigest.message, /malformed contentType or messageDigest/);
  });

  it('throws on an expectedSigner that only looks like a binding: another key, a blank or non-string value', async () => {
    const cms = await createSignedData({ content: declaration, certificate: zhang.certificate }, zhang.signer);
    const shams: unknown[] = [{ commonName: '张三' }, { CN: ZHANG }, { serialNumber: '   ' }, { organizationIdentifier: '\t' }, { serialNumber: 42 }, { certificate: 'MIIB' }, null, 'SHA256:zhangsan'];
    for (const expectedSigner of shams) {
      await assert.rejects(verifySignedData(cms, options({ expectedSigner } as unknown as Partial<VerifyOptions>)), { name: 'TypeError', message: /expectedSigner/ }, JSON.stringify(expectedSigner));
    }
    await assert.rejects(verifySignedData(cms, { expectedSigner: { serialNumber: ZHANG }, trustedRoots: [ca.root] } as unknown as VerifyOptions), { name: 'TypeError', message: /content or contentDigest/ });
    await assert.rejects(verifySignedData(cms, options({ content: undefined, contentDigest: new Uint8Array(20) })), { name: 'TypeError', message: /32 bytes/ });
    await assert.rejects(verifySignedData(cms, options({ now: new Date(Number.NaN) })), { name: 'TypeError', message: /now must be a valid Date/ });
    await assert.rejects(verifySignedData(cms, options({ maxClockSkewMs: -1 })), { name: 'TypeError', message: /maxClockSkewMs/ });
    await assert.rejects(verifySignedData('MIIB' as unknown as Uint8Array, options()), { name: 'TypeError', message: /fromBase64/ });
  });
});

/** The CMS with its certificates replaced (`undefined`: the optional field left out); the signature is untouched. */
function withCertificates(cms: Uint8Array, certificates: Uint8Array[] | undefined): Uint8Array {
  const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(exactBuffer(cms)).content });
  if (certificates) signedData.certificates = certificates.map(parseCertificate);
  else delete signedData.certificates;
  return new Uint8Array(new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) }).toSchema().toBER());
}

function issueBelow(issuer: Holder, subject: NameAttributes, publicKey: Uint8Array): Promise<Uint8Array> {
  const now = Date.now();
  return issueCertificate(
    { subject, publicKey, notBefore: new Date(now - 3_600_000), notAfter: new Date(now + 86_400_000), keyUsage: ['digitalSignature', 'nonRepudiation'] },
    { certificate: issuer.certificate, signer: issuer.signer },
  );
}
