import { html, nothing, type TemplateResult } from 'lit';
import type { WizardStep } from './wizard-flow.js';
import { feeText } from './wizard-fees.js';
import { agentStatus, renderPassword } from './wizard-password-step.js';
import { renderDetails, renderEligibility, renderMaterials, renderType } from './wizard-form-steps.js';
import type { WizardView } from './wizard-view.js';
import { renderWithdrawalQuestion } from './wizard-withdrawal.js';

/** The portal's face check. */
export function renderFace(v: WizardView): TemplateResult {
  return html`<p>${v.t('wizard.face.intro')}</p>
    ${v.faceVerified
      ? html`<p class="ok" role="status">${v.t('wizard.face.passed')}</p>`
      : html`<div><button type="button" class="face" ?disabled=${v.busy} @click=${() => v.verifyFace()}>${v.busy ? v.t('wizard.face.running') : v.t('wizard.face.start')}</button></div>`}`;
}

/** Everything to be submitted, the ID number masked, with fee, review time and validity. */
export function renderReview(v: WizardView): TemplateResult {
  const { form: f, profile: p } = v;
  const rows: [string, string][] = [
    [v.t('wizard.steps.type'), v.t(v.certType === 'personal' ? 'wizard.type.personal' : 'wizard.type.organization')],
    ...(v.certType === 'organization'
      ? ([
          [v.t('wizard.field.orgName'), f.orgName],
          [v.t('wizard.field.creditCode'), f.creditCode],
        ] as [string, string][])
      : []),
    [v.t('wizard.field.name'), f.name],
    [v.t('wizard.field.idNumber'), `${f.idNumber.slice(0, 6)}********${f.idNumber.slice(14)}`],
    [v.t('wizard.field.mobile'), f.mobile],
    [v.t('wizard.medium.legend'), v.t(v.medium === 'computer' ? 'wizard.medium.computer' : 'wizard.medium.usbKey')],
    [v.t('wizard.steps.materials'), new Intl.ListFormat(v.locale, { type: 'conjunction' }).format(v.materials.map((k) => v.t(`material.${k}`)))],
    [v.t('wizard.review.fee'), feeText(v)],
    [v.t('wizard.review.timing'), v.t('wizard.review.timingValue', { min: p?.review.minWorkingDays ?? 1, max: p?.review.maxWorkingDays ?? 3 })],
    [v.t('wizard.review.validity'), v.t('wizard.review.years', { n: p?.certificateYears ?? 1 })],
  ];
  return html`<p>${v.t('wizard.review.intro')}</p>
    <dl class="review">${rows.map(([k, value]) => html`<dt>${k}</dt><dd>${value}</dd>`)}</dl>`;
}

/** The application's status as the backend reports it. */
export function renderStatus(v: WizardView): TemplateResult {
  const app = v.application;
  if (!app) return html``;
  return html`<p class="status ${app.status}" role="status">${v.t(`wizard.status.${app.status}`)}</p>
    <dl class="review">
      <dt>${v.t('wizard.status.number')}</dt>
      <dd>${app.id.slice(0, 8).toUpperCase()}</dd>
      ${app.holder ? html`<dt>${v.t('holder')}</dt><dd>${app.holder}</dd>` : nothing}
    </dl>
    ${app.status === 'submitted' || app.status === 'under_review' ? html`<p>${v.t('wizard.status.expected', { date: app.expectedBy })}</p>` : nothing}
    ${app.status === 'rejected' && app.rejectReason ? html`<p class="error">${v.t('wizard.status.reason', { reason: app.rejectReason })}</p>` : nothing}
    ${v.abandonedKey === 'gone' ? html`<p class="muted key-gone">${v.t('wizard.key.gone')}</p>` : nothing}
    ${v.abandonedKey === 'delete'
      ? html`<p>${v.t('wizard.key.deleteIntro')}</p>
          ${agentStatus(v)}
          <sicert-pin-input .locale=${v.locale} data-name="delete" .label=${v.t('wizard.password.existing')} .hint=${''} ?disabled=${v.busy} @sicert-pin-submit=${() => v.deleteKey()}></sicert-pin-input>
          <div><button type="button" class="delete-key" ?disabled=${v.busy} @click=${() => v.deleteKey()}>${v.t('wizard.key.delete')}</button></div>`
      : nothing}`;
}

/** The approved certificate, installed with the certificate password; once installed, the application is done. */
export function renderInstall(v: WizardView): TemplateResult {
  if (v.application?.status === 'installed') return html`${renderStatus(v)}<p>${v.t('wizard.install.done')}</p>`;
  return html`${renderStatus(v)}
    <p>${v.t('wizard.install.intro')}</p>
    ${agentStatus(v)}
    <sicert-pin-input .locale=${v.locale} data-name="install" ?disabled=${v.busy} @sicert-pin-submit=${() => v.install()}></sicert-pin-input>`;
}

/** Back and Next (Submit on review) before submission; refresh, install or start over after it. */
export function renderActions(v: WizardView): TemplateResult {
  if (v.beforeSubmission) {
    const label = v.step === 'review' ? (v.busy ? v.t('wizard.review.submitting') : v.t('wizard.review.submit')) : v.t('wizard.next');
    return html`<div class="actions">
      ${v.applicationInProgress ? html`<button type="button" class="in-progress" ?disabled=${v.busy} @click=${() => v.openInProgress()}>${v.t('wizard.open.view')}</button>` : nothing}
      <button type="button" class="back" ?hidden=${v.step === 'eligibility'} ?disabled=${v.busy} @click=${() => v.back()}>${v.t('wizard.back')}</button>
      <button type="button" class="primary next" ?disabled=${v.busy} @click=${() => v.next()}>${label}</button>
    </div>`;
  }
  const status = v.application?.status;
  if (status === 'submitted' && v.confirmingWithdrawal) return renderWithdrawalQuestion(v);
  return html`<div class="actions">
    ${status === 'rejected' || status === 'installed' || status === 'withdrawn'
      ? html`<button type="button" class="again" @click=${() => v.startOver()}>${v.t('wizard.status.again')}</button>`
      : html`<button type="button" class="refresh" ?disabled=${v.busy} @click=${() => v.refreshStatus()}>${v.t('wizard.status.refresh')}</button>`}
    ${status === 'submitted' ? html`<button type="button" class="withdraw" ?disabled=${v.busy} @click=${() => v.askWithdrawal()}>${v.t('wizard.status.withdraw')}</button>` : nothing}
    ${status === 'approved'
      ? html`<button type="button" class="primary install" ?disabled=${v.busy} @click=${() => v.install()}>
          ${v.busy ? v.t('wizard.install.installing') : v.t('wizard.install.button')}
        </button>`
      : nothing}
  </div>`;
}

/** The body of each step. */
export const STEP_RENDERERS: Record<WizardStep, (v: WizardView) => TemplateResult> = {
  eligibility: renderEligibility,
  type: renderType,
  details: renderDetails,
  materials: renderMaterials,
  password: renderPassword,
  face: renderFace,
  review: renderReview,
  status: renderStatus,
  install: renderInstall,
};
