import { waitUntil } from '@open-wc/testing';
import type { SicertAgentStatus, SicertCertPicker, SicertPinInput, SicertSigner } from '../src/index.js';

export function parts(el: SicertSigner) {
  const root = el.shadowRoot!;
  const status = root.querySelector('sicert-agent-status') as SicertAgentStatus;
  const picker = root.querySelector('sicert-cert-picker') as SicertCertPicker | null;
  const pin = root.querySelector('sicert-pin-input') as SicertPinInput | null;
  return {
    status,
    statusText: () => status.shadowRoot!.textContent?.replace(/\s+/g, ' ').trim() ?? '',
    picker,
    radios: () => [...(picker?.shadowRoot?.querySelectorAll<HTMLInputElement>('input[type=radio]') ?? [])],
    options: () => [...(picker?.shadowRoot?.querySelectorAll<HTMLElement>('label') ?? [])],
    pin,
    pinField: () => pin!.shadowRoot!.querySelector('input')!,
    signButton: () => root.querySelector<HTMLButtonElement>('button.sign')!,
    error: () => root.querySelector<HTMLElement>('[part=error]'),
    result: () => root.querySelector<HTMLElement>('[part=result]'),
  };
}

export async function untilReady(el: SicertSigner): Promise<void> {
  await waitUntil(() => parts(el).status?.state === 'ready' && parts(el).radios().length > 0, 'agent ready with certificates', { timeout: 10_000 });
}

export async function untilState(el: SicertSigner, state: string): Promise<void> {
  await waitUntil(() => parts(el).status?.state === state, `agent state ${state}`, { timeout: 10_000 });
}

export function typePin(el: SicertSigner, pin: string): void {
  const field = parts(el).pinField();
  field.value = pin;
  field.dispatchEvent(new Event('input'));
}

export function choose(el: SicertSigner, certId: string): void {
  const radio = parts(el).radios().find((r) => r.value === certId);
  if (!radio) throw new Error(`certificate ${certId} not offered`);
  radio.click();
}

/** WebCrypto's `r‖s` (P-256) of a DER `SEQUENCE { r INTEGER, s INTEGER }`; throws on anything else. */
export function ecdsaDerToP1363(der: Uint8Array): Uint8Array<ArrayBuffer> {
  if (der[0] !== 0x30 || der[1] !== der.length - 2) throw new Error('not a DER SEQUENCE');
  const out = new Uint8Array(64);
  let offset = 2;
  for (const half of [0, 1]) {
    if (der[offset] !== 0x02) throw new Error('not a DER INTEGER');
    const length = der[offset + 1]!;
    let value = der.subarray(offset + 2, offset + 2 + length);
    while (value.length > 32 && value[0] === 0) value = value.subarray(1);
    out.set(value, half * 32 + 32 - value.length);
    offset += 2 + length;
  }
  if (offset !== der.length) throw new Error('trailing bytes');
  return out;
}
