import { html, nothing } from 'lit';
import type { BatchOutcome } from '../../events.js';
import type { TranslationKey } from '../../internal/localize.js';
import { failures } from './signer-batch.js';
import type { SignItem } from './signer-payload.js';

/** The element's translation, handed to the templates below. */
export type Translate = (key: TranslationKey, values?: Record<string, string | number>) => string;

/** Items done of the batch, as the agent last reported. */
export interface BatchProgress {
  done: number;
  total: number;
}

/**
 * Every item the citizen is about to sign, numbered, in a list that scrolls for hundreds and takes keyboard focus
 * (arrow keys and Page Down scroll it); once the agent answered, each item says whether it was signed, and why not.
 */
export function itemList(items: readonly SignItem[], outcomes: readonly BatchOutcome[] | undefined, t: Translate) {
  return html`<ol part="items" class="items" tabindex="0" aria-labelledby="summary-label">
    ${items.map((item, i) => {
      const outcome = outcomes?.[i];
      return html`<li part="item" class=${outcome ? ('error' in outcome ? 'failed' : 'signed') : ''}>
        <span class="text">${item.summary || t('noSummary')}</span>
        ${outcome
          ? html`<span part="outcome" class="outcome"
              >${'error' in outcome ? t('batch.item.failed', { message: outcome.error.message }) : t('batch.item.signed')}</span
            >`
          : nothing}
      </li>`;
    })}
  </ol>`;
}

/** The one consent for the whole batch: a checkbox the citizen ticks after reading the list. */
export function consentBox(count: number, checked: boolean, disabled: boolean, onChange: (checked: boolean) => void, t: Translate) {
  return html`<label part="consent" class="consent">
    <input type="checkbox" .checked=${checked} ?disabled=${disabled} @change=${(e: Event) => onChange((e.target as HTMLInputElement).checked)} />
    <span>${t('batch.consent', { n: count })}</span>
  </label>`;
}

/** How far the agent has come: a progress bar with an accessible name, and "已签 120/300" beside it. */
export function progressBar({ done, total }: BatchProgress, t: Translate) {
  const text = t('batch.progress', { done, total });
  return html`<div class="progress">
    <progress part="progress" max=${total} .value=${done} aria-label=${t('batch.progressLabel')} aria-valuetext=${text}></progress>
    <span class="progress-text">${text}</span>
  </div>`;
}

/** The batch's outcome in one line: all signed, or how many were not and which. */
export function batchResult(outcomes: readonly BatchOutcome[], t: Translate) {
  const { count, named } = failures(outcomes);
  if (count === 0) return html`<p part="result" class="result" role="status">${t('batch.allSigned', { n: outcomes.length })}<span class="verdict">${t('batch.signedVerdict')}</span></p>`;
  const numbers = named.join(t('batch.numberSeparator')) + (count > named.length ? '…' : '');
  const text = count === outcomes.length ? t('batch.noneSigned', { n: count }) : t('batch.someFailed', { failed: count, signed: outcomes.length - count, total: outcomes.length, numbers });
  return html`<p part="result" class="result partial" role="alert">${text}</p>`;
}
