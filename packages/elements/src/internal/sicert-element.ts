import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { AgentError, Reason } from '@sicert/protocol';
import type { ErrorDetail } from '../events.js';
import { ELEMENTS_VERSION } from './version.js';
import { relocalizeAll, unwatchLang, watchLang } from './lang-watch.js';
import { resolveLocale, translate, type Locale, type TranslationKey } from './localize.js';

/**
 * Base of every sicert element: locale, translation and a tolerant `define`.
 *
 * Every element draws its look from the theme's tokens (internal/theme.ts), so each of these custom properties
 * reaches every element; an element's own documentation says what a token colours there. Listed here so that the
 * Custom Elements Manifest gives each element the whole set, not only the tokens its own styles name.
 *
 * @cssproperty --sicert-color-primary - Accent colour: primary buttons, focus rings, links. Default `#0b5cad`.
 * @cssproperty --sicert-color-on-primary - Text on the accent colour. Default `#fff`.
 * @cssproperty --sicert-color-danger - Errors, locked and revoked states. Default `#b3261e`.
 * @cssproperty --sicert-color-warning - Warnings, expiring certificates. Default `#8a5300`.
 * @cssproperty --sicert-color-success - Success, valid certificates. Default `#1e6b34`.
 * @cssproperty --sicert-color-text - Body text. Default `#1f2328`.
 * @cssproperty --sicert-color-muted - Secondary text and hints. Default `#59636e`.
 * @cssproperty --sicert-color-border - Borders of cards, fields and lists. Default `#c9d1d9`.
 * @cssproperty --sicert-color-surface - Background of cards and dialogs. Default `#fff`.
 * @cssproperty --sicert-color-surface-muted - Background of banners and muted panels. Default `#f6f8fa`.
 * @cssproperty --sicert-color-danger-surface - Background of an error banner. Default `#fdf0ef`.
 * @cssproperty --sicert-color-danger-border - Border of an error banner. Default `#f0b8b3`.
 * @cssproperty --sicert-radius - Corner radius. Default `6px`.
 * @cssproperty --sicert-spacing - Gap between parts. Default `12px`.
 * @cssproperty --sicert-font-family - Font stack. Default `system-ui, 'PingFang SC', 'Microsoft YaHei', sans-serif`.
 * @cssproperty --sicert-font-size - Base font size. Default `15px`.
 */
export class SicertElement extends LitElement {
  /**
   * Locale override (`zh-CN` or `en`); otherwise the nearest `lang` attribute decides, and the element re-renders
   * when that attribute changes (on it, an ancestor or the document).
   */
  @property() locale?: string;

  /** `lang` is the platform's attribute, not a Lit property: watched here so that changing it re-renders. */
  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    watchLang(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    unwatchLang(this);
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    // The document's observer does not see inside shadow roots: the elements this one holds must hear it too.
    if (name === 'lang' && old !== value && this.hasUpdated) relocalizeAll();
  }

  /** The version of this copy of `@sicert/elements`, which {@link SicertElement.define} compares. */
  static readonly version: string = ELEMENTS_VERSION;

  /**
   * Registers the element under `tag`. When the tag is already taken (a second copy of sicert on the page, from
   * another portal widget), the first registration is kept: silently if it is the same version, with a warning
   * if it is another version or not sicert at all, instead of the exception `customElements.define` would throw.
   */
  static define(tag: string): void {
    const existing = customElements.get(tag);
    if (!existing) {
      customElements.define(tag, this);
      return;
    }
    // Two copies of one version behave alike, so the first serves both; only a difference is worth a warning.
    const theirs = (existing as Partial<Pick<typeof SicertElement, 'version'>>).version;
    if (existing !== this && theirs !== this.version) {
      console.warn(`sicert: <${tag}> is already defined by ${theirs ? `sicert ${theirs}` : 'another library'}; keeping it, not sicert ${this.version}.`);
    }
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
