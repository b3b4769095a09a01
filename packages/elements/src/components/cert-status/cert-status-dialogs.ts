import { html, nothing, type TemplateResult } from 'lit';
import type { CertificateInfo } from '@sicert/protocol';
import type { RegionProfile } from '../../backend/types.js';
import type { TranslationKey } from '../../internal/localize.js';
import type { RenewalStep } from './cert-renewal.js';

/** A dialog's moment: the certificate it is about, whether it works, and what went wrong. */
export interface DialogState {
  cert: CertificateInfo;
  busy: boolean;
  error: string;
}

/** The renewal dialog's moment, with the step it is at. */
export interface RenewalState extends DialogState {
  step: RenewalStep | undefined;
}

/** What the dialogs read and may ask for. */
export interface DialogView {
  t(key: TranslationKey, values?: Record<string, string | number>): string;
  readonly renewing: RenewalState | undefined;
  readonly losing: DialogState | undefined;
  readonly profile: RegionProfile | undefined;
  startRenewal(): void;
  confirmLoss(): void;
  /** Closes the dialog with this id (the native `close` event then tidies up). */
  dismiss(id: 'renew-dialog' | 'loss-dialog'): void;
  /** The native dialog closed: Escape, a button, or the card forgetting everything. */
  closed(id: 'renew-dialog' | 'loss-dialog'): void;
}

const STEP_TEXT: Record<RenewalStep, TranslationKey> = {
  generating: 'status.renew.generating',
  submitting: 'status.renew.submitting',
  installing: 'status.renew.installing',
};

/** A modal dialog that Escape closes unless it is working (a renewal half done must not vanish from view). */
function dialog(v: DialogView, id: 'renew-dialog' | 'loss-dialog', busy: boolean, body: TemplateResult): TemplateResult {
  return html`<dialog
    id=${id}
    part="dialog"
    aria-labelledby="${id}-title"
    @cancel=${(e: Event) => busy && e.preventDefault()}
    @close=${() => v.closed(id)}
  >
    ${body}
  </dialog>`;
}

function messages(state: DialogState | undefined, progress?: string): TemplateResult {
  return html`${state?.error ? html`<p part="error" class="error" role="alert">${state.error}</p>` : nothing}
  ${progress ? html`<p class="hint" role="status">${progress}</p>` : nothing}`;
}

/** Renewal: what will happen, the certificate password, and the progress of each step. */
export function renderRenewDialog(v: DialogView): TemplateResult {
  const r = v.renewing;
  const medium = v.t(r?.cert.provider === 'soft' ? 'status.renew.computer' : 'status.renew.usbKey');
  return dialog(
    v,
    'renew-dialog',
    r?.busy ?? false,
    html`<h2 id="renew-dialog-title">${v.t('status.renew.title')}</h2>
      ${r ? html`<p class="subtitle">${r.cert.subjectCommonName ?? r.cert.subject}</p>` : nothing}
      <p class="hint">${v.t('status.renew.intro', { medium })}</p>
      <sicert-pin-input data-name="renew" ?disabled=${r?.busy ?? false} @sicert-pin-submit=${() => v.startRenewal()}></sicert-pin-input>
      ${messages(r, r?.busy && r.step ? v.t(STEP_TEXT[r.step]) : '')}
      <div class="actions">
        <button type="button" class="cancel" ?disabled=${r?.busy ?? false} @click=${() => v.dismiss('renew-dialog')}>${v.t('status.cancel')}</button>
        <button type="button" class="primary start-renewal" ?disabled=${r?.busy ?? false} @click=${() => v.startRenewal()}>${v.t('status.renew.start')}</button>
      </div>`,
  );
}

/** Loss report: that it cannot be undone, that a reissue follows (with the region's fee), and a confirmation. */
export function renderLossDialog(v: DialogView): TemplateResult {
  const l = v.losing;
  const fee = v.profile ? v.t('status.loss.fee', { fee: v.profile.fees.reissue }) : '';
  return dialog(
    v,
    'loss-dialog',
    l?.busy ?? false,
    html`<h2 id="loss-dialog-title">${v.t('status.loss.title')}</h2>
      ${l ? html`<p class="subtitle">${l.cert.subjectCommonName ?? l.cert.subject} · ${l.cert.serialNumber}</p>` : nothing}
      <p>${v.t('status.loss.intro')}</p>
      <p class="hint">${v.t('status.loss.reissue', { fee })}</p>
      ${messages(l, l?.busy ? v.t('status.loss.reporting') : '')}
      <div class="actions">
        <button type="button" class="cancel" ?disabled=${l?.busy ?? false} @click=${() => v.dismiss('loss-dialog')}>${v.t('status.cancel')}</button>
        <button type="button" class="danger confirm-loss" ?disabled=${l?.busy ?? false} @click=${() => v.confirmLoss()}>${v.t('status.loss.confirm')}</button>
      </div>`,
  );
}
