// What the demo's lifecycle tests share: a browser-like session on the portal, and certificates from the demo CA
// for real WebCrypto keys, with the validity a test needs, recorded as the approval records them.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createCertificationRequest, fromBase64, parseCertificate, parseCrl, serialNumberHex, toBase64, webCryptoSigner, type MessageSigner, type NameAttributes } from '@sicert/pki';
import { subjectSerial } from '../../server/applications-api.js';
import type { RunningDemo } from '../../server/demo.js';
import type { CrlInfo } from '@sicert/pki';

export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201c5a5a0a40000000049454e44ae426082', 'hex');
export const DAY = 86_400_000;

export const ZHANG = { name: '张三', idNumber: '11010519491231002X', cardNumber: 'A12345678', mobile: '13800138000' };
export const LI = { name: '李四', idNumber: '360426199101010071', cardNumber: 'B87654321', mobile: '13912345678' };
export const ORG = { orgName: '示例科技有限公司', creditCode: '91110000600037341L' };

export type Body = Record<string, unknown>;

/** How a state-changing request from elsewhere arrives: another origin, no Origin at all, a cross-site fetch. */
export const CROSS_SITE_HEADERS: readonly Record<string, string>[] = [{ origin: 'http://evil.example' }, { origin: '' }, { 'sec-fetch-site': 'cross-site' }];
export interface Answer {
  status: number;
  body: Body;
  text: string;
  type: string | null;
}
export type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Answer>;

/** A session with its own sign-in cookie and the portal's Origin; an empty header value leaves the header out. */
export async function session(demo: RunningDemo, idNumber?: string): Promise<{ call: Call }> {
  let cookie = '';
  const call: Call = async (method, path, body, headers = {}) => {
    // An empty header value leaves the header out: how a non-browser client or an old browser posts.
    const all = Object.entries({ 'content-type': 'application/json', origin: demo.portalUrl, cookie, ...headers }).filter(([, v]) => v !== '');
    // A string body goes as it is (a malformed request); anything else as JSON.
    const payload = body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) };
    const response = await fetch(`${demo.portalUrl}${path}`, { method, headers: Object.fromEntries(all), ...payload });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0]!;
    const text = await response.text();
    let json: Body = {};
    try {
      json = JSON.parse(text) as Body;
    } catch {
      json = {};
    }
    return { status: response.status, body: json, text, type: response.headers.get('content-type') };
  };
  if (idNumber) assert.equal((await call('POST', '/api/demo/login', { idNumber })).status, 200);
  return { call };
}

/** A real ECDSA P-256 key pair in WebCrypto: its SubjectPublicKeyInfo and a signer for CSRs and CMS. */
export async function newKey(): Promise<{ spki: Uint8Array; signer: MessageSigner }> {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  return { spki: new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey)), signer: webCryptoSigner(keys.privateKey) };
}

/** A PKCS#10 request for a key, base64, as `csr.create` returns it. */
export async function csrFor(key: { spki: Uint8Array; signer: MessageSigner }, cn = '张三'): Promise<string> {
  return toBase64(await createCertificationRequest({ CN: cn }, key.spki, key.signer));
}

export interface Issued {
  der: Uint8Array;
  serial: string;
}

/**
 * A certificate of the demo CA for `person` (or, with `organization`, for the organisation they handle), valid
 * from `notBefore` to `notAfter`, recorded as an approval records it (holder, owner) but with no application:
 * the demo CA's test-only validity override, never reachable over HTTP.
 */
export async function issueTo(demo: RunningDemo, person: { name: string; idNumber: string }, spki: Uint8Array, validity: { notBefore: Date; notAfter: Date }, organization?: typeof ORG): Promise<Issued> {
  const subject: NameAttributes = organization
    ? { C: 'CN', ST: '示例东省 (Demo East)', O: organization.orgName, organizationIdentifier: organization.creditCode, CN: `${organization.orgName} (${person.name})` }
    : { C: 'CN', ST: '示例东省 (Demo East)', serialNumber: subjectSerial(person.idNumber), CN: person.name };
  const der = await demo.ca.issue(subject, spki, 2, validity);
  const serial = serialNumberHex(parseCertificate(der));
  await demo.certificates.record({ serial, subject: organization?.orgName ?? person.name, der, holder: organization?.creditCode ?? person.idNumber, owner: person.idNumber, applicationId: null });
  return { der, serial };
}

/** A validity window ending `days` from now (negative: already expired). */
export function endingIn(days: number): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 400 * DAY), notAfter: new Date(now + days * DAY) };
}

/** A complete personal application body for `person` in demo-east, with its own uploads and face check. */
export async function applicationBody(s: { call: Call }, person: typeof ZHANG, key: string, medium: 'computer' | 'usb-key' = 'computer'): Promise<Body> {
  const upload = async (kind: string) => String((await s.call('POST', '/api/sicert/v1/uploads', { region: 'demo-east', kind, fileName: `${kind}.png`, data: PNG.toString('base64') })).body.uploadId);
  const face = await s.call('POST', '/api/demo/face-checks', { idNumber: person.idNumber, applicationKey: key, outcome: 'pass' });
  const materials = [{ kind: 'id-front', uploadId: await upload('id-front') }, { kind: 'id-back', uploadId: await upload('id-back') }];
  return { region: 'demo-east', type: 'personal', applicant: person, materials, face: { token: face.body.token }, medium, tokenId: medium === 'computer' ? 'soft-default' : 'usb-1', csr: await csrFor(await newKey(), person.name) };
}

/** Submits a fresh application of `person`'s; answers the server's reply. */
export async function submit(s: { call: Call }, person: typeof ZHANG, medium: 'computer' | 'usb-key' = 'computer'): Promise<Answer> {
  const key = randomUUID();
  return s.call('POST', '/api/sicert/v1/applications', await applicationBody(s, person, key, medium), { 'Idempotency-Key': key });
}

/**
 * Finishes the signed-in person's open application as staff would — rejects one that awaits a decision, revokes
 * the certificate of an approved one (注销) — so that they may apply again: one open application per person.
 */
export async function finishOpen(s: { call: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: Body }> }): Promise<void> {
  const { body: current } = await s.call('GET', '/api/sicert/v1/applications/current');
  if (current.kind === 'renewal') return;
  if (current.status === 'submitted' || current.status === 'under_review') {
    assert.equal((await s.call('POST', `/console/api/applications/${String(current.id)}/reject`, { reason: '测试：办结' })).status, 200);
  } else if (current.status === 'approved') {
    const serial = serialNumberHex(parseCertificate(fromBase64(String(current.certificate))));
    assert.equal((await s.call('POST', `/console/api/hall/certificates/${serial}/revocation`, { reason: 'cessationOfOperation' })).status, 200);
  }
}

/** The latest CRL the portal stored: what a revocation published, before any fetch could reissue one. */
export async function storedCrl(demo: RunningDemo): Promise<CrlInfo> {
  const row = await demo.db.sql.get<{ der: Buffer }>('SELECT der FROM crls ORDER BY number DESC LIMIT 1');
  assert.ok(row, 'no CRL stored yet');
  return parseCrl(row.der);
}
