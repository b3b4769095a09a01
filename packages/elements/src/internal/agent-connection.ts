import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { AgentClient, Reason, type AgentInfoResult, type ConnectionStateEvent } from '@sicert/protocol';
import { SicertAgentStateEvent, type AgentStateDetail } from '../events.js';
import { probe, type AgentState } from './agent-probe.js';

export { DEFAULT_AGENT_URL, healthUrlOf, probeAgent, type AgentState } from './agent-probe.js';

/** How long "reconnecting" may last before an element says the agent is not running: 10 s. */
export const DEFAULT_RECONNECT_TIMEOUT_MS = 10_000;

/**
 * Capabilities an element needs from the agent; a missing one means "update the agent". A function is asked at each
 * check, for an element whose needs depend on how the page set it up (the signer's batch mode needs `sign.batch`).
 */
export type RequiredCapabilities = readonly string[] | (() => readonly string[]);

/** The element an {@link AgentController} serves: it names the agent and shows (and announces) its state. */
export type AgentHost = ReactiveControllerHost &
  Pick<HTMLElement, 'dispatchEvent'> & {
    agentUrl: string;
    /** Milliseconds of "reconnecting" before "not running"; {@link DEFAULT_RECONNECT_TIMEOUT_MS} when unset. */
    reconnectTimeout?: number;
  };

/**
 * Keeps an element informed about the agent: probes, connects the page's shared {@link AgentClient}, checks
 * capabilities, and follows reconnections. Every state change goes through one place, which updates the host
 * and fires `sicert-agent-state` on it. A reconnection that lasts longer than the host's `reconnectTimeout`
 * turns into "not running" (with its retry button); if the agent comes back meanwhile, the state is "ready".
 */
export class AgentController implements ReactiveController {
  state: AgentState = 'checking';
  client: AgentClient | undefined;
  info: AgentInfoResult | undefined;
  private giveUpTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onState = (event: Event) => {
    const { state, closeReason } = event as ConnectionStateEvent;
    if (state === 'reconnecting' && this.state === 'ready' && closeReason === Reason.ORIGIN_DENIED) {
      // The agent runs but no longer allows this site (`sicert-agent deny`) and said so as it closed: not
      // "reconnecting" and then "not running", which would send the citizen to reinstall it.
      this.set({ state: 'origin-denied', ...this.version() });
    } else if (state === 'reconnecting' && this.state === 'ready') {
      this.set({ state: 'reconnecting', ...this.version() });
      clearTimeout(this.giveUpTimer);
      this.giveUpTimer = setTimeout(() => {
        if (this.state === 'reconnecting') this.set({ state: 'not-running' });
      }, this.reconnectTimeout());
    } else if (state === 'open' && (this.state === 'reconnecting' || this.state === 'not-running' || this.state === 'origin-denied')) {
      this.set({ state: 'ready', ...this.version() });
      this.onReady?.();
    }
  };
  private generation = 0;

  constructor(
    private readonly host: AgentHost,
    private readonly required: RequiredCapabilities,
    private readonly onReady?: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    // After the host's first update: a page may set `agentUrl` before the element is defined, and Lit applies such
    // a property only then; checking at once would reach for the default address first. A check the update
    // started meanwhile (a changed agentUrl) makes this one unnecessary.
    const generation = this.generation;
    void this.host.updateComplete.then(() => {
      if (generation === this.generation) void this.check();
    });
  }

  hostDisconnected(): void {
    this.client?.removeEventListener('statechange', this.onState);
    clearTimeout(this.giveUpTimer);
    this.generation++;
  }

  /** Probes and connects again (the "retry" button). */
  async check(): Promise<void> {
    const generation = ++this.generation;
    this.client?.removeEventListener('statechange', this.onState);
    // Forget the agent of the previous check before anything else: should this check fail, nothing (a key
    // request, a PIN) may still go to an agent the element no longer says is there.
    this.client = undefined;
    this.info = undefined;
    clearTimeout(this.giveUpTimer);
    this.set({ state: 'checking' });
    const url = this.host.agentUrl;
    const probed = await probe(url);
    if (generation !== this.generation) return;
    if (probed.state !== 'ready') {
      this.set(probed);
      return;
    }
    const client = AgentClient.shared(url);
    try {
      await client.connect();
      const info = await client.request('agent.info', undefined);
      if (generation !== this.generation) return;
      this.client = client;
      this.info = info;
      client.addEventListener('statechange', this.onState);
      const required = typeof this.required === 'function' ? this.required() : this.required;
      const missing = required.filter((c) => !info.capabilities.includes(c));
      this.set(missing.length ? { state: 'too-old', agentVersion: info.agentVersion, missingCapabilities: missing } : { state: 'ready', agentVersion: info.agentVersion });
      if (!missing.length) this.onReady?.();
    } catch {
      // The health check passed but the WebSocket was refused: the origin is not allowed (or the agent stopped).
      if (generation !== this.generation) return;
      const again = await probe(url);
      if (generation === this.generation) this.set(again.state === 'ready' ? { state: 'origin-denied', ...(again.agentVersion ? { agentVersion: again.agentVersion } : {}) } : again);
    }
  }

  /** The host's setting, or the default when it is unset or not a usable number (an attribute typo). */
  private reconnectTimeout(): number {
    const ms = this.host.reconnectTimeout;
    return ms !== undefined && Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_RECONNECT_TIMEOUT_MS;
  }

  private version(): Pick<AgentStateDetail, 'agentVersion'> {
    return this.info ? { agentVersion: this.info.agentVersion } : {};
  }

  /** The one path every state takes: the host re-renders and page code hears of it, once per change. */
  private set(detail: AgentStateDetail): void {
    this.host.requestUpdate();
    if (detail.state === this.state) return;
    if (detail.state !== 'reconnecting') clearTimeout(this.giveUpTimer);
    this.state = detail.state;
    this.host.dispatchEvent(new SicertAgentStateEvent({ ...detail }));
  }
}
