// Real signatures, good and bad, one or more for each problem code verifySignedData reports, for the tests that
// compare verifyMany's verdicts with the single call's (verify-corpus.ts is the fast-vs-reference corpus).
import { createSignedData, sha256, webCryptoSigner, type CertificateTemplate, type MessageSigner, type NameAttributes, type SignatureProblem, type VerifyManyItem } from '../../src/index.js';
import { hostileSignedData } from './hostile-cms.js';
import { createTestCa, type TestCa } from './test-ca.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const ZHANG = 'SHA256:zhangsan';
const LI = 'SHA256:lisi';
const utf8 = (text: string) => new TextEncoder().encode(text);

export interface Holder {
  certificate: Uint8Array;
  signer: MessageSigner;
  privateKey: CryptoKey;
}

/** One signature of the corpus and the verdict the single call gives it when no isRevoked hook is passed. */
export interface CorpusEntry {
  label: string;
  expected: SignatureProblem | 'valid';
  item: VerifyManyItem;
}

export interface Corpus {
  ca: TestCa;
  zhang: Holder;
  entries: CorpusEntry[];
}

async function holder(ca: TestCa, subject: NameAttributes, overrides: Partial<CertificateTemplate> = {}): Promise<Holder> {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
  return { certificate: await ca.issue(subject, spki, overrides), signer: webCryptoSigner(keys.privateKey), privateKey: keys.privateKey };
}

/** Every code but REVOKED, which comes from the caller's hook (the tests revoke one of the valid signers). */
export async function buildCorpus(): Promise<Corpus> {
  const ca = await createTestCa();
  const otherCa = await createTestCa();
  const now = Date.now();
  const zhangName = { C: 'CN', serialNumber: ZHANG, CN: '张三' };
  const zhang = await holder(ca, zhangName);
  const li = await holder(ca, { C: 'CN', serialNumber: LI, CN: '李四' });
  const stranger = await holder(otherCa, zhangName);
  const expired = await holder(ca, zhangName, { notBefore: new Date(now - DAY), notAfter: new Date(now - HOUR) });
  const future = await holder(ca, zhangName, { notBefore: new Date(now + DAY), notAfter: new Date(now + 365 * DAY) });
  const encryption = await holder(ca, zhangName, { keyUsage: ['keyEncipherment'] });
  const a = utf8('{"declaration":"A","insured":"张三","personal":"640.00"}');
  const b = utf8('{"declaration":"B","insured":"张三","personal":"6400.00"}');
  const bySelf = { expectedSigner: { serialNumber: ZHANG } };
  const sign = (who: Holder, extra: { attached?: boolean; signingTime?: Date; digest?: Uint8Array } = {}) =>
    createSignedData({ content: a, certificate: who.certificate, ...extra }, who.signer);
  const hostile = (extra: Partial<Parameters<typeof hostileSignedData>[0]>) =>
    hostileSignedData({ content: a, certificate: zhang.certificate, privateKey: zhang.privateKey, hash: 'SHA-256', ...extra });
  // 李四's key, 张三's certificate: everything else is right, so only the signature check can refuse it.
  const forged = await createSignedData({ content: a, certificate: zhang.certificate }, li.signer);

  const entries: CorpusEntry[] = [
    { label: 'detached', expected: 'valid', item: { cms: await sign(zhang), content: a, ...bySelf } },
    { label: 'attached, by digest', expected: 'valid', item: { cms: await sign(zhang, { attached: true }), contentDigest: await sha256(a), ...bySelf } },
    { label: 'by exact certificate', expected: 'valid', item: { cms: await sign(li), content: a, expectedSigner: { certificate: li.certificate } } },
    { label: 'not DER', expected: 'MALFORMED', item: { cms: utf8('not a CMS'), content: a, ...bySelf } },
    { label: 'two signers', expected: 'MALFORMED', item: { cms: await hostile({ signers: 2 }), content: a, ...bySelf } },
    { label: 'no signingTime', expected: 'MISSING_ATTRIBUTES', item: { cms: await hostile({ signedAttributes: ['contentType', 'messageDigest'] }), content: a, ...bySelf } },
    { label: 'SHA-1', expected: 'UNSUPPORTED_DIGEST', item: { cms: await hostile({ hash: 'SHA-1' }), content: a, ...bySelf } },
    { label: 'TSTInfo content', expected: 'CONTENT_TYPE_MISMATCH', item: { cms: await hostile({ eContentType: '1.2.840.113549.1.9.16.1.4', attached: true }), content: a, ...bySelf } },
    { label: 'attached over A, B expected', expected: 'CONTENT_MISMATCH', item: { cms: await sign(zhang, { attached: true }), content: b, ...bySelf } },
    { label: 'detached over A, B expected', expected: 'DIGEST_MISMATCH', item: { cms: await sign(zhang), content: b, ...bySelf } },
    { label: 'attached, digest of other content signed', expected: 'DIGEST_MISMATCH', item: { cms: await createSignedData({ content: a, digest: await sha256(b), certificate: zhang.certificate, attached: true }, zhang.signer), content: a, ...bySelf } },
    { label: 'made by another key', expected: 'SIGNATURE_INVALID', item: { cms: forged, content: a, ...bySelf } },
    { label: 'another CA', expected: 'CHAIN_UNTRUSTED', item: { cms: await sign(stranger), content: a, ...bySelf } },
    { label: 'expired', expected: 'CERT_EXPIRED', item: { cms: await sign(expired), content: a, ...bySelf } },
    { label: 'not yet valid', expected: 'CERT_NOT_YET_VALID', item: { cms: await sign(future), content: a, ...bySelf } },
    { label: 'signed an hour ago', expected: 'SIGNING_TIME_SKEW', item: { cms: await sign(zhang, { signingTime: new Date(now - HOUR) }), content: a, ...bySelf } },
    { label: 'archived: judged an hour ago', expected: 'valid', item: { cms: await sign(zhang, { signingTime: new Date(now - HOUR) }), content: a, ...bySelf, now: new Date(now - HOUR + 1000) } },
    { label: 'keyEncipherment only', expected: 'KEY_USAGE_INVALID', item: { cms: await sign(encryption), content: a, ...bySelf } },
    { label: 'signed by 李四', expected: 'WRONG_SIGNER', item: { cms: await sign(li), content: a, ...bySelf } },
  ];
  return { ca, zhang, entries };
}
