import { html, nothing, type TemplateResult } from 'lit';
import type { CertificateInfo, Token } from '@sicert/protocol';
import type { CertificateRecord } from '../../backend/types.js';
import { formatDate } from '../../internal/format.js';
import type { TranslationKey } from '../../internal/localize.js';
import type { ReapplyReason } from '../../events.js';
import { actionsFor, badgeOf, certificateKind, daysLeft, passwordMatters, tokenHolder, type Badge, type TokenGroup } from './cert-status-model.js';

/** What the portal could say about a certificate: its record, or that it could not be asked. */
export type RecordLookup = CertificateRecord | 'unavailable';

/**
 * The outcome of an action (renewed, reported lost), shown beside what it concerns — the certificate with this
 * serial number when the card lists it, else its token — rather than at the foot of a long card.
 */
export interface Outcome {
  tokenId: string;
  serialNumber?: string;
  text: string;
}

/** What the card's renderers read and what they may ask for; the element builds one per render. */
export interface StatusView {
  t(key: TranslationKey, values?: Record<string, string | number>): string;
  readonly now: Date;
  readonly hotline: string;
  readonly busy: boolean;
  /** The agent serves `pin.change`. */
  readonly canChangePin: boolean;
  /** The agent serves what a renewal needs. */
  readonly canEnrol: boolean;
  /** The last action's outcome, until the next action. */
  readonly outcome: Outcome | undefined;
  record(serialNumber: string): RecordLookup | undefined;
  changePin(token: Token, opener: HTMLElement): void;
  renew(cert: CertificateInfo, opener: HTMLElement): void;
  reportLoss(cert: CertificateInfo, opener: HTMLElement): void;
  reapply(cert: CertificateInfo, reason: ReapplyReason): void;
}

/** `USB-Key · 张三的U盾` or `本机 · 张三`. */
export function tokenTitle(v: Pick<StatusView, 't'>, provider: Token['provider'] | undefined, label: string): string {
  return v.t(provider === 'soft' ? 'status.token.computer' : 'status.token.usbKey', { label });
}

const BADGE_TEXT: Record<Badge, TranslationKey> = {
  valid: 'status.badge.valid',
  expiring: 'status.badge.expiring',
  expired: 'status.badge.expired',
  notYetValid: 'status.badge.notYetValid',
  revoked: 'status.badge.revoked',
  superseded: 'status.badge.superseded',
  locked: 'status.badge.locked',
};

/** The sentence under a certificate: what its badge means and what to do, or what the portal could not say. */
function note(v: StatusView, cert: CertificateInfo, badge: Badge, lookup: RecordLookup | undefined): TemplateResult | typeof nothing {
  const line = (key: TranslationKey, kind: string, values?: Record<string, string | number>) => html`<p part="note" class="note ${kind}">${v.t(key, values)}</p>`;
  if (badge === 'superseded') return line('status.note.superseded', 'muted');
  if (badge === 'revoked') return line('status.note.revoked', 'bad', { date: lookup !== 'unavailable' && lookup?.revokedAt ? formatDate(lookup.revokedAt) : '' });
  if (badge === 'expired') return line('status.note.expired', 'bad', { date: formatDate(cert.notAfter) });
  if (badge === 'notYetValid') return line('status.note.notYetValid', 'muted', { date: formatDate(cert.notBefore) });
  if (badge === 'expiring') return line('status.note.expiring', 'warn', { n: Math.max(daysLeft(cert.notAfter, v.now), 0), date: formatDate(cert.notAfter) });
  if (!cert.hasPrivateKey) return line('status.note.noKey', 'muted');
  return nothing;
}

/**
 * A second sentence when the portal did not issue the certificate, could not be asked about it, or says it is not
 * the signed-in person's: why the card offers no loss report, renewal or reissue for it.
 */
