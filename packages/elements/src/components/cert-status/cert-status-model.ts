import { SUBJECT_ATTRIBUTES, type CertificateInfo, type KeyAlgorithm, type SubjectAttributes, type Token } from '@sicert/protocol';
import type { CertificateRecord } from '../../backend/types.js';

/** The seed: renew in the month before expiry. The agent's `expiring` status uses the same 30 days. */
export const RENEWAL_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

/** What a certificate's validity window says at a moment. */
export type Validity = 'valid' | 'expiring' | 'expired' | 'notYetValid';

/**
 * The one badge a certificate shows: its validity, or what makes it unusable besides — revoked, replaced by its own
 * renewal (`superseded`: a calm end, not the alarm of a revocation), a locked password.
 */
export type Badge = Validity | 'revoked' | 'superseded' | 'locked';

/** 个人 or 单位. */
export type CertificateKind = 'personal' | 'organization';

/** Whole days until `notAfter`, rounded up (a certificate ending in three hours has one day left); ≤ 0 once past. */
export function daysLeft(notAfter: string, now: Date): number {
  return Math.ceil((Date.parse(notAfter) - now.getTime()) / DAY_MS);
}

/**
 * The validity at `now`, computed here rather than taken from the agent's `status`: a status page stays open, and
 * the badge must agree with the days left it shows beside it.
 */
export function validityOf(cert: Pick<CertificateInfo, 'notBefore' | 'notAfter'>, now: Date): Validity {
  const t = now.getTime();
  const notAfter = Date.parse(cert.notAfter);
  if (t < Date.parse(cert.notBefore)) return 'notYetValid';
  if (t > notAfter) return 'expired';
  return notAfter - t <= RENEWAL_WINDOW_DAYS * DAY_MS ? 'expiring' : 'valid';
}

/**
 * The badge: revoked first (nothing undoes it; superseded when its renewal replaced it), then a window that has
 * ended or not begun, then a locked password (unlocking makes the certificate usable again), then the validity.
 */
export function badgeOf(cert: CertificateInfo, token: Token | undefined, record: CertificateRecord | undefined, now: Date): Badge {
  if (record?.status === 'revoked') return record.revocationReason === 'superseded' ? 'superseded' : 'revoked';
  const validity = validityOf(cert, now);
  if (validity === 'expired' || validity === 'notYetValid') return validity;
  if (token?.pin.locked) return 'locked';
  return validity;
}

/**
 * The attributes of an RFC 4514 name as the agent formats it (`CN=张三,serialNumber=…,C=CN`): unescaped, the first
 * value of each attribute kept. Commas and plus signs inside values come backslash-escaped.
 */
export function parseName(dn: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  let key = '';
  let value = '';
  let inValue = false;
  const flush = () => {
    if (key && !(key in attributes)) attributes[key] = value;
    key = '';
    value = '';
    inValue = false;
  };
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i]!;
    if (c === '\\' && i + 1 < dn.length) {
      const escaped = dn[++i]!;
      if (inValue) value += escaped;
      else key += escaped;
    } else if (c === ',' || c === '+') flush();
    else if (c === '=' && !inValue) inValue = true;
    else if (inValue) value += c;
    else key += c;
  }
  flush();
  return attributes;
}

/**
 * 单位 when the subject identifies an organisation: it carries organizationIdentifier (the credit code), or its
 * common name is the organisation (O) itself. An O beside a person's name is not enough: personal certificates
 * often carry one (the issuer's or the employer's name), as the demo's and the tests' do.
 */
export function certificateKind(subject: string): CertificateKind {
  const name = parseName(subject);
  return name.organizationIdentifier || (name.O && name.O === name.CN) ? 'organization' : 'personal';
}

/**
 * The subject a renewal's request carries: the current certificate's attributes that a request may name (the
 * backend writes the new certificate's subject from its own records anyway). Undefined without a common name.
 */
export function renewalSubject(subject: string): SubjectAttributes | undefined {
  const name = parseName(subject);
  const kept = Object.fromEntries(Object.entries(name).filter(([key, value]) => SUBJECT_ATTRIBUTES.includes(key) && value !== ''));
  return kept.CN ? kept : undefined;
}

/** The algorithm of the renewed key: the current one when the agent makes such keys, else ECDSA P-256. */
export function renewalAlgorithm(cert: Pick<CertificateInfo, 'keyAlgorithm'>, algorithms: readonly string[]): KeyAlgorithm {
  const current = cert.keyAlgorithm;
  return (current === 'ECDSA-P256' || current === 'RSA-2048') && algorithms.includes(current) ? current : 'ECDSA-P256';
}

