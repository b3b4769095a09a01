import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/define/sicert-signer.js';
import '../src/define/sicert-apply-wizard.js';
import '../src/define/sicert-cert-status.js';
import { sendKeys } from '@web/test-runner-commands';
import { SicertElement, SicertPinInput, SicertPinSubmitEvent, SicertRetryEvent, type SicertAgentStatus } from '../src/index.js';

// What every sicert element does the same way, whichever it is.
const TAGS = ['sicert-signer', 'sicert-apply-wizard', 'sicert-cert-status', 'sicert-pin-change', 'sicert-pin-input', 'sicert-cert-picker', 'sicert-agent-status'] as const;

describe('every sicert element', () => {
  for (const tag of TAGS) {
    it(`<${tag}> honours the hidden attribute, and shows again without it`, async () => {
      const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
      // A port where nothing listens: the elements that look for the agent give up quietly.
      const el = document.createElement(tag);
      el.setAttribute('agent-url', 'ws://127.0.0.1:9/v1');
      el.hidden = true;
      wrapper.append(el);
      await (el as SicertElement).updateComplete;
      expect(getComputedStyle(el).display).to.equal('none');
      el.hidden = false;
      expect(getComputedStyle(el).display).to.not.equal('none');
    });
  }
});

/** The text of a node and of every shadow root inside it, styles left out. */
function deepText(node: Node): string {
  if (node instanceof HTMLStyleElement) return '';
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  const root = node instanceof Element ? node.shadowRoot : null;
  return [...(root?.childNodes ?? []), ...node.childNodes].map(deepText).join(' ');
}
const CHINESE = /[\u4e00-\u9fff]/;

describe('lang', () => {
  for (const tag of TAGS) {
    it(`<${tag}> speaks the language of a lang attribute set after it rendered, on it or on an ancestor`, async () => {
      const wrapper = await fixture<HTMLDivElement>(html`<div lang="zh-CN"></div>`);
      const el = document.createElement(tag);
      el.setAttribute('agent-url', 'ws://127.0.0.1:9/v1');
      wrapper.append(el);
      await (el as SicertElement).updateComplete;
      await waitUntil(() => CHINESE.test(deepText(el)), 'Chinese first');
      el.lang = 'en';
      await waitUntil(() => !CHINESE.test(deepText(el)), `English after lang="en" on it: ${deepText(el)}`);
      el.removeAttribute('lang');
      await waitUntil(() => CHINESE.test(deepText(el)), 'Chinese again from the ancestor');
      wrapper.lang = 'en';
      await waitUntil(() => !CHINESE.test(deepText(el)), `English after lang="en" on an ancestor: ${deepText(el)}`);
    });
  }

  it('follows lang set inside a shadow root (a portal component holding the signer), which the document observer cannot see', async () => {
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    const signer = document.createElement('sicert-signer');
    signer.setAttribute('agent-url', 'ws://127.0.0.1:9/v1');
    host.attachShadow({ mode: 'open' }).append(signer);
    await waitUntil(() => CHINESE.test(deepText(signer)), 'Chinese first');
    signer.lang = 'en';
    // The banner inside the signer's own shadow root too.
    await waitUntil(() => !CHINESE.test(deepText(signer)), `English: ${deepText(signer)}`);
  });
});

describe('events of the small parts', () => {
  it('Enter in <sicert-pin-input> fires a SicertPinSubmitEvent that leaves the shadow root', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div><sicert-pin-input></sicert-pin-input></div>`);
    const seen: Event[] = [];
    // Typed through GlobalEventHandlersEventMap: `e` is a SicertPinSubmitEvent here without a cast.
    wrapper.addEventListener('sicert-pin-submit', (e) => seen.push(e));
    const pin = wrapper.querySelector('sicert-pin-input')!;
    await pin.updateComplete;
    pin.focus();
    await sendKeys({ type: '1234' });
    await sendKeys({ press: 'Enter' });
    expect(seen.length).to.equal(1);
    expect(seen[0] instanceof SicertPinSubmitEvent).to.equal(true);
  });

  it('the retry button of <sicert-agent-status> fires a SicertRetryEvent', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div><sicert-agent-status state="not-running"></sicert-agent-status></div>`);
    const seen: Event[] = [];
    wrapper.addEventListener('sicert-retry', (e) => seen.push(e));
    const status = wrapper.querySelector<SicertAgentStatus>('sicert-agent-status')!;
    await status.updateComplete;
    status.shadowRoot!.querySelector<HTMLButtonElement>('button[part=retry]')!.click();
    expect(seen.length).to.equal(1);
    expect(seen[0] instanceof SicertRetryEvent).to.equal(true);
  });
});

describe('define()', () => {
  let warnings: unknown[][];
  const warn = console.warn;
  beforeEach(() => {
    warnings = [];
    console.warn = (...args: unknown[]) => warnings.push(args);
  });
  afterEach(() => {
    console.warn = warn;
  });

  /** A class standing in for another copy of sicert on the page, of `version`. */
  function otherCopy(version: string): typeof SicertElement {
    return class extends SicertElement {
      static override readonly version = version;
    };
  }

  it('registers the tag, and a second define by the same class is silent', () => {
    class Mine extends SicertElement {}
    Mine.define('sicert-define-same');
    Mine.define('sicert-define-same');
    expect(customElements.get('sicert-define-same')).to.equal(Mine);
    expect(warnings).to.deep.equal([]);
  });

  it('is silent when another copy of the same version registered the tag first', () => {
    otherCopy(SicertElement.version).define('sicert-define-twin');
    SicertPinInput.define('sicert-define-twin');
    expect(warnings).to.deep.equal([]);
  });

  it('warns, keeping the first, when a different version registered the tag first', () => {
    const old = otherCopy('0.0.1-old');
    old.define('sicert-define-old');
    SicertPinInput.define('sicert-define-old');
    expect(customElements.get('sicert-define-old')).to.equal(old);
    expect(warnings).to.have.length(1);
    expect(String(warnings[0]![0])).to.contain('<sicert-define-old>').and.contain('0.0.1-old').and.contain(SicertElement.version);
  });

  it('warns when something that is not sicert holds the tag', () => {
    customElements.define('sicert-define-foreign', class extends HTMLElement {});
    SicertPinInput.define('sicert-define-foreign');
    expect(warnings).to.have.length(1);
  });
});
