// A corpus of good and bad CMS signatures for comparing verifySignedData's fast path with its pkijs reference:
// each case is real bytes and the options a portal would pass, all judged at one fixed `now`.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { createSignedData, exactBuffer, OID, sha256, webCryptoSigner, type CertificateTemplate, type MessageSigner, type NameAttributes, type VerifyOptions } from '../../src/index.js';
import { hostileSignedData } from './hostile-cms.js';
import { createTestCa, type TestCa } from './test-ca.js';

export interface CorpusCase {
  name: string;
  cms: Uint8Array;
  options: VerifyOptions;
  /** True when the case is strict DER the fast path must judge itself (not hand to the reference). */
  fast?: boolean;
}

export interface Holder {
  certificate: Uint8Array;
  signer: MessageSigner;
  privateKey: CryptoKey;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const ZHANG = 'SHA256:zhangsan';
const LI = 'SHA256:lisi';
const utf8 = (text: string) => new TextEncoder().encode(text);
export const DECLARATION = utf8('{"declaration":"A","insured":"张三","personal":"640.00"}');
const OTHER = utf8('{"declaration":"B","insured":"张三","personal":"6400.00"}');
const MD5 = '1.2.840.113549.2.5';

type KeyKind = 'P-256' | 'P-384' | 'RSA-2048';

async function keys(kind: KeyKind): Promise<CryptoKeyPair> {
  if (kind === 'RSA-2048') {
    return crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
  }
  return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: kind }, true, ['sign', 'verify']);
}

export async function holder(ca: TestCa, kind: KeyKind = 'P-256', subject: NameAttributes = { C: 'CN', serialNumber: ZHANG, CN: '张三' }, overrides: Partial<CertificateTemplate> = {}): Promise<Holder> {
  const pair = await keys(kind);
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  return { certificate: await ca.issue(subject, spki, overrides), signer: webCryptoSigner(pair.privateKey), privateKey: pair.privateKey };
}

/** The CMS with its SignedData changed by `change` and re-encoded by pkijs; the signature bytes are untouched. */
export function rewritten(cms: Uint8Array, change: (signedData: pkijs.SignedData) => void): Uint8Array {
  const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(exactBuffer(cms)).content });
  change(signedData);
  return new Uint8Array(new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) }).toSchema().toBER());
}

/** The same CMS with the outer SEQUENCE's length written in a longer form than DER allows (valid BER). */
export function longFormLength(cms: Uint8Array): Uint8Array {
  const octets = cms[1]! & 0x7f;
  const out = new Uint8Array(cms.length + 1);
  out.set([0x30, 0x80 | (octets + 1), 0x00]);
  out.set(cms.subarray(2), 3);
  return out;
}

/** The same CMS with the outer SEQUENCE in indefinite-length form (valid BER, never DER). */
export function indefiniteLength(cms: Uint8Array): Uint8Array {
  const header = 2 + (cms[1]! & 0x7f);
  const body = cms.subarray(header);
  const out = new Uint8Array(2 + body.length + 2);
  out.set([0x30, 0x80]);
  out.set(body, 2);
  return out;
}

