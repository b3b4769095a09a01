// The browser helper under web-test-runner, as a portal team uses it: the mock installed into the page, the
// elements pointed at its URL, no agent anywhere. Its signatures verify with @sicert/pki against its CA.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { fromBase64, verifySignedData } from '@sicert/pki';
import { AgentClient } from '@sicert/protocol';
import '../../elements/src/define/sicert-signer.js';
import type { SicertErrorEvent, SicertSignedEvent, SicertSigner } from '../../elements/src/index.js';
import { installMockAgent, MOCK_MAX_TRIES, MOCK_PERSON, type InPageMockAgent } from '../src/browser.js';

const DATA = '社保缴费申报 2026-11 个人缴费 640.00 元';
let port = 41_000;

function shadow(el: SicertSigner) {
  const root = el.shadowRoot!;
  const status = root.querySelector('sicert-agent-status')!;
  const picker = root.querySelector('sicert-cert-picker');
  return {
    state: () => (status as unknown as { state: string }).state,
    statusText: () => status.shadowRoot!.textContent?.replace(/\s+/g, ' ').trim() ?? '',
    radios: () => [...(picker?.shadowRoot?.querySelectorAll<HTMLInputElement>('input[type=radio]') ?? [])],
    pinField: () => root.querySelector('sicert-pin-input')!.shadowRoot!.querySelector('input')!,
    signButton: () => root.querySelector<HTMLButtonElement>('button.sign')!,
    error: () => root.querySelector<HTMLElement>('[part=error]'),
  };
}

describe('@sicert/agent-mock in the page', () => {
  let mock: InPageMockAgent;
  beforeEach(() => {
    // A URL of its own per test: AgentClient shares one connection per URL for the life of the page.
    mock = installMockAgent({ url: `ws://127.0.0.1:${port++}/v1` });
  });
  afterEach(() => mock.uninstall());

  async function signer(lang = 'zh-CN'): Promise<SicertSigner> {
    return fixture<SicertSigner>(html`<sicert-signer lang=${lang} agent-url=${mock.url} .data=${DATA}></sicert-signer>`);
  }
  async function untilState(el: SicertSigner, state: string) {
    await waitUntil(() => shadow(el).state() === state, `agent state ${state}`, { timeout: 10_000 });
  }
  async function sign(el: SicertSigner, pin: string) {
    const field = shadow(el).pinField();
    field.value = pin;
    field.dispatchEvent(new Event('input'));
    const outcome = Promise.race([oneEvent(el, 'sicert-signed'), oneEvent(el, 'sicert-error')]) as Promise<SicertSignedEvent | SicertErrorEvent>;
    shadow(el).signButton().click();
    return outcome;
  }

  it('the signer finds the mock USB-Key and signs; the CMS verifies against the mock CA', async () => {
    const el = await signer();
    await untilState(el, 'ready');
    await waitUntil(() => shadow(el).radios().length === 1, 'the mock certificate is listed');
    shadow(el).radios()[0]!.click();
    const event = await sign(el, mock.pin);
    expect(event.type).to.equal('sicert-signed');
    const { signature } = (event as SicertSignedEvent).detail;
    const verified = await verifySignedData(fromBase64(signature), {
      content: new TextEncoder().encode(DATA),
      expectedSigner: { serialNumber: MOCK_PERSON.serialNumber! },
      trustedRoots: [await mock.caCertificate],
    });
    expect(verified.valid, verified.message).to.equal(true);
  });

  it('wrong-pin: the signer counts the tries left down, then says the password is locked', async () => {
    await mock.setScenario('wrong-pin');
    const el = await signer('en');
    await untilState(el, 'ready');
    await waitUntil(() => shadow(el).radios().length === 1, 'the mock certificate is listed');
    shadow(el).radios()[0]!.click();
    const said: string[] = [];
    for (let i = 0; i < MOCK_MAX_TRIES; i++) {
      const event = (await sign(el, mock.pin)) as SicertErrorEvent;
      await el.updateComplete;
      said.push(`${event.detail.reason} ${shadow(el).error()!.textContent!}`);
    }
    expect(said.slice(0, 4)).to.deep.equal([4, 3, 2, 1].map((n) => `PIN_INCORRECT Wrong password: ${n} tries left.`));
    expect(said[4]).to.match(/^PIN_LOCKED .*service hall/);
  });

  it('says "not running", "this site is not allowed", "blocked by the browser" and "too old" by scenario', async () => {
    const seen: string[] = [];
    for (const [scenario, state] of [
      ['not-running', 'not-running'],
      ['not-allowed', 'origin-denied'],
      ['permission-denied', 'permission-denied'],
      ['outdated', 'too-old'],
    ] as const) {
      await mock.setScenario(scenario);
      const el = await signer();
      await untilState(el, state);
      seen.push(`${state}: ${shadow(el).statusText()}`);
      el.remove();
    }
    expect(seen[0]).to.contain('未检测到证书助手');
    expect(seen[1]).to.contain('不允许本网站使用');
    expect(seen[2]).to.contain('浏览器阻止了本页访问本机证书助手');
    expect(seen[3]).to.contain('版本过旧');
  });

  it('plug() and unplug() reach the page as token.added and token.removed', async () => {
    const client = AgentClient.shared(mock.url);
    const events: string[] = [];
    client.on('token.added', ({ token }) => events.push(`added ${token.id}`));
    client.on('token.removed', ({ tokenId }) => events.push(`removed ${tokenId}`));
    expect((await client.request('token.list', undefined)).tokens).to.have.length(1);
    await mock.unplug();
    await waitUntil(() => events.length === 1, 'token.removed');
    expect((await client.request('token.list', undefined)).tokens).to.have.length(0);
    await mock.plug();
    await waitUntil(() => events.length === 2, 'token.added');
    expect(events).to.deep.equal(['removed mock-usb-key', 'added mock-usb-key']);
    client.close();
  });
});
