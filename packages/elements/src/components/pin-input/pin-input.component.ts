import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { checkPinPolicy } from '@sicert/protocol';
import { SicertElement } from '../../internal/sicert-element.js';
import { pinInputStyles, pinMeterStyles } from './pin-input.styles.js';
import { tokens } from '../../internal/theme.js';
import { pinStrength, type PinStrength } from './pin-strength.js';
import { SicertPinSubmitEvent } from '../../events.js';

/**
 * The certificate password (PIN) field. The one place where a PIN is typed, so that a later protocol version can
 * move PIN entry into the agent's own window by changing this element only. The value lives in the input alone
 * and is wiped by `clear()`; it is never reflected to an attribute. With `meter`, it shows as the citizen types
 * whether a new password meets the policy, and what is wrong with it.
 *
 * @csspart label - The field label.
 * @csspart input - The masked input.
 * @csspart toggle - The show/hide button.
 * @csspart hint - The help text under the field.
 * @csspart meter - The policy meter (with `meter`): a bar and what the password lacks.
 * @cssproperty --sicert-color-border - Border of the field.
 * @cssproperty --sicert-color-muted - Colour of the hint.
 * @cssproperty --sicert-color-primary - Focus ring and the show/hide button.
 * @cssproperty --sicert-color-danger - The meter of a refused password.
 * @cssproperty --sicert-color-warning - The meter of an acceptable one.
 * @cssproperty --sicert-color-success - The meter of a strong one.
 * @cssproperty --sicert-radius - Corner radius.
 * @fires sicert-pin-submit - Enter was pressed in the field.
 *
 * @tagname sicert-pin-input
 */
export class SicertPinInput extends SicertElement {
  static override styles = [tokens, pinInputStyles, pinMeterStyles];

  /** Disables the field while an operation runs. */
  @property({ type: Boolean }) disabled = false;
  /** Label text; default "证书密码" / "Certificate password". */
  @property() label?: string;
  /** Help text under the field; default: used once, never stored. */
  @property() hint?: string;
  /** Shows the policy meter: for a field where a new password is set. */
  @property({ type: Boolean }) meter = false;
  /** The holder's birth date (YYYYMMDD), when known, for the meter's birth-date rule. */
  @property({ attribute: false }) birthDate?: string;
  @state() private visible = false;
  @state() private strength: PinStrength = 'empty';
  @state() private violation = '';
  @query('input') private input!: HTMLInputElement | null;

  /** The PIN typed so far. */
  get value(): string {
    return this.input?.value ?? '';
  }

  /** Wipes the PIN from the field. */
  clear(): void {
    if (this.input) this.input.value = '';
    this.visible = false;
    this.measure();
  }

  /** Moves the focus into the password field itself (the host is not focusable). */
  override focus(): void {
    this.input?.focus();
  }

  private measure(): void {
    if (!this.meter) return;
    const pin = this.value;
    this.strength = pinStrength(pin, this.birthDate);
    this.violation = (pin && checkPinPolicy(pin, this.birthDate)) || '';
  }

  private renderMeter() {
    if (!this.meter) return nothing;
    const text =
      this.strength === 'empty'
        ? this.t('pin.meter.empty')
        : this.violation
          ? this.t(`wizard.password.${this.violation as 'LENGTH'}`)
          : this.t(this.strength === 'strong' ? 'pin.meter.strong' : 'pin.meter.ok');
    return html`<div part="meter" class="meter ${this.strength}">
      <span class="bar" aria-hidden="true"><span></span><span></span><span></span></span>
      <span id="meter-text">${text}</span>
    </div>`;
  }

  override render() {
    return html`
      <label part="label" for="pin">${this.label ?? this.t('pinLabel')}</label>
      <div class="row">
        <input
          part="input"
          id="pin"
          type=${this.visible ? 'text' : 'password'}
          autocomplete="off"
          autocapitalize="off"
          spellcheck="false"
          maxlength="32"
          aria-describedby=${this.meter ? 'hint meter-text' : 'hint'}
          ?disabled=${this.disabled}
          @input=${() => this.measure()}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === 'Enter') this.dispatchEvent(new SicertPinSubmitEvent());
          }}
        />
        <button part="toggle" type="button" aria-pressed=${this.visible ? 'true' : 'false'} ?disabled=${this.disabled} @click=${() => (this.visible = !this.visible)}>
          ${this.visible ? this.t('hidePin') : this.t('showPin')}
        </button>
      </div>
      ${this.renderMeter()}
      <p part="hint" class="hint" id="hint">${this.hint ?? this.t('pinHint')}</p>
    `;
  }
}
