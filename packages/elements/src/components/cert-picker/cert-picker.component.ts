import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { CertificateInfo } from '@sicert/protocol';
import type { CertificateRecord } from '../../backend/types.js';
import { canSign } from './can-sign.js';
import { formatDate } from '../../internal/format.js';
import { SicertElement } from '../../internal/sicert-element.js';
import { certPickerStyles } from './cert-picker.styles.js';
import { choice, tokens } from '../../internal/theme.js';

export { canSign };

/**
 * A list of certificates to choose one from: holder, issuer, validity and medium (USB-Key or this computer).
 * Native radio buttons, so arrow keys move the choice.
 *
 * @csspart list - The fieldset.
 * @csspart option - One certificate.
 * @cssproperty --sicert-color-primary - The chosen certificate and the medium badge.
 * @cssproperty --sicert-color-warning - The "expiring" note.
 * @cssproperty --sicert-color-danger - Notes on certificates that cannot sign.
 * @cssproperty --sicert-color-border - Border of each certificate.
 * @fires change - The selection changed; read `value`.
 *
 * @tagname sicert-cert-picker
 */
export class SicertCertPicker extends SicertElement {
  static override styles = [tokens, choice, certPickerStyles];

  /** Certificates to offer. */
  @property({ attribute: false }) certificates: CertificateInfo[] = [];
  /** Id of the chosen certificate. */
  @property() value = '';
  /** Disables the choice while an operation runs. */
  @property({ type: Boolean }) disabled = false;
  /** What the portal said of each certificate, by serial number: a revoked or superseded one cannot be chosen. */
  @property({ attribute: false }) records: Readonly<Record<string, CertificateRecord>> = {};

  private note(cert: CertificateInfo) {
    const record = this.records[cert.serialNumber];
    // Replaced by its renewal is the calm end of a certificate, not the alarm of a revocation.
    if (record?.status === 'revoked' && record.revocationReason === 'superseded') return html`<span class="ended">${this.t('superseded')}</span>`;
    if (record?.status === 'revoked') return html`<span class="bad">${this.t('revoked')}</span>`;
    if (!cert.hasPrivateKey) return html`<span class="bad">${this.t('noPrivateKey')}</span>`;
    if (cert.status === 'expired') return html`<span class="bad">${this.t('expired')}</span>`;
    if (cert.status === 'notYetValid') return html`<span class="bad">${this.t('notYetValid')}</span>`;
    if (cert.status === 'expiring') return html`<span class="warn">${this.t('expiring')}</span>`;
    return nothing;
  }

  override render() {
    return html`<fieldset part="list" ?disabled=${this.disabled}>
      <legend>${this.t('chooseCert')}</legend>
      ${this.certificates.map((cert) => {
        const usable = canSign(cert, this.records[cert.serialNumber]);
        return html`<label part="option" class="choice ${usable ? '' : 'unusable'}">
          <input
            type="radio"
            name="cert"
            .value=${cert.id}
            .checked=${cert.id === this.value}
            ?disabled=${!usable}
            @change=${() => {
              this.value = cert.id;
              this.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
            }}
          />
          <span class="name"
            >${cert.subjectCommonName ?? cert.subject}<span class="badge">${cert.provider === 'soft' ? this.t('thisComputer') : this.t('usbKey')}</span></span
          >
          <span class="meta">${this.t('issuer')}: ${cert.issuerCommonName ?? cert.issuer}</span>
          <span class="meta">${this.t('validity')}: ${formatDate(cert.notBefore)} – ${formatDate(cert.notAfter)} ${this.note(cert)}</span>
        </label>`;
      })}
    </fieldset>`;
  }
}