/** The offset of the last `needle` in `haystack` (the signer info comes after the certificates). */
export function lastIndexOf(haystack: Uint8Array, needle: number[]): number {
  outer: for (let i = haystack.length - needle.length; i >= 0; i--) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** A copy of `bytes` with the byte at `at` XORed with `mask`. */
export function flipped(bytes: Uint8Array, at: number, mask = 0x01): Uint8Array {
  const out = bytes.slice();
  out[at] = out[at]! ^ mask;
  return out;
}

export interface Corpus {
  ca: TestCa;
  now: Date;
  cases: CorpusCase[];
  /** Good signatures, to mutate. */
  goods: CorpusCase[];
}

/** Builds the corpus: a few seconds of key generation and signing. */
export async function buildCorpus(): Promise<Corpus> {
  const ca = await createTestCa();
  const other = await createTestCa();
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const zhang = await holder(ca);
  const li = await holder(ca, 'P-256', { C: 'CN', serialNumber: LI, CN: '李四' });
  const rsa = await holder(ca, 'RSA-2048');
  const p384 = await holder(ca, 'P-384');
  const options = (extra: Partial<VerifyOptions> = {}): VerifyOptions => ({ content: DECLARATION, expectedSigner: { serialNumber: ZHANG }, trustedRoots: [ca.root], now, ...extra }) as VerifyOptions;
  const byDigest = async (extra: Partial<VerifyOptions> = {}): Promise<VerifyOptions> => ({ contentDigest: await sha256(DECLARATION), expectedSigner: { serialNumber: ZHANG }, trustedRoots: [ca.root], now, ...extra }) as VerifyOptions;
  const sign = (h: Holder, extra: Partial<Parameters<typeof createSignedData>[0]> = {}) => createSignedData({ content: DECLARATION, certificate: h.certificate, signingTime: now, ...extra }, h.signer);
  const hostile = (h: Holder, extra: Partial<Parameters<typeof hostileSignedData>[0]> = {}) => hostileSignedData({ content: DECLARATION, certificate: h.certificate, privateKey: h.privateKey, hash: 'SHA-256', ...extra });

  const detached = await sign(zhang);
  const attached = await sign(zhang, { attached: true });
  const rsaDetached = await sign(rsa);
  const goods: CorpusCase[] = [
    { name: 'P-256 detached', cms: detached, options: options(), fast: true },
    { name: 'P-256 attached', cms: attached, options: options(), fast: true },
    { name: 'RSA-2048 detached', cms: rsaDetached, options: options(), fast: true },
  ];

  const intermediate = await ca.intermediate({ C: 'CN', O: 'sicert test', CN: 'sicert Test Issuing CA' });
  const below = await holder(intermediate);
  const expired = await holder(ca, 'P-256', { serialNumber: ZHANG, CN: '张三' }, { notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() - HOUR) });
  const future = await holder(ca, 'P-256', { serialNumber: ZHANG, CN: '张三' }, { notBefore: new Date(now.getTime() + DAY), notAfter: new Date(now.getTime() + 365 * DAY) });
  const encryption = await holder(ca, 'P-256', { serialNumber: ZHANG, CN: '张三' }, { keyUsage: ['keyEncipherment'] });
  const noUsage = await holder(ca, 'P-256', { serialNumber: ZHANG, CN: '张三' }, { keyUsage: [] });
  const timeAt = lastIndexOf(detached, [0x17, 0x0d]);
  const tstInfo = '1.2.840.113549.1.9.16.1.4';

  const cases: CorpusCase[] = [
    ...goods,
    { name: 'by contentDigest, detached', cms: detached, options: await byDigest(), fast: true },
    { name: 'by contentDigest, attached', cms: attached, options: await byDigest(), fast: true },
    { name: 'by contentDigest of other content, attached', cms: attached, options: await byDigest({ contentDigest: await sha256(OTHER) }), fast: true },
    { name: 'tampered content, detached', cms: detached, options: options({ content: OTHER }), fast: true },
    { name: 'tampered content, attached', cms: attached, options: options({ content: OTHER }), fast: true },
    { name: 'messageDigest of other content', cms: await sign(zhang, { content: undefined, digest: await sha256(OTHER) }), options: options(), fast: true },
    { name: 'tampered signed attributes (signingTime)', cms: flipped(detached, timeAt + 2 + 11), options: options({ maxClockSkewMs: 60_000 }), fast: true },
    { name: 'tampered signature, ECDSA', cms: flipped(detached, detached.length - 1), options: options(), fast: true },
    { name: 'tampered signature, RSA', cms: flipped(rsaDetached, rsaDetached.length - 1), options: options(), fast: true },
    { name: 'signed with another key', cms: await sign({ ...zhang, signer: li.signer }), options: options(), fast: true },
    { name: 'wrong signer', cms: await sign(li), options: options(), fast: true },
    { name: 'wrong signer by certificate', cms: await sign(li), options: options({ expectedSigner: { certificate: zhang.certificate } }), fast: true },
    { name: 'right signer by certificate', cms: await sign(li), options: options({ expectedSigner: { certificate: li.certificate } }), fast: true },
    { name: 'expired', cms: await sign(expired), options: options(), fast: true },
    { name: 'not yet valid', cms: await sign(future), options: options(), fast: true },
    { name: 'revoked', cms: detached, options: options({ isRevoked: () => true }), fast: true },
    { name: 'revoked, asynchronously', cms: detached, options: options({ isRevoked: () => Promise.resolve(true) }), fast: true },
    { name: 'wrong key usage', cms: await sign(encryption), options: options(), fast: true },
    { name: 'no key usage', cms: await sign(noUsage), options: options(), fast: true },
    { name: 'extra signers', cms: await hostile(zhang, { signers: 2 }), options: options(), fast: true },
    { name: 'extra certificates', cms: await sign(zhang, { chain: [li.certificate, intermediate.certificate, other.root] }), options: options(), fast: true },
    { name: 'untrusted chain', cms: detached, options: options({ trustedRoots: [other.root] }), fast: true },
    { name: 'no trust anchors', cms: detached, options: options({ trustedRoots: [] }), fast: true },
    { name: 'intermediate CA carried', cms: await sign(below, { chain: [intermediate.certificate] }), options: options(), fast: true },
    { name: 'intermediate CA missing', cms: await sign(below), options: options(), fast: true },
    { name: 'signer certificate missing', cms: rewritten(detached, (sd) => delete sd.certificates), options: options() },
    { name: 'SKI sid', cms: await hostile(zhang, { bySubjectKeyIdentifier: true }), options: options(), fast: true },
    { name: 'SKI sid, wrapped', cms: await hostile(zhang, { bySubjectKeyIdentifier: 'wrapped' }), options: options() },
    { name: 'SHA-1', cms: await hostile(zhang, { hash: 'SHA-1' }), options: options(), fast: true },
    { name: 'MD5 digest algorithm', cms: rewritten(detached, (sd) => (sd.signerInfos[0]!.digestAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: MD5 }))), options: options() },
    { name: 'SHA-384 P-384', cms: await hostile(p384, { hash: 'SHA-384' }), options: options(), fast: true },
    { name: 'SHA-512 RSA', cms: await hostile(rsa, { hash: 'SHA-512' }), options: options(), fast: true },
    { name: 'SHA-384 against a contentDigest', cms: await hostile(zhang, { hash: 'SHA-384' }), options: await byDigest(), fast: true },
    { name: 'signing-time skew', cms: await sign(zhang, { signingTime: new Date(now.getTime() - HOUR) }), options: options(), fast: true },
    { name: 'signing time exactly at the skew', cms: await sign(zhang, { signingTime: new Date(now.getTime() - 60_000) }), options: options({ maxClockSkewMs: 60_000 }), fast: true },
    { name: 'repeated signingTime', cms: await hostile(zhang, { repeated: 'signingTime' }), options: options(), fast: true },
    { name: 'multi-valued messageDigest', cms: await hostile(zhang, { multiValued: 'messageDigest' }), options: options(), fast: true },
    { name: 'no signed attributes', cms: await hostile(zhang, { signedAttributes: [] }), options: options(), fast: true },
    { name: 'no signingTime', cms: await hostile(zhang, { signedAttributes: ['contentType', 'messageDigest'] }), options: options(), fast: true },
    { name: 'timestamp content type', cms: await hostile(zhang, { eContentType: tstInfo, attached: true }), options: options(), fast: true },
    { name: 'contentType attribute differs', cms: await hostile(zhang, { contentTypeAttribute: tstInfo }), options: options(), fast: true },
    { name: 'signingTime not a time', cms: rewritten(detached, (sd) => (sd.signerInfos[0]!.signedAttrs!.attributes.find((a) => a.type === OID.signingTime)!.values = [new asn1js.Utf8String({ value: '2026' })])), options: options(), fast: true },
    { name: 'BER: long-form length', cms: longFormLength(detached), options: options() },
    { name: 'BER: indefinite length', cms: indefiniteLength(detached), options: options() },
    { name: 'truncated', cms: detached.subarray(0, detached.length - 7), options: options() },
    { name: 'trailing bytes', cms: new Uint8Array([...detached, 0, 0]), options: options() },
    { name: 'garbage', cms: new Uint8Array(300).map((_, i) => (i * 73 + 11) & 0xff), options: options() },
    { name: 'empty', cms: new Uint8Array(0), options: options() },
    { name: 'a certificate, not a CMS', cms: zhang.certificate, options: options() },
  ];
  return { ca, now, cases, goods };
}
