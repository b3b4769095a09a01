import { html, nothing, type TemplateResult } from 'lit';
import type { TranslationKey } from '../../internal/localize.js';
import { WIZARD_STEPS, type WizardStep } from './wizard-flow.js';

/** What the step indicator reads: where the citizen is, and whether the application is done. */
export interface ProgressView {
  t(key: TranslationKey, values?: Record<string, string | number>): string;
  readonly step: WizardStep;
  /** The certificate is installed: every step is ticked and none is current. */
  readonly complete: boolean;
}

/** One step of the indicator: a step behind the citizen carries a tick, seen, and heard as "done". */
function renderStep(v: ProgressView, step: WizardStep, done: boolean): TemplateResult {
  const tick = done ? html`<span class="tick" aria-hidden="true">✓</span>` : nothing;
  const heard = done ? html`<span class="visually-hidden">${v.t('wizard.steps.doneLabel')}</span>` : nothing;
  return html`<li class=${done ? 'done' : ''} aria-current=${!v.complete && step === v.step ? 'step' : 'false'}>${tick}${v.t(`wizard.steps.${step}`)}${heard}</li>`;
}

/**
 * The step indicator, the "step n of 9" line and the step's heading. Once the certificate is installed every step is
 * ticked, and the line and the heading say the application is complete instead of naming a step still to do.
 */
export function renderProgress(v: ProgressView): TemplateResult {
  const index = WIZARD_STEPS.indexOf(v.step);
  const total = WIZARD_STEPS.length;
  return html`<ol part="steps" class="steps" aria-label=${v.t('wizard.title')}>
      ${WIZARD_STEPS.map((step, i) => renderStep(v, step, v.complete || i < index))}
    </ol>
    <p class="progress">${v.complete ? v.t('wizard.complete.progress', { total }) : v.t('wizard.step', { n: index + 1, total })}</p>
    <h2 tabindex="-1" data-step=${v.step}>${v.complete ? v.t('wizard.complete.title') : v.t(`wizard.steps.${v.step}`)}</h2>`;
}
