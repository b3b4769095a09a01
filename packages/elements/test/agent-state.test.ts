import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../src/define/sicert-signer.js';
import '../src/define/sicert-apply-wizard.js';
import { DEFAULT_RECONNECT_TIMEOUT_MS, type AgentStateDetail } from '../src/index.js';
import { control, loadFixture, type Fixture } from './fixture.js';
import { parts, untilReady, untilState } from './helpers.js';

/** A signer inside a wrapper that records every `sicert-agent-state` from the moment the signer connects. */
async function signerWithStates(agentUrl: string, attrs: { reconnectTimeout?: number; lang?: string } = {}) {
  const seen: AgentStateDetail[] = [];
  const wrapper = await fixture<HTMLDivElement>(html`<div lang=${attrs.lang ?? 'zh-CN'} @sicert-agent-state=${(e: CustomEvent<AgentStateDetail>) => seen.push(e.detail)}>
    <sicert-signer agent-url=${agentUrl} reconnect-timeout=${attrs.reconnectTimeout ?? DEFAULT_RECONNECT_TIMEOUT_MS} .data=${'社保缴费申报'}></sicert-signer>
  </div>`);
  const el = wrapper.querySelector('sicert-signer')!;
  return { el, seen, states: () => seen.map((d) => d.state) };
}

describe('sicert-agent-state', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
  });

  it('fires for "this site is not allowed", once, bubbling out of the signer to the page', async () => {
    const onDocument: string[] = [];
    const listener = (e: CustomEvent<AgentStateDetail>) => onDocument.push(e.detail.state);
    document.addEventListener('sicert-agent-state', listener);
    try {
      const { el, states } = await signerWithStates(f.strangerAgentUrl);
      await untilState(el, 'origin-denied');
      expect(states()).to.deep.equal(['origin-denied']);
      expect(onDocument).to.deep.equal(['origin-denied']);
    } finally {
      document.removeEventListener('sicert-agent-state', listener);
    }
  });

  it('fires from the application wizard too, through the same path', async () => {
    const seen: string[] = [];
    await fixture(html`<div @sicert-agent-state=${(e: CustomEvent<AgentStateDetail>) => seen.push(e.detail.state)}>
      <sicert-apply-wizard region="test-region" agent-url=${f.strangerAgentUrl}></sicert-apply-wizard>
    </div>`);
    await waitUntil(() => seen.length > 0, 'a state event from the wizard', { timeout: 10_000 });
    expect(seen).to.deep.equal(['origin-denied']);
  });

  it('fires for "not running" and "too old" (with the version the agent reported)', async () => {
    const down = await signerWithStates(f.downAgentUrl);
    await untilState(down.el, 'not-running');
    expect(down.states()).to.deep.equal(['not-running']);
    const old = await signerWithStates(f.oldAgentUrl);
    await untilState(old.el, 'too-old');
    expect(old.seen).to.deep.equal([{ state: 'too-old', agentVersion: '0.0.1' }]);
  });

  it('fires "ready" with the agent version, and the event is typed on the element', async () => {
    const el = document.createElement('sicert-signer');
    el.agentUrl = f.agentUrl;
    const seen: string[] = [];
    // Compiles only because the event is declared in GlobalEventHandlersEventMap: `e.detail` is typed.
    el.addEventListener('sicert-agent-state', (e) => seen.push(`${e.detail.state} ${e.detail.agentVersion ?? ''}`.trim()));
    document.body.append(el);
    try {
      await untilReady(el);
      expect(seen).to.have.length(1);
      expect(seen[0]).to.match(/^ready \d+\.\d+\.\d+/);
    } finally {
      el.remove();
    }
  });
});

describe('losing the agent', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
  });
  afterEach(async () => {
    await control('agent-start');
  });

  it('waits 10 s by default before giving up on reconnecting', async () => {
    expect(DEFAULT_RECONNECT_TIMEOUT_MS).to.equal(10_000);
    const el = document.createElement('sicert-signer');
    expect(el.reconnectTimeout).to.equal(10_000);
    el.setAttribute('reconnect-timeout', '2500');
    expect(el.reconnectTimeout).to.equal(2500);
  });

  it('shows "reconnecting", then "not running" with what to do and a keyboard-usable retry, and recovers', async () => {
    const { el, states } = await signerWithStates(f.restartableAgentUrl, { reconnectTimeout: 300 });
    await untilReady(el);
    expect(states()).to.deep.equal(['ready']);
    await control('agent-stop');
    await untilState(el, 'not-running');
    expect(states()).to.deep.equal(['ready', 'reconnecting', 'not-running']);
    const p = parts(el);
    expect(p.statusText()).to.contain('未检测到证书助手').and.contain('重试');
    expect(p.status.shadowRoot!.querySelector('[role=alert]')).to.exist;
    const retry = p.status.shadowRoot!.querySelector<HTMLButtonElement>('button[part=retry]')!;
    expect(retry).to.exist;
    await expect(el).to.be.accessible();
    // Retry from the keyboard while the agent is still away: it probes again, and says so again.
    retry.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => states().length === 5, 'retry probed again', { timeout: 10_000 });
    expect(states().slice(3)).to.deep.equal(['checking', 'not-running']);
    await control('agent-start');
    // The client may find the agent again on its own before the citizen presses retry; either way it is ready.
    const again = parts(el).status.shadowRoot!.querySelector<HTMLButtonElement>('button[part=retry]');
    if (again) {
      again.focus();
      await sendKeys({ press: 'Enter' });
    }
    await untilReady(el);
    expect(parts(el).radios().map((r) => r.value)).to.include(f.restartableCerts['ECDSA-P256']);
    expect(states().at(-1)).to.equal('ready');
  });

  it('shows "reconnecting" while the agent restarts and comes back to "ready" without a retry', async () => {
    const { el, states } = await signerWithStates(f.restartableAgentUrl);
    await untilReady(el);
    await control('agent-stop');
    await untilState(el, 'reconnecting');
    expect(parts(el).statusText()).to.contain('正在重新连接');
    expect(parts(el).status.shadowRoot!.querySelector('[role=status]')).to.exist;
    await control('agent-start');
    await untilReady(el);
    expect(states()).to.deep.equal(['ready', 'reconnecting', 'ready']);
  });
});
