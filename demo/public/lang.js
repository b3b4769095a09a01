// The demo pages' language: 中文 (the default) or English, chosen with the switch this module puts in the page
// header and remembered for the browser session (a session cookie, so every tab and page of the portal follows it).
// It applies to the page's own text — elements with `data-en` (their text), `data-en-label` (aria-label) and
// `data-lang` blocks (one per language, shown as the page's language) — and to every sicert element on the page,
// inside shadow roots too, through its `locale` property; elements made later follow the `lang` of <html>.
// Page scripts use `t(zh, en)` for what they write, and re-render on the `demo-lang` event.
const COOKIE = 'sicert_demo_lang';

/** The page's language now: `zh-CN` or `en`. */
export let lang = new RegExp(`(?:^|;\\s*)${COOKIE}=en(?:;|$)`).test(document.cookie) ? 'en' : 'zh-CN';

/** The text in the page's language. */
export const t = (zh, en) => (lang === 'en' ? en : zh);

/** Every sicert element under `root`, looking into the shadow roots of the elements that have one. */
function sicertElements(root, found = []) {
  for (const el of root.querySelectorAll('*')) {
    if (el.localName.startsWith('sicert-')) found.push(el);
    if (el.shadowRoot) sicertElements(el.shadowRoot, found);
  }
  return found;
}

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-en]')) {
    el.dataset.zh ??= el.textContent;
    el.textContent = t(el.dataset.zh, el.dataset.en);
  }
  for (const el of document.querySelectorAll('[data-en-label]')) {
    el.dataset.zhLabel ??= el.getAttribute('aria-label') ?? '';
    el.setAttribute('aria-label', t(el.dataset.zhLabel, el.dataset.enLabel));
  }
  const title = document.querySelector('title');
  if (title?.dataset.en) {
    title.dataset.zh ??= title.textContent;
    document.title = t(title.dataset.zh, title.dataset.en);
  }
  for (const el of sicertElements(document)) el.locale = lang;
  switcher.textContent = lang === 'en' ? '中文' : 'English';
  switcher.lang = lang === 'en' ? 'zh-CN' : 'en';
  switcher.title = lang === 'en' ? '切换到中文' : 'Switch to English';
}

/** Switches the page (and, through the cookie, the rest of the session) to `next`. */
export function setLanguage(next) {
  lang = next === 'en' ? 'en' : 'zh-CN';
  document.cookie = `${COOKIE}=${lang}; path=/; SameSite=Strict`;
  applyLanguage();
  document.dispatchEvent(new window.CustomEvent('demo-lang', { detail: { lang } }));
}

const switcher = Object.assign(document.createElement('button'), { type: 'button', className: 'lang-switch' });
switcher.addEventListener('click', () => setLanguage(lang === 'en' ? 'zh-CN' : 'en'));
document.querySelector('header')?.append(switcher);
applyLanguage();
