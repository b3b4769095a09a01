import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CertificateInfo } from '@sicert/protocol';
import type { CertificateRecord } from '../../src/backend/types.js';
import { canSign } from '../../src/components/cert-picker/can-sign.js';
import { lookUpRecords, preferredCertificate } from '../../src/components/signer/signer-status.js';

// The signer's choice without a DOM: which certificates can sign given what the portal says, and which is preselected.
function cert(serialNumber: string, extra: Partial<CertificateInfo> = {}): CertificateInfo {
  return {
    ...{ id: `soft-1/${serialNumber}`, tokenId: 'soft-1', der: 'AA==', subject: 'CN=张三', issuer: 'CN=Demo CA', serialNumber },
    ...{ notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-01-01T00:00:00Z', keyAlgorithm: 'ECDSA-P256', hasPrivateKey: true, status: 'valid' },
    ...extra,
  };
}
const record = (serialNumber: string, status: CertificateRecord['status'], revocationReason?: CertificateRecord['revocationReason']): CertificateRecord => ({
  serialNumber,
  status,
  ...(revocationReason ? { revocationReason } : {}),
});

describe('the signer and the portal', () => {
  test('a certificate the portal revoked, for any reason, cannot sign; good, unknown or not asked judged by its dates', () => {
    assert.equal(canSign(cert('01'), record('01', 'revoked', 'superseded')), false);
    assert.equal(canSign(cert('01'), record('01', 'revoked', 'keyCompromise')), false);
    assert.equal(canSign(cert('01'), record('01', 'good')), true);
    assert.equal(canSign(cert('01'), record('01', 'unknown')), true);
    assert.equal(canSign(cert('01')), true);
    assert.equal(canSign(cert('01', { status: 'expired' }), record('01', 'good')), false);
  });

  test('preselects one that signs: held good first, then not expiring, then the agent order; never a revoked one', () => {
    const replaced = cert('01', { status: 'expiring' });
    const renewed = cert('02');
    const other = cert('03');
    assert.equal(preferredCertificate([replaced, renewed], { '01': record('01', 'revoked', 'superseded'), '02': record('02', 'good') }), renewed);
    assert.equal(preferredCertificate([replaced, other, renewed], { '03': record('03', 'unknown'), '02': record('02', 'good') }), renewed);
    assert.equal(preferredCertificate([replaced, other], {}), other);
    assert.equal(preferredCertificate([other, renewed], {}), other);
    assert.equal(preferredCertificate([replaced], { '01': record('01', 'revoked', 'superseded') }), undefined);
  });

  test("prefers a certificate the portal does not say is someone else's (mine: false), even a good one listed first", () => {
    const zhang = cert('01');
    const organisation = cert('02', { status: 'expiring' });
    const theirs = { ...record('01', 'good'), mine: false };
    assert.equal(preferredCertificate([zhang, organisation], { '01': theirs, '02': { ...record('02', 'good'), mine: true } }), organisation);
    assert.equal(preferredCertificate([zhang, organisation], { '01': theirs }), organisation);
    // Only another's can sign: it is still offered (the portal's verification is what refuses it).
    assert.equal(preferredCertificate([zhang], { '01': theirs }), zhang);
  });

  test('asks once per serial number; one the portal cannot answer about is left out', async () => {
    const asked: string[] = [];
    const records = await lookUpRecords(
      { certificateStatus: async (serial) => (asked.push(serial), serial === '02' ? Promise.reject(new Error('offline')) : record(serial, 'good')) },
      [cert('01'), cert('02'), cert('01', { id: 'usb-1/01', tokenId: 'usb-1' })],
    );
    assert.deepEqual(asked, ['01', '02']);
    assert.deepEqual(records, { '01': record('01', 'good') });
  });
});
