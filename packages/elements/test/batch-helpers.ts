import type { SicertSigner, SignItem } from '../src/index.js';

/** The batch mode's parts of a signer's shadow root. */
export function batchParts(el: SicertSigner) {
  const root = el.shadowRoot!;
  const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  return {
    label: () => text(root.querySelector('#summary-label')),
    list: () => root.querySelector<HTMLOListElement>('[part=items]')!,
    items: () => [...root.querySelectorAll<HTMLLIElement>('[part=item]')],
    itemTexts: () => [...root.querySelectorAll('[part=item] .text')].map(text),
    outcomeTexts: () => [...root.querySelectorAll('[part=item]')].map((li) => text(li.querySelector('[part=outcome]'))),
    consent: () => root.querySelector<HTMLInputElement>('[part=consent] input')!,
    consentText: () => text(root.querySelector('[part=consent]')),
    progress: () => root.querySelector<HTMLProgressElement>('[part=progress]'),
    progressText: () => text(root.querySelector('.progress-text')),
    result: () => root.querySelector<HTMLElement>('[part=result]'),
    unsupported: () => text(root.querySelector('.unsupported')),
  };
}

/** Ticks (or unticks) the consent as a click does. */
export function consent(el: SicertSigner): void {
  batchParts(el).consent().click();
}

/** The text of declaration `i` of an organisation handler's month, and the summary the citizen reads for it. */
export function declaration(i: number): SignItem & { data: string } {
  const unit = `示例单位${String(i + 1).padStart(3, '0')}`;
  const amount = (12_800 + i * 37.5).toFixed(2);
  return { id: `decl-${i + 1}`, summary: `2026年11月 社保缴费申报 · 单位：${unit} · 金额 ${amount} 元`, data: `{"month":"2026-11","unit":"${unit}","amount":"${amount}","n":${i}}` };
}

/** `n` declarations. */
export function declarations(n: number): Array<SignItem & { data: string }> {
  return Array.from({ length: n }, (_, i) => declaration(i));
}
