import { html, nothing, type TemplateResult } from 'lit';
import type { RegionProfile } from '../../backend/types.js';
import type { TranslationKey } from '../../internal/localize.js';

/** What the help reads: translations and the region's profile (fees, timing), when the page named a region. */
export interface HelpView {
  t(key: TranslationKey, values?: Record<string, string | number>): string;
  readonly profile: RegionProfile | undefined;
}

/** The seed's FAQ and the region's hotline, behind a native disclosure (keyboard: Tab to it, Enter or Space). */
export function renderHelp(v: HelpView, hotline: string): TemplateResult {
  const p = v.profile;
  const qa = (q: TranslationKey, a: TranslationKey, region?: string) => html`<dt>${v.t(q)}</dt>
    <dd>${v.t(a)}${region ? html` <span class="region">${region}</span>` : nothing}</dd>`;
  const fees = p ? v.t('status.help.a3Region', { region: p.name, media: p.fees.usbKeyMedia, free: p.fees.firstIssueFree ? v.t('status.help.firstFree') : '', reissue: p.fees.reissue }) : undefined;
  const timing = p ? v.t('status.help.a4Region', { region: p.name, min: p.review.minWorkingDays, max: p.review.maxWorkingDays, years: p.certificateYears }) : undefined;
  return html`<details part="help" class="help">
    <summary>${v.t('status.help')}</summary>
    <dl>
      ${qa('status.help.q1', 'status.help.a1')} ${qa('status.help.q2', 'status.help.a2')} ${qa('status.help.q3', 'status.help.a3', fees)}
      ${qa('status.help.q4', 'status.help.a4', timing)} ${qa('status.help.q5', 'status.help.a5')}
    </dl>
    <p class="hotline">${v.t('status.help.hotline', { hotline })}</p>
  </details>`;
}
