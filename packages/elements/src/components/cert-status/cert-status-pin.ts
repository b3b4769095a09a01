import { html, nothing, type TemplateResult } from 'lit';
import type { CertificateInfo, Token } from '@sicert/protocol';
import { tokenBirthDate, tokenHolder } from './cert-status-model.js';
import { tokenTitle, type StatusView } from './cert-status-view.js';

/** What the card hands its password dialog. */
export interface PinChangeView extends Pick<StatusView, 't' | 'hotline' | 'record'> {
  readonly agentUrl: string;
  readonly locale: string | undefined;
  /** The signed-in holder's birth date (YYYYMMDD), when the page gave it. */
  readonly birthDate: string | undefined;
  readonly certificates: readonly CertificateInfo[];
  /** The dialog closed, whatever closed it. */
  closed(): void;
}

/**
 * The password dialog for `token` (nothing while no token's password is being changed). It is told the holder's
 * birth date, so that its meter and its own check refuse a password containing it, as the wizard does.
 */
export function renderPinChange(v: PinChangeView, token: Token | undefined): TemplateResult | typeof nothing {
  if (!token) return nothing;
  const certificates = v.certificates.filter((c) => c.tokenId === token.id);
  const records = certificates.map((c) => {
    const lookup = v.record(c.serialNumber);
    return lookup === 'unavailable' ? undefined : lookup;
  });
  return html`<sicert-pin-change
    agent-url=${v.agentUrl}
    token-id=${token.id}
    token-label=${tokenTitle(v, token.provider, tokenHolder({ token, tokenId: token.id, certificates }))}
    provider=${token.provider}
    hotline=${v.hotline}
    .locale=${v.locale}
    .birthDate=${tokenBirthDate(v.birthDate, records)}
    @close=${() => v.closed()}
  ></sicert-pin-change>`;
}
