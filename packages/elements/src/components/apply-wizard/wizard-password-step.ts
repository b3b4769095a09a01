import { html, nothing, type TemplateResult } from 'lit';
import type { Medium } from '../../backend/types.js';
import type { TranslationKey } from '../../internal/localize.js';
import type { WizardView } from './wizard-view.js';

export function agentStatus(v: WizardView): TemplateResult {
  return html`<sicert-agent-status .locale=${v.locale} .state=${v.agentState} @sicert-retry=${() => v.retryAgent()}></sicert-agent-status>`;
}

/** Where the key was made, as the citizen knows it: this computer, or the USB-Key by its label. */
function whereKey(v: WizardView): string {
  const key = v.key;
  if (!key || key.medium === 'computer') return v.t('wizard.key.whereComputer');
  return v.t('wizard.key.whereUsbKey', { label: v.token(key.tokenId)?.label ?? key.tokenId });
}

/** Back at the password step with a key already made: it is reused (its request made again if the details changed). */
function renderKeyMade(v: WizardView): TemplateResult {
  const where = whereKey(v);
  const discard = v.discarding
    ? html`<sicert-pin-input .locale=${v.locale} data-name="discard" .label=${v.t('wizard.key.discardPin', { where })} .hint=${''} ?disabled=${v.busy} @sicert-pin-submit=${() => v.discard()}></sicert-pin-input>
        <div><button type="button" class="discard" ?disabled=${v.busy} @click=${() => v.discard()}>${v.t('wizard.key.discardConfirm')}</button></div>`
    : html`<div><button type="button" class="start-discard" ?disabled=${v.busy} @click=${() => v.startDiscard()}>${v.t('wizard.key.discard')}</button></div>`;
  return html`${agentStatus(v)}
    <p class="ok key-made" role="status">${v.t(v.keySubjectChanged ? 'wizard.key.resign' : 'wizard.key.ready', { where })}</p>
    ${v.keySubjectChanged
      ? html`<sicert-pin-input .locale=${v.locale} data-name="pin" .label=${v.t('wizard.password.existing')} .hint=${''} ?disabled=${v.busy} @sicert-pin-submit=${() => v.next()}></sicert-pin-input>`
      : nothing}
    ${discard}`;
}

/** A USB-Key whose password is a vendor default (or that says so) changes it first, in `<sicert-pin-change>`. */
function renderPinChange(v: WizardView): TemplateResult {
  const tokenId = v.pinChangeFor || (v.token(v.usbTokenId)?.pin.mustChange ? v.usbTokenId : '');
  if (!tokenId) return html``;
  const token = v.token(tokenId);
  return html`${v.token(v.usbTokenId)?.pin.mustChange ? html`<p class="notice must-change">${v.t('wizard.usbPin.mustChange')}</p>` : nothing}
    <div><button type="button" class="change-pin" @click=${() => v.changePin(tokenId)}>${v.t('wizard.usbPin.change')}</button></div>
    <sicert-pin-change
      agent-url=${v.agentUrl}
      .locale=${v.locale}
      token-id=${tokenId}
      token-label=${token ? `USB-Key · ${token.label}` : ''}
      provider="pkcs11"
      .birthDate=${v.birthDate}
      @sicert-pin-changed=${() => v.pinChanged()}
    ></sicert-pin-change>`;
}

/** Where the key lives (this computer or a USB-Key, with the fee), and the certificate password. */
export function renderPassword(v: WizardView): TemplateResult {
  if (v.key) return renderKeyMade(v);
  const medium = (value: Medium, title: TranslationKey, hint: string) =>
    html`<label class="choice"
      ><input type="radio" name="medium" .checked=${v.medium === value} @change=${() => v.chooseMedium(value)} /><span>${v.t(title)}</span
      ><span class="hint">${hint}</span></label
    >`;
  const fees = v.profile?.fees;
  // A repeat issuance pays the reissue fee wherever the key lives; "free the first time" is for first issues only.
  const usbHint = v.repeatIssue ? v.t('wizard.medium.usbKeyHintReissue') : v.t('wizard.medium.usbKeyHint', { fee: fees?.usbKeyMedia ?? 0, free: fees?.firstIssueFree ? v.t('wizard.medium.firstFree') : '' });
  const usbKeys = v.usbKeys.length
    ? html`<div class="field">
        <label for="usb-key">${v.t('wizard.medium.chooseKey')}</label>
        <select id="usb-key" @change=${(e: Event) => v.chooseUsbKey((e.target as HTMLSelectElement).value)}>
          ${v.usbKeys.map((t) => html`<option value=${t.id} ?selected=${t.id === v.usbTokenId}>${t.label} (${t.manufacturer} ${t.serial})</option>`)}
        </select>
      </div>
      ${renderPinChange(v)}`
    : html`<p class="hint">${v.t('wizard.medium.noUsbKey')}</p>
        <div><button type="button" @click=${() => v.refreshTokens()}>${v.t('refresh')}</button></div>`;
  return html`${agentStatus(v)}
    <fieldset>
      <legend>${v.t('wizard.medium.legend')}</legend>
      ${medium('computer', 'wizard.medium.computer', v.t(v.repeatIssue ? 'wizard.medium.computerHintReissue' : 'wizard.medium.computerHint'))} ${medium('usb-key', 'wizard.medium.usbKey', usbHint)}
    </fieldset>
    ${v.medium === 'usb-key' ? usbKeys : nothing}
    ${v.settingNewPassword
      ? html`<p class="hint">${v.t('wizard.password.rules')}</p>
          <sicert-pin-input .locale=${v.locale} data-name="pin" meter .birthDate=${v.birthDate} .label=${v.t('wizard.password.new')} .hint=${''} ?disabled=${v.busy}></sicert-pin-input>
          <sicert-pin-input .locale=${v.locale} data-name="confirm" .label=${v.t('wizard.password.confirm')} .hint=${''} ?disabled=${v.busy} @sicert-pin-submit=${() => v.next()}></sicert-pin-input>`
      : html`<sicert-pin-input .locale=${v.locale} data-name="pin" .label=${v.t('wizard.password.existing')} .hint=${v.t('wizard.password.usbKeyHint')} ?disabled=${v.busy} @sicert-pin-submit=${() => v.next()}></sicert-pin-input>`}
    ${v.busy ? html`<p class="muted" role="status">${v.t('wizard.password.generating')}</p>` : nothing}`;
}
