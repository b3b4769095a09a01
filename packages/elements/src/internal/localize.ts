import { en } from '../translations/en.js';
import { zhCN, type Translation, type TranslationKey } from '../translations/zh-cn.js';

/** Locales the components ship. */
export type Locale = 'zh-CN' | 'en';

const TRANSLATIONS: Record<Locale, Translation> = { 'zh-CN': zhCN, en };

/** The locale for an element: its `locale` property, else the nearest `lang` attribute, else zh-CN. */
export function resolveLocale(element: HTMLElement, locale?: string): Locale {
  return /^en\b/i.test(locale || inheritedLang(element)) ? 'en' : 'zh-CN';
}

/** The nearest `lang` attribute, looking through shadow roots up to the document. */
function inheritedLang(element: Element): string {
  let node: Element | null = element;
  while (node) {
    const found = node.closest('[lang]');
    if (found) return found.getAttribute('lang') ?? '';
    const root = node.getRootNode();
    node = root instanceof ShadowRoot ? root.host : null;
  }
  return '';
}

/** The text for `key` in `locale`, with `{name}` placeholders filled. */
export function translate(locale: Locale, key: TranslationKey, values: Record<string, string | number> = {}): string {
  return TRANSLATIONS[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

export type { TranslationKey };
