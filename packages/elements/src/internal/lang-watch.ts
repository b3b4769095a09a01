/** What re-renders when the language around it changes: a Lit element. */
interface Localized {
  requestUpdate(): void;
}

const watched = new Set<Localized>();
let observer: MutationObserver | undefined;

/**
 * Re-renders every connected sicert element. An element resolves its locale from the nearest `lang` when it renders,
 * so any `lang` change — on the element, an ancestor, `<html>`, or a host whose shadow root holds it — may change
 * what each one says; there are few of them on a page, and Lit re-renders only the parts whose text changed.
 */
export function relocalizeAll(): void {
  for (const element of watched) element.requestUpdate();
}

/**
 * Follows `lang` attributes in the document for `element` until {@link unwatchLang}. One observer serves the page;
 * it cannot see into shadow roots, which is why an element also re-renders everything when its own `lang` changes.
 */
export function watchLang(element: Localized): void {
  watched.add(element);
  if (observer || typeof MutationObserver === 'undefined') return;
  observer = new MutationObserver(relocalizeAll);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
}

/** Stops following `lang` for `element`; the observer goes with the last one. */
export function unwatchLang(element: Localized): void {
  watched.delete(element);
  if (watched.size) return;
  observer?.disconnect();
  observer = undefined;
}
