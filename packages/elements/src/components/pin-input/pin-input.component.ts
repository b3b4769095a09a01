import { html } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { SicertElement } from '../../internal/sicert-element.js';
import { pinInputStyles } from './pin-input.styles.js';
import { tokens } from '../../internal/theme.js';
import { SicertPinSubmitEvent } from '../../events.js';

/**
 * The certificate password (PIN) field. The one place where a PIN is typed, so that a later protocol version can
 * move PIN entry into the agent's own window by changing this element only. The value lives in the input alone
 * and is wiped by `clear()`; it is never reflected to an attribute.
 *
 * @csspart label - The field label.
 * @csspart input - The masked input.
 * @csspart toggle - The show/hide button.
 * @csspart hint - The help text under the field.
 * @cssproperty --sicert-color-border - Border of the field.
 * @cssproperty --sicert-color-muted - Colour of the hint.
 * @cssproperty --sicert-color-primary - Focus ring and the show/hide button.
 * @cssproperty --sicert-radius - Corner radius.
 * @fires sicert-pin-submit - Enter was pressed in the field.
 *
 * @tagname sicert-pin-input
 */
export class SicertPinInput extends SicertElement {
  static override styles = [tokens, pinInputStyles];

  /** Disables the field while an operation runs. */
  @property({ type: Boolean }) disabled = false;
  /** Label text; default "证书密码" / "Certificate password". */
  @property() label?: string;
  /** Help text under the field; default: used once, never stored. */
  @property() hint?: string;
  @state() private visible = false;
  @query('input') private input!: HTMLInputElement | null;

  /** The PIN typed so far. */
  get value(): string {
    return this.input?.value ?? '';
  }

  /** Wipes the PIN from the field. */
  clear(): void {
    if (this.input) this.input.value = '';
    this.visible = false;
  }

  override focus(): void {
    this.input?.focus();
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
          aria-describedby="hint"
          ?disabled=${this.disabled}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === 'Enter') this.dispatchEvent(new SicertPinSubmitEvent());
          }}
        />
        <button part="toggle" type="button" aria-pressed=${this.visible ? 'true' : 'false'} ?disabled=${this.disabled} @click=${() => (this.visible = !this.visible)}>
          ${this.visible ? this.t('hidePin') : this.t('showPin')}
        </button>
      </div>
      <p part="hint" class="hint" id="hint">${this.hint ?? this.t('pinHint')}</p>
    `;
  }
}
