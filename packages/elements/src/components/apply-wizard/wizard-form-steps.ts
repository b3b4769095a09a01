import { html, nothing, type TemplateResult } from 'lit';
import type { CertificateType } from '../../backend/types.js';
import type { TranslationKey } from '../../internal/localize.js';
import type { FieldName } from './wizard-form.js';
import { formatSize, UPLOAD_TYPES } from './wizard-uploads.js';
import type { WizardView } from './wizard-view.js';

/** A labelled text field with its own error message. */
function field(v: WizardView, name: FieldName, type: 'text' | 'tel' = 'text'): TemplateResult {
  const error = v.errors[name];
  return html`<div class="field">
    <label for=${name}>${v.t(`wizard.field.${name}`)}</label>
    <input
      id=${name}
      name=${name}
      type=${type}
      autocomplete="off"
      .value=${v.form[name]}
      aria-invalid=${error ? 'true' : 'false'}
      aria-describedby=${error ? `${name}-error` : nothing}
      ?disabled=${v.busy}
      @input=${(e: Event) => v.input(name, (e.target as HTMLInputElement).value)}
    />
    ${error ? html`<p class="field-error" id="${name}-error">${error}</p>` : nothing}
  </div>`;
}

/** The conditions of the region, then name and ID number. */
export function renderEligibility(v: WizardView): TemplateResult {
  return html`<p>${v.t('wizard.eligibility.intro')}</p>
    <ul class="conditions">
      <li>${v.t('wizard.eligibility.age')}</li>
      <li>${v.t('wizard.eligibility.insured')}</li>
      <li>${v.t('wizard.eligibility.id')}</li>
      <li>${v.t('wizard.eligibility.face')}</li>
      ${v.profile?.requireConfirmedContact ? html`<li>${v.t('wizard.eligibility.contact')}</li>` : nothing}
    </ul>
    <p class="hint">${v.t('wizard.eligibility.check')}</p>
    ${field(v, 'name')} ${field(v, 'idNumber')}`;
}

/** 个人 or 单位, and 委托代办 for a personal certificate. */
export function renderType(v: WizardView): TemplateResult {
  const choice = (type: CertificateType, title: TranslationKey, hint: TranslationKey) =>
    html`<label class="choice"
      ><input type="radio" name="type" .checked=${v.certType === type} @change=${() => v.chooseType(type)} /><span>${v.t(title)}</span
      ><span class="hint">${v.t(hint)}</span></label
    >`;
  return html`${v.insurance ? html`<p class="ok" role="status">${v.t('wizard.eligibility.ok', { insurance: v.insurance })}</p>` : nothing}
    <fieldset>
      <legend>${v.t('wizard.steps.type')}</legend>
      ${choice('personal', 'wizard.type.personal', 'wizard.type.personalHint')} ${choice('organization', 'wizard.type.organization', 'wizard.type.organizationHint')}
    </fieldset>
    ${v.certType === 'personal'
      ? html`<label><input type="checkbox" .checked=${v.onBehalf} @change=${(e: Event) => v.chooseOnBehalf((e.target as HTMLInputElement).checked)} /> ${v.t('wizard.type.onBehalf')}</label>`
      : nothing}`;
}

/** The applicant's (or organization's) details, as the records must have them. */
export function renderDetails(v: WizardView): TemplateResult {
  if (v.certType === 'organization') {
    return html`<p class="hint">${v.t('wizard.details.match')}</p>
      ${field(v, 'orgName')} ${field(v, 'creditCode')}
      <h3>${v.t('wizard.details.handler')}</h3>
      <p>${v.form.name} · ${v.form.idNumber}</p>
      ${field(v, 'mobile', 'tel')}`;
  }
  return html`<p class="hint">${v.t('wizard.details.match')}</p>
    ${field(v, 'name')} ${field(v, 'idNumber')} ${field(v, 'cardNumber')} ${field(v, 'mobile', 'tel')}
    ${v.onBehalf ? html`<h3>${v.t('wizard.details.agent')}</h3>${field(v, 'agentName')} ${field(v, 'agentIdNumber')}` : nothing}`;
}

/** One upload per required material, with a preview of images. */
export function renderMaterials(v: WizardView): TemplateResult {
  return html`<p>${v.t('wizard.materials.intro', { size: formatSize(v.profile?.maxUploadBytes ?? 0) })}</p>
    ${v.materials.map((kind) => {
      const upload = v.uploads[kind];
      const id = `file-${kind}`;
      return html`<div class="material" data-kind=${kind}>
        <div>
          <label for=${id}><strong>${v.t(`material.${kind}`)}</strong></label>
          <input id=${id} type="file" accept=${UPLOAD_TYPES.join(',')} ?disabled=${v.busy} @change=${(e: Event) => v.chooseFile(kind, e.target as HTMLInputElement)} />
          ${upload
            ? html`<p class="muted" role="status">${upload.fileName} — ${upload.uploading ? v.t('wizard.materials.uploading') : v.t('wizard.materials.uploaded')}</p>`
            : nothing}
        </div>
        ${upload?.preview ? html`<img src=${upload.preview} alt=${v.t(`material.${kind}`)} />` : nothing}
      </div>`;
    })}`;
}