/** A token with its certificates, in the agent's order; certificates of a token not (or no longer) listed come last. */
export interface TokenGroup {
  tokenId: string;
  token: Token | undefined;
  certificates: CertificateInfo[];
}

/** Groups certificates under their tokens. */
export function groupByToken(tokens: readonly Token[], certificates: readonly CertificateInfo[]): TokenGroup[] {
  const groups = tokens.map((token): TokenGroup => ({ tokenId: token.id, token, certificates: [] }));
  for (const cert of certificates) {
    let group = groups.find((g) => g.tokenId === cert.tokenId);
    if (!group) groups.push((group = { tokenId: cert.tokenId, token: undefined, certificates: [] }));
    group.certificates.push(cert);
  }
  // Without certificates only an initialised USB-Key is worth a section ("plugged in, but empty"): an empty software
  // token is only where one would go, and an uninitialised slot (a blank key, SoftHSM2's free slot) holds nothing.
  return groups.filter((g) => g.certificates.length > 0 || (g.token?.provider === 'pkcs11' && g.token.pin.initialized));
}

/**
 * Whom a token holds certificates for, as its title names it: on this computer, the one holder all its certificates
 * name (a software token is one holder's), else the token's label; a USB-Key goes by its label.
 */
export function tokenHolder(group: Pick<TokenGroup, 'token' | 'certificates' | 'tokenId'>): string {
  const names = new Set(group.certificates.map((c) => c.subjectCommonName ?? ''));
  const [only] = names;
  if (group.token?.provider !== 'pkcs11' && names.size === 1 && only) return only;
  return group.token?.label || group.tokenId;
}

/** What the card offers for one certificate. */
export type CertificateAction = 'renew' | 'reportLoss' | 'reapply';

/** What the card knows about one certificate when it decides what to offer. */
export interface ActionContext {
  badge: Badge;
  /** The portal's answer; undefined while unknown or when it could not be asked. */
  record: CertificateRecord | undefined;
  /** The agent can make a new key, its request, sign and install (`key.generate`, `csr.create`, `sign.data`, `cert.install`). */
  canEnrol: boolean;
}

/**
 * The actions for a certificate: renewal in the 30 days before expiry (with its private key, while the portal that
 * issued it still holds it good); loss report while the portal holds it good and it has not expired; applying again
 * once it is revoked or expired. The portal's own record decides: a certificate it did not issue is neither renewed
 * nor revoked here, and one it says belongs to someone else than the person signed in (`mine: false`) gets none of
 * these: each is done in its holder's name, and the portal would refuse it.
 */
export function actionsFor(cert: CertificateInfo, context: ActionContext): CertificateAction[] {
  const { badge, record } = context;
  if (record?.mine === false) return [];
  const good = record?.status === 'good';
  const actions: CertificateAction[] = [];
  if (badge === 'expiring' && good && cert.hasPrivateKey && context.canEnrol && renewalSubject(cert.subject)) actions.push('renew');
  if (good && badge !== 'expired') actions.push('reportLoss');
  // A certificate superseded by its renewal needs no reissue: the new one is already there.
  if (badge === 'revoked' || badge === 'expired') actions.push('reapply');
  return actions;
}

/** Badges of certificates that will never sign again, whatever the citizen does with the password. */
const ENDED: readonly Badge[] = ['revoked', 'superseded', 'expired'];

/** Whether a certificate still has a use: neither revoked, nor replaced, nor expired. */
export function isLive(badge: Badge): boolean {
  return !ENDED.includes(badge);
}

/**
 * Whether a token's password still protects something: it holds no certificate yet (an initialised USB-Key, ready
 * for one), or at least one that is still live. A token whose every certificate has ended needs no password change,
 * and its forgotten-password help would send the citizen to report a certificate already revoked.
 */
export function passwordMatters(badges: readonly Badge[]): boolean {
  return badges.length === 0 || badges.some(isLive);
}

/**
 * The holder's birth date (YYYYMMDD) that a token's new password may not contain: the signed-in person's, given by
 * the page, unless the portal says every certificate it answered about on this token is someone else's — then it is
 * not this holder's birthday the rule is about, and refusing it would only confuse.
 */
export function tokenBirthDate(birthDate: string | undefined, records: readonly (CertificateRecord | undefined)[]): string | undefined {
  const answered = records.filter((r): r is CertificateRecord => r?.mine !== undefined);
  return answered.length && answered.every((r) => r.mine === false) ? undefined : birthDate;
}

/** `19491231` or `1949-12-31` as YYYYMMDD; undefined for anything else (the rule then cannot apply). */
export function normalizeBirthDate(value: string | null | undefined): string | undefined {
  const digits = value?.trim().replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$1$2$3');
  return digits && /^\d{8}$/.test(digits) ? digits : undefined;
}
