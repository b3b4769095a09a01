import pkcs11js from 'pkcs11js';
import { certificateFields, toHex } from '@sicert/pki/light';
import { findObjects, type Session } from './pkcs11-session.js';

/** A holder's certificate object on a token: its handle, DER and CKA_ID (hex). */
export interface CertificateObject {
  handle: pkcs11js.Handle;
  der: Buffer;
  keyId: string;
}

/** X.509 certificates that belong to a key (they carry a CKA_ID), all of them or those of one key. */
function certificateObjects(session: Session, keyId?: Buffer): CertificateObject[] {
  const template: pkcs11js.Template = [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
    ...(keyId ? [{ type: pkcs11js.CKA_ID, value: keyId }] : []),
  ];
  return findObjects(session, template).flatMap((handle) => {
    const [value, id] = session.lib.C_GetAttributeValue(session.handle, handle, [{ type: pkcs11js.CKA_VALUE }, { type: pkcs11js.CKA_ID }]);
    // A certificate without CKA_ID is an authority of the chain, not one of the holder's.
    if (!(value?.value instanceof Buffer) || !(id?.value instanceof Buffer) || id.value.length === 0) return [];
    return [{ handle, der: value.value, keyId: toHex(id.value) }];
  });
}

function validity(der: Buffer): [number, number] {
  try {
    const fields = certificateFields(der);
    return [fields.notBefore.getTime(), fields.notAfter.getTime()];
  } catch {
    return [-Infinity, -Infinity]; // unreadable: never preferred over a readable one
  }
}

/**
 * The certificate to show for a key when several share its CKA_ID, which happens only after a crash between
 * storing a new certificate and removing the old one: the latest notBefore (the renewal), then the latest
 * notAfter, then the greater DER, so every process makes the same choice. The next install removes the others.
 */
export function newest(objects: CertificateObject[]): CertificateObject | undefined {
  // The usual case, one certificate per key, needs no parsing (a few milliseconds a certificate with pkijs).
  if (objects.length <= 1) return objects[0];
  let best: CertificateObject | undefined;
  let bestValidity: [number, number] = [-Infinity, -Infinity];
  for (const candidate of objects) {
    const v = validity(candidate.der);
    const later = v[0] !== bestValidity[0] ? v[0] > bestValidity[0] : v[1] !== bestValidity[1] ? v[1] > bestValidity[1] : !best || Buffer.compare(candidate.der, best.der) > 0;
    if (!best || later) {
      best = candidate;
      bestValidity = v;
    }
  }
  return best;
}

/** One certificate per key on the token (see {@link newest}). */
export function holderCertificates(session: Session): CertificateObject[] {
  const byKey = new Map<string, CertificateObject[]>();
  for (const object of certificateObjects(session)) byKey.set(object.keyId, [...(byKey.get(object.keyId) ?? []), object]);
  return [...byKey.values()].map((objects) => newest(objects)!);
}

/** The certificate of one key (see {@link newest}). */
export function holderCertificate(session: Session, keyId: Buffer): CertificateObject | undefined {
  return newest(certificateObjects(session, keyId));
}

/** The attributes every stored X.509 certificate carries: public, permanent, filed under its names. */
function certificateTemplate(der: Uint8Array): pkcs11js.Template {
  const fields = certificateFields(der);
  return [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: false },
    { type: pkcs11js.CKA_SUBJECT, value: Buffer.from(fields.subject) },
    { type: pkcs11js.CKA_VALUE, value: Buffer.from(der) },
  ];
}

/**
 * Stores `der` as the certificate of key `keyId` and then removes the certificates it replaces. New first, old
 * after: a failure or a crash at any point leaves the key with its old or its new certificate, never none.
 */
export function replaceCertificate(session: Session, keyId: Buffer, der: Uint8Array): void {
  const value = Buffer.from(der);
  const previous = certificateObjects(session, keyId);
  const kept = previous.find((o) => o.der.equals(value));
  if (!kept) {
    const fields = certificateFields(der);
    session.lib.C_CreateObject(session.handle, [
      ...certificateTemplate(der),
      { type: pkcs11js.CKA_LABEL, value: fields.commonName ?? 'sicert' },
      { type: pkcs11js.CKA_ID, value: keyId },
      { type: pkcs11js.CKA_ISSUER, value: Buffer.from(fields.issuer) },
      { type: pkcs11js.CKA_SERIAL_NUMBER, value: Buffer.from(fields.serialNumber) },
    ]);
  }
  for (const old of previous) if (old !== kept) session.lib.C_DestroyObject(session.handle, old.handle);
}

/** A CA certificate of the chain, stored once (matched by its DER) as CKA_CERTIFICATE_CATEGORY 2. */
export function storeAuthority(session: Session, der: Uint8Array): void {
  const value = Buffer.from(der);
  if (findObjects(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE }, { type: pkcs11js.CKA_VALUE, value }]).length) return;
  session.lib.C_CreateObject(session.handle, [...certificateTemplate(der), { type: pkcs11js.CKA_CERTIFICATE_CATEGORY, value: 2 }]);
}