function recordNote(v: StatusView, badge: Badge, lookup: RecordLookup | undefined): TemplateResult | typeof nothing {
  if (lookup === 'unavailable') return html`<p part="note" class="note muted">${v.t('status.note.unavailable')}</p>`;
  if (lookup?.mine === false && badge !== 'superseded') return html`<p part="note" class="note muted not-mine">${v.t('status.note.notMine')}</p>`;
  if (lookup?.status === 'unknown' && badge !== 'expired') return html`<p part="note" class="note muted">${v.t('status.note.foreign')}</p>`;
  return nothing;
}

function certificateActions(v: StatusView, cert: CertificateInfo, badge: Badge, lookup: RecordLookup | undefined): TemplateResult | typeof nothing {
  const record = lookup === 'unavailable' ? undefined : lookup;
  const actions = actionsFor(cert, { badge, record, canEnrol: v.canEnrol });
  if (!actions.length) return nothing;
  const opener = (e: Event) => e.currentTarget as HTMLElement;
  return html`<div class="cert-actions">
    ${actions.includes('renew') ? html`<button type="button" class="primary renew" ?disabled=${v.busy} @click=${(e: Event) => v.renew(cert, opener(e))}>${v.t('status.renew')}</button>` : nothing}
    ${actions.includes('reapply')
      ? html`<button
          type="button"
          class="primary reapply"
          aria-describedby=${v.outcome?.serialNumber === cert.serialNumber ? 'outcome' : nothing}
          @click=${() => v.reapply(cert, badge === 'revoked' ? 'revoked' : 'expired')}
        >
          ${v.t(badge === 'revoked' ? 'status.reapply' : 'status.reapplyExpired')}
        </button>`
      : nothing}
    ${actions.includes('reportLoss') ? html`<button type="button" class="danger report-loss" ?disabled=${v.busy} @click=${(e: Event) => v.reportLoss(cert, opener(e))}>${v.t('status.reportLoss')}</button>` : nothing}
  </div>`;
}

/** A certificate's badge from what the portal said of it, if anything. */
function badgeFor(v: StatusView, cert: CertificateInfo, token: Token | undefined): Badge {
  const lookup = v.record(cert.serialNumber);
  return badgeOf(cert, token, lookup === 'unavailable' ? undefined : lookup, v.now);
}

/**
 * The outcome of the last action, where it happened. `role="status"` announces it; the card also moves focus to it
 * (or, after a loss report, to 补办, which it describes) because the button that started the action is gone.
 */
function outcome(v: StatusView): TemplateResult {
  return html`<p part="result" class="result" id="outcome" role="status" tabindex="-1">${v.outcome?.text}</p>`;
}

/** One certificate: holder and badge, its facts, what the badge means, and what can be done. */
function renderCertificate(v: StatusView, cert: CertificateInfo, token: Token | undefined): TemplateResult {
  const lookup = v.record(cert.serialNumber);
  const badge = badgeFor(v, cert, token);
  const left = daysLeft(cert.notAfter, v.now);
  const showLeft = badge === 'valid' || badge === 'expiring' || badge === 'locked';
  return html`<li part="certificate" class="cert ${badge}" data-serial=${cert.serialNumber} data-badge=${badge}>
    <div class="cert-head">
      <span class="holder">${cert.subjectCommonName ?? cert.subject}</span>
      <span part="badge" class="badge ${badge}">${v.t(BADGE_TEXT[badge])}</span>
    </div>
    <dl class="facts">
      <dt>${v.t('status.field.kind')}</dt>
      <dd class="kind">${v.t(certificateKind(cert.subject) === 'organization' ? 'status.kind.organization' : 'status.kind.personal')}</dd>
      <dt>${v.t('status.field.issuer')}</dt>
      <dd>${cert.issuerCommonName ?? cert.issuer}</dd>
      <dt>${v.t('status.field.serial')}</dt>
      <dd class="serial">${cert.serialNumber}</dd>
      <dt>${v.t('status.field.validity')}</dt>
      <dd class="validity">
        ${v.t('status.validity', { from: formatDate(cert.notBefore), to: formatDate(cert.notAfter) })}${showLeft ? v.t('status.daysLeft', { n: Math.max(left, 0) }) : ''}
      </dd>
    </dl>
    ${note(v, cert, badge, lookup)} ${recordNote(v, badge, lookup)} ${v.outcome?.serialNumber === cert.serialNumber ? outcome(v) : nothing}
    ${certificateActions(v, cert, badge, lookup)}
  </li>`;
}

