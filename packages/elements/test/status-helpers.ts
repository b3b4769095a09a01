import { waitUntil } from '@open-wc/testing';
import type { SicertAgentStatus, SicertCertStatus, SicertPinChange, SicertPinInput } from '../src/index.js';

/** Text with runs of white space made one space. */
export function text(node: Element | null | undefined): string {
  return node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the querySelector idiom: the caller names the element it expects
export const $ = <T extends Element = HTMLElement>(el: SicertCertStatus, selector: string): T | null => el.shadowRoot!.querySelector<T>(selector);
export const $$ = <T extends Element = HTMLElement>(el: SicertCertStatus, selector: string): T[] => [...el.shadowRoot!.querySelectorAll<T>(selector)];

/** The certificate with this serial number. */
export const item = (el: SicertCertStatus, serial: string) => $<HTMLLIElement>(el, `li[data-serial="${serial}"]`);
/** Its badge's words. */
export const badge = (el: SicertCertStatus, serial: string) => text(item(el, serial)?.querySelector('[part=badge]'));
/** Its buttons' words. */
export const buttons = (el: SicertCertStatus, serial: string) => [...(item(el, serial)?.querySelectorAll('button') ?? [])].map((b) => text(b));
/** The token section with this id. */
export const tokenSection = (el: SicertCertStatus, tokenId: string) => $(el, `section[data-token-id="${tokenId}"]`);
export const agentState = (el: SicertCertStatus) => $<SicertAgentStatus>(el, 'sicert-agent-status')?.state;

/** Waits until the certificate shows `badgeName` (the `data-badge` value: valid, expiring, revoked, …). */
export async function untilBadge(el: SicertCertStatus, serial: string, badgeName: string): Promise<void> {
  await waitUntil(() => item(el, serial)?.dataset.badge === badgeName, `${serial} shows ${badgeName}`, { timeout: 10_000 });
}

/** The password dialog inside the card, and its three fields. */
export function pinDialog(el: SicertCertStatus) {
  const dialog = $<SicertPinChange>(el, 'sicert-pin-change');
  const field = (name: 'old' | 'new' | 'confirm') => dialog?.shadowRoot?.querySelector<SicertPinInput>(`sicert-pin-input[data-field="${name}"]`) ?? null;
  return {
    dialog,
    native: () => dialog?.shadowRoot?.querySelector('dialog') ?? null,
    field,
    input: (name: 'old' | 'new' | 'confirm') => field(name)?.shadowRoot?.querySelector('input') ?? null,
    error: () => text(dialog?.shadowRoot?.querySelector('[part=error]')),
    result: () => text(dialog?.shadowRoot?.querySelector('[part=result]')),
  };
}

/** Types into a password field as the citizen would, so its `input` listeners run. */
export function typeInto(input: HTMLInputElement | null, value: string): void {
  if (!input) throw new Error('no such field');
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

/** The element focused, looking through shadow roots. */
export function deepActive(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}
