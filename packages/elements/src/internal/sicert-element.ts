import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { AgentError, Reason } from '@sicert/protocol';
import type { ErrorDetail } from '../events.js';
import { resolveLocale, translate, type Locale, type TranslationKey } from './localize.js';

/** Base of every sicert element: locale, translation and a tolerant `define`. */
export class SicertElement extends LitElement {
  /** Locale override (`zh-CN` or `en`); otherwise the nearest `lang` attribute decides. */
  @property() locale?: string;

  /**
   * Registers the element under `tag`. A second copy of sicert on the page (two portal widgets of different
   * versions) gets a warning instead of the exception `customElements.define` would throw.
   */
  static define(tag: string): void {
    const existing = customElements.get(tag);
    if (existing) {
      if (existing !== this) console.warn(`sicert: <${tag}> is already defined by another copy of sicert; keeping the first.`);
      return;
    }
    customElements.define(tag, this);
  }

  /** The resolved locale. */
  protected get currentLocale(): Locale {
    return resolveLocale(this, this.locale);
  }

  /**
   * What to tell the citizen about a failed agent operation: the reason's message, or the tries left after a
   * wrong PIN when the token tells. Anything that is not an AgentError counts as `fallback`.
   */
  protected agentErrorDetail(error: unknown, fallback: Reason = Reason.INTERNAL): ErrorDetail {
    const reason = error instanceof AgentError ? error.reason : fallback;
    const retriesLeft = error instanceof AgentError ? error.retriesLeft : undefined;
    if (reason === Reason.PIN_INCORRECT && retriesLeft !== undefined) return { reason, message: this.t('retriesLeft', { n: retriesLeft }), retriesLeft };
    const retryAfterMs = error instanceof AgentError ? error.retryAfterMs : undefined;
    if (reason === Reason.PIN_THROTTLED && retryAfterMs !== undefined) {
      // Whole seconds, rounded up: "try in 0 seconds" would invite a try the agent still refuses.
      return { reason, message: this.t('pinThrottledWait', { n: Math.max(1, Math.ceil(retryAfterMs / 1000)) }), retryAfterMs };
    }
    return { reason, message: this.t(`reason.${reason}`) };
  }

  /** Translated text. */
  protected t(key: TranslationKey, values?: Record<string, string | number>): string {
    return translate(this.currentLocale, key, values);
  }
}