/**
 * What the token's PIN state means: locked (where to go, by medium), or the tries left after a wrong one. Once every
 * certificate on it has ended, a locked or mistyped password no longer matters: the card says there is nothing left
 * to unlock rather than sending the citizen to report a certificate already revoked.
 */
function pinNotice(v: StatusView, token: Token, matters: boolean): TemplateResult | typeof nothing {
  if (token.damaged) return html`<p part="notice" class="notice bad" role="alert">${v.t('reason.TOKEN_DAMAGED')}</p>`;
  if (!matters) return html`<p part="notice" class="notice muted">${v.t('status.token.nothingLive')}</p>`;
  if (token.pin.locked) {
    return html`<p part="notice" class="notice bad">${v.t(token.provider === 'soft' ? 'status.locked.computer' : 'status.locked.usbKey', { hotline: v.hotline })}</p>`;
  }
  if (token.pin.finalTry) return html`<p part="notice" class="notice warn">${v.t('status.token.finalTry')}</p>`;
  if (token.pin.countLow && token.pin.retriesLeft !== undefined) return html`<p part="notice" class="notice warn">${v.t('status.token.retries', { n: token.pin.retriesLeft })}</p>`;
  return nothing;
}

/**
 * Change password (when the agent can, the token is usable and its password still protects a live certificate) and
 * the forgotten-password help, by medium.
 */
function tokenActions(v: StatusView, token: Token, matters: boolean): TemplateResult | typeof nothing {
  if (token.damaged || !token.pin.initialized || !matters) return nothing;
  const soft = token.provider === 'soft';
  const change = token.pin.locked
    ? nothing
    : v.canChangePin
      ? html`<button type="button" class="change-pin" ?disabled=${v.busy} @click=${(e: Event) => v.changePin(token, e.currentTarget as HTMLElement)}>${v.t('status.changePin')}</button>`
      : html`<p class="hint">${v.t('status.changePinUnsupported')}</p>`;
  // A locked token's notice already says what to do: the forgotten-password help would say it twice.
  const forgot = token.pin.locked
    ? nothing
    : html`<details class="forgot">
        <summary>${v.t('status.forgot')}</summary>
        <p>${v.t(soft ? 'status.forgot.computer' : 'status.forgot.usbKey', { hotline: v.hotline })}</p>
      </details>`;
  return html`<div class="token-actions">${change} ${forgot}</div>`;
}

/** One token (USB-Key or this computer) with its PIN state, its certificates and its actions. */
export function renderTokenGroup(v: StatusView, group: TokenGroup, index: number): TemplateResult {
  const { token } = group;
  const provider = token?.provider ?? group.certificates[0]?.provider;
  const matters = passwordMatters(group.certificates.map((cert) => badgeFor(v, cert, token)));
  const shownHere = v.outcome?.tokenId === group.tokenId && !group.certificates.some((c) => c.serialNumber === v.outcome?.serialNumber);
  return html`<section part="token" class="token" data-token-id=${group.tokenId} aria-labelledby="token-${index}">
    <div class="token-head">
      <h3 id="token-${index}">${tokenTitle(v, provider, tokenHolder(group))}</h3>
      ${token?.provider === 'pkcs11' ? html`<span class="hint">${v.t('status.token.meta', { manufacturer: token.manufacturer, model: token.model, serial: token.serial })}</span>` : nothing}
    </div>
    ${token ? pinNotice(v, token, matters) : nothing} ${shownHere ? outcome(v) : nothing}
    ${group.certificates.length
      ? html`<ul class="certs">
          ${group.certificates.map((cert) => renderCertificate(v, cert, token))}
        </ul>`
      : html`<p class="hint">${v.t('status.token.noCertificates')}</p>`}
    ${token ? tokenActions(v, token, matters) : nothing}
  </section>`;
}
