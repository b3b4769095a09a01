import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CertificateInfo, Token } from '@sicert/protocol';
import type { CertificateRecord } from '../../src/backend/types.js';
import { actionsFor, badgeOf, certificateKind, daysLeft, groupByToken, normalizeBirthDate, parseName, passwordMatters, renewalAlgorithm, renewalSubject, tokenBirthDate, tokenHolder, validityOf } from '../../src/components/cert-status/cert-status-model.js';
import { pinStrength } from '../../src/components/pin-input/pin-strength.js';

// The status card's decisions without a DOM: the badge, the days left, 个人/单位, the renewal's subject, and what
// is offered for each certificate.
const NOW = new Date('2026-11-29T12:00:00Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();

function cert(notBeforeDays: number, notAfterDays: number, extra: Partial<CertificateInfo> = {}): CertificateInfo {
  return {
    id: 'soft-default/01',
    tokenId: 'soft-default',
    der: 'AA==',
    subject: 'CN=张三,serialNumber=SHA256:0011,C=CN',
    issuer: 'CN=Demo CA',
    serialNumber: '0a1b',
    notBefore: at(notBeforeDays),
    notAfter: at(notAfterDays),
    keyAlgorithm: 'ECDSA-P256',
    hasPrivateKey: true,
    status: 'valid',
    ...extra,
  };
}

function token(locked = false): Token {
  return { id: 'soft-default', provider: 'soft', label: '张三', manufacturer: 'sicert', model: 'software token', serial: '1', pin: { initialized: true, locked, countLow: locked, finalTry: false } };
}

const good: CertificateRecord = { serialNumber: '0a1b', status: 'good' };
const revoked: CertificateRecord = { serialNumber: '0a1b', status: 'revoked', revokedAt: at(-1), revocationReason: 'keyCompromise' };

describe('validity and days left', () => {
  test('valid, expiring from 30 days before the end, expired after it, not yet valid before the start', () => {
    assert.equal(validityOf(cert(-10, 31), NOW), 'valid');
    assert.equal(validityOf(cert(-10, 30), NOW), 'expiring');
    assert.equal(validityOf(cert(-10, 10), NOW), 'expiring');
    assert.equal(validityOf(cert(-400, -0.001), NOW), 'expired');
    assert.equal(validityOf(cert(0.001, 400), NOW), 'notYetValid');
  });

  test('days left round up: hours left count as a day', () => {
    assert.equal(daysLeft(at(10), NOW), 10);
    assert.equal(daysLeft(at(0.1), NOW), 1);
    assert.equal(daysLeft(at(-1.5), NOW), -1);
  });
});

describe('the badge', () => {
  test('revoked beats everything, an ended or future window beats a locked password, which beats expiring', () => {
    assert.equal(badgeOf(cert(-400, -5), token(true), revoked, NOW), 'revoked');
    assert.equal(badgeOf(cert(-400, -5), token(true), good, NOW), 'expired');
    assert.equal(badgeOf(cert(5, 400), token(true), good, NOW), 'notYetValid');
    assert.equal(badgeOf(cert(-10, 10), token(true), good, NOW), 'locked');
    assert.equal(badgeOf(cert(-10, 10), token(), good, NOW), 'expiring');
    assert.equal(badgeOf(cert(-10, 300), token(), undefined, NOW), 'valid');
    assert.equal(badgeOf(cert(-10, 300), undefined, { serialNumber: '0a1b', status: 'unknown' }, NOW), 'valid');
  });

  test('replaced by its renewal is a badge of its own, not the alarm of a revocation', () => {
    assert.equal(badgeOf(cert(-10, 10), token(), { ...revoked, revocationReason: 'superseded' }, NOW), 'superseded');
    assert.equal(badgeOf(cert(-400, -5), token(true), { ...revoked, revocationReason: 'superseded' }, NOW), 'superseded');
    assert.equal(badgeOf(cert(-10, 10), token(), { ...revoked, revocationReason: 'cessationOfOperation' }, NOW), 'revoked');
  });
});

describe('names', () => {
  test('parseName unescapes values and keeps the first of each attribute', () => {
    assert.deepEqual(parseName('CN=示例\\, 有限公司,O=A\\+B,OU=x,OU=y,C=CN'), { CN: '示例, 有限公司', O: 'A+B', OU: 'x', C: 'CN' });
    assert.deepEqual(parseName(''), {});
  });

  test('单位 for a subject with organizationIdentifier, or named after its O; 个人 otherwise, an O beside a person included', () => {
    assert.equal(certificateKind('CN=示例科技有限公司 (李四),organizationIdentifier=91110000600037341L,O=示例科技有限公司,C=CN'), 'organization');
    assert.equal(certificateKind('CN=某单位,O=某单位'), 'organization');
    assert.equal(certificateKind('CN=张三,serialNumber=SHA256:00,C=CN'), 'personal');
    assert.equal(certificateKind('CN=张三 (演示),serialNumber=SHA256:00,O=sicert 演示,ST=示例省,C=CN'), 'personal');
  });

  test('the renewal subject keeps what a request may carry, and needs a common name', () => {
    assert.deepEqual(renewalSubject('CN=张三,serialNumber=SHA256:00,2.5.4.99=x,ST=示例东省,C=CN'), { CN: '张三', serialNumber: 'SHA256:00', ST: '示例东省', C: 'CN' });
    assert.equal(renewalSubject('O=无名,C=CN'), undefined);
  });

  test('the renewed key keeps its algorithm when the agent makes it, else ECDSA P-256', () => {
    assert.equal(renewalAlgorithm({ keyAlgorithm: 'RSA-2048' }, ['ECDSA-P256', 'RSA-2048']), 'RSA-2048');
    assert.equal(renewalAlgorithm({ keyAlgorithm: 'RSA-2048' }, ['ECDSA-P256']), 'ECDSA-P256');
    assert.equal(renewalAlgorithm({ keyAlgorithm: 'SM2' }, ['ECDSA-P256', 'RSA-2048']), 'ECDSA-P256');
  });
});

describe('what is offered', () => {
  const offer = (c: CertificateInfo, record: CertificateRecord | undefined, canEnrol = true) => actionsFor(c, { badge: badgeOf(c, token(), record, NOW), record, canEnrol });

  test('renewal only in the 30 days before expiry, with its key, while the portal holds it good and the agent can enrol', () => {
    assert.deepEqual(offer(cert(-10, 10), good), ['renew', 'reportLoss']);
    assert.deepEqual(offer(cert(-10, 40), good), ['reportLoss']);
    assert.deepEqual(offer(cert(-10, 10), good, false), ['reportLoss']);
    assert.deepEqual(offer(cert(-10, 10, { hasPrivateKey: false }), good), ['reportLoss']);
    assert.deepEqual(offer(cert(-10, 10), { serialNumber: '0a1b', status: 'unknown' }), []);
    assert.deepEqual(offer(cert(-10, 10), undefined), []);
  });

  test('a revoked certificate is reissued, an expired one applied for again; one superseded by its renewal neither', () => {
    assert.deepEqual(offer(cert(-10, 300), revoked), ['reapply']);
    assert.deepEqual(offer(cert(-400, -5), good), ['reapply']);
    assert.deepEqual(offer(cert(-10, 10), { ...revoked, revocationReason: 'superseded' }), []);
  });

  test("nothing done in the holder's name on a certificate the portal says is someone else's (mine: false)", () => {
    assert.deepEqual(offer(cert(-10, 10), { ...good, mine: false }), []);
    assert.deepEqual(offer(cert(-10, 300), { ...revoked, mine: false }), []);
    assert.deepEqual(offer(cert(-400, -5), { ...good, mine: false }), []);
    // Said to be the signed-in person's, or not said (no session, an older backend): offered as before.
    assert.deepEqual(offer(cert(-10, 10), { ...good, mine: true }), ['renew', 'reportLoss']);
    assert.deepEqual(offer(cert(-10, 300), { ...revoked, mine: true }), ['reapply']);
  });
});

describe("a token's password", () => {
  test('matters while the token holds no certificate yet, or one that is neither revoked, replaced nor expired', () => {
    assert.equal(passwordMatters([]), true);
    assert.equal(passwordMatters(['superseded', 'valid']), true);
    assert.equal(passwordMatters(['locked']), true);
    assert.equal(passwordMatters(['notYetValid']), true);
    assert.equal(passwordMatters(['revoked', 'superseded', 'expired']), false);
  });

  test("the birth-date rule uses the signed-in holder's, unless the portal says every certificate there is someone else's", () => {
    const mine = { ...good, mine: true };
    const theirs = { ...good, mine: false };
    assert.equal(tokenBirthDate('19491231', []), '19491231');
    assert.equal(tokenBirthDate('19491231', [undefined, good]), '19491231');
    assert.equal(tokenBirthDate('19491231', [theirs, mine]), '19491231');
    assert.equal(tokenBirthDate('19491231', [theirs, undefined]), undefined);
    assert.equal(tokenBirthDate(undefined, [mine]), undefined);
  });

  test('a birth date is taken as YYYYMMDD or YYYY-MM-DD, and nothing else', () => {
    assert.equal(normalizeBirthDate('19491231'), '19491231');
    assert.equal(normalizeBirthDate(' 1949-12-31 '), '19491231');
    for (const bad of ['1949/12/31', '491231', '11010519491231002X', '', null, undefined]) assert.equal(normalizeBirthDate(bad), undefined, String(bad));
  });
});

describe('grouping', () => {
  test('certificates under their tokens in the agent order; only an initialised USB-Key shows without certificates', () => {
    const usb: Token = { ...token(), id: 'usb-1', provider: 'pkcs11', label: 'U盾' };
    const blank: Token = { ...usb, id: 'usb-2', pin: { ...usb.pin, initialized: false } };
    const emptySoft: Token = { ...token(), id: 'soft-2' };
    const groups = groupByToken([usb, blank, emptySoft, token()], [cert(-1, 300), cert(-1, 300, { id: 'gone/01', tokenId: 'gone' })]);
    assert.deepEqual(
      groups.map((g) => [g.tokenId, g.certificates.length]),
      [
        ['usb-1', 0],
        ['soft-default', 1],
        ['gone', 1],
      ],
    );
  });
});

describe('token titles', () => {
  const soft = token();
  const usb: Token = { ...token(), provider: 'pkcs11', label: '张三的U盾' };
  const named = (cn: string) => cert(-1, 300, { subjectCommonName: cn });

  test("on this computer the one holder its certificates name, else the label; a USB-Key by its label", () => {
    assert.equal(tokenHolder({ tokenId: 'soft-default', token: { ...soft, label: '本机证书 (演示)' }, certificates: [named('张三 (演示)')] }), '张三 (演示)');
    assert.equal(tokenHolder({ tokenId: 'soft-default', token: soft, certificates: [named('张三'), named('示例科技有限公司')] }), '张三');
    assert.equal(tokenHolder({ tokenId: 'soft-default', token: { ...soft, label: '李四' }, certificates: [] }), '李四');
    assert.equal(tokenHolder({ tokenId: 'usb-1', token: usb, certificates: [named('张三')] }), '张三的U盾');
    assert.equal(tokenHolder({ tokenId: 'gone', token: undefined, certificates: [] }), 'gone');
  });
});

describe('the password meter', () => {
  test('empty, refused by the policy, acceptable, strong from 10 characters', () => {
    assert.equal(pinStrength(''), 'empty');
    assert.equal(pinStrength('123456'), 'refused');
    assert.equal(pinStrength('abc123'), 'refused');
    assert.equal(pinStrength('Kq7m2x'), 'ok');
    assert.equal(pinStrength('Kq7m2xWp4n'), 'strong');
    assert.equal(pinStrength('Kq19491231x', '19491231'), 'refused');
  });
});
