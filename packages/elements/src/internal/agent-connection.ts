import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { AgentClient, ConnectionStateEvent, DEFAULT_PORT, HEALTH_PATH, PROTOCOL_VERSION, type AgentInfoResult, type HealthResponse } from '@sicert/protocol';

/** What a page can tell the citizen about the local agent. */
export type AgentState = 'checking' | 'ready' | 'not-running' | 'permission-denied' | 'origin-denied' | 'too-old' | 'reconnecting';

/** The agent's default WebSocket URL. */
export const DEFAULT_AGENT_URL = `ws://127.0.0.1:${DEFAULT_PORT}/v1`;

/** `http://127.0.0.1:<port>/v1/health` for an agent WebSocket URL. */
export function healthUrlOf(agentUrl: string): string {
  const url = new URL(agentUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = HEALTH_PATH;
  return url.toString();
}

async function localNetworkPermission(): Promise<PermissionState | undefined> {
  // Chrome names the permission 'loopback-network' (147+) or 'local-network-access' (142+); others lack both.
  for (const name of ['loopback-network', 'local-network-access']) {
    try {
      return (await navigator.permissions.query({ name } as unknown as PermissionDescriptor)).state;
    } catch {
      // not a permission this browser knows
    }
  }
  return undefined;
}

/**
 * One plain HTTP request to the agent's health endpoint before any WebSocket: Chrome's Local Network Access
 * prompt then appears while the page explains why, and the outcome tells apart "not running", "permission
 * denied", "this site is not allowed" and "too old".
 */
export async function probeAgent(agentUrl: string): Promise<AgentState> {
  const healthUrl = healthUrlOf(agentUrl);
  try {
    const response = await fetch(healthUrl, { cache: 'no-store', credentials: 'omit', targetAddressSpace: 'loopback' } as RequestInit);
    if (!response.ok) return 'not-running';
    const health = (await response.json()) as Partial<HealthResponse>;
    return health.name === 'sicert-agent' && typeof health.protocol === 'number' && health.protocol >= PROTOCOL_VERSION ? 'ready' : 'too-old';
  } catch {
    if ((await localNetworkPermission()) === 'denied') return 'permission-denied';
    try {
      // An opaque answer proves something listens there: the agent runs but withholds CORS from this origin.
      await fetch(healthUrl, { mode: 'no-cors', cache: 'no-store', credentials: 'omit' });
      return 'origin-denied';
    } catch {
      return 'not-running';
    }
  }
}

/** Capabilities an element needs from the agent; a missing one means "update the agent". */
export type RequiredCapabilities = readonly string[];

/**
 * Keeps an element informed about the agent: probes, connects the page's shared {@link AgentClient}, checks
 * capabilities, and follows reconnections. Requests an update of its host on every change.
 */
export class AgentController implements ReactiveController {
  state: AgentState = 'checking';
  client: AgentClient | undefined;
  info: AgentInfoResult | undefined;
  private readonly onState = (event: Event) => {
    const state = (event as ConnectionStateEvent).state;
    if (state === 'reconnecting') this.set('reconnecting');
    else if (state === 'open' && this.state === 'reconnecting') {
      this.set('ready');
      this.onReady?.();
    }
  };
  private generation = 0;

  constructor(
    private readonly host: ReactiveControllerHost & { agentUrl: string },
    private readonly required: RequiredCapabilities,
    private readonly onReady?: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    void this.check();
  }

  hostDisconnected(): void {
    this.client?.removeEventListener('statechange', this.onState);
    this.generation++;
  }

  /** Probes and connects again (the "retry" button). */
  async check(): Promise<void> {
    const generation = ++this.generation;
    this.client?.removeEventListener('statechange', this.onState);
    this.set('checking');
    const url = this.host.agentUrl;
    const probed = await probeAgent(url);
    if (generation !== this.generation) return;
    if (probed !== 'ready') {
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
      const missing = this.required.filter((c) => !info.capabilities.includes(c));
      this.set(missing.length ? 'too-old' : 'ready');
      if (!missing.length) this.onReady?.();
    } catch {
      // The health check passed but the WebSocket was refused: the origin is not allowed (or the agent stopped).
      if (generation === this.generation) this.set((await probeAgent(url)) === 'ready' ? 'origin-denied' : 'not-running');
    }
  }

  private set(state: AgentState): void {
    this.state = state;
    this.host.requestUpdate();
  }
}
