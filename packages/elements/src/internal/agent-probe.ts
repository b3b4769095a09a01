import { agentTransportFor, DEFAULT_PORT, HEALTH_PATH, PROTOCOL_VERSION, type HealthResponse } from '@sicert/protocol';

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

/** The outcome of a probe: the state, and the agent's version when its health answer named one. */
export interface ProbeResult {
  state: AgentState;
  agentVersion?: string;
}

/** {@link probeAgent}, keeping the version the agent's health answer reports (for "too old"). */
export async function probe(agentUrl: string): Promise<ProbeResult> {
  const healthUrl = healthUrlOf(agentUrl);
  // A mock agent installed in the page (AgentTransport) answers instead of the network.
  const transport = agentTransportFor(agentUrl);
  const fetch = transport ? transport.fetch.bind(transport) : globalThis.fetch.bind(globalThis);
  try {
    const response = await fetch(healthUrl, { cache: 'no-store', credentials: 'omit', targetAddressSpace: 'loopback' } as RequestInit);
    if (!response.ok) return { state: 'not-running' };
    const health = (await response.json()) as Partial<HealthResponse>;
    const ours = health.name === 'sicert-agent' && typeof health.protocol === 'number' && health.protocol >= PROTOCOL_VERSION;
    return { state: ours ? 'ready' : 'too-old', ...(typeof health.agentVersion === 'string' ? { agentVersion: health.agentVersion } : {}) };
  } catch {
    if ((transport?.localNetworkPermission?.() ?? (await localNetworkPermission())) === 'denied') return { state: 'permission-denied' };
    try {
      // An opaque answer proves something listens there: the agent runs but withholds CORS from this origin.
      await fetch(healthUrl, { mode: 'no-cors', cache: 'no-store', credentials: 'omit' });
      return { state: 'origin-denied' };
    } catch {
      return { state: 'not-running' };
    }
  }
}

/**
 * One plain HTTP request to the agent's health endpoint before any WebSocket: Chrome's Local Network Access
 * prompt then appears while the page explains why, and the outcome tells apart "not running", "permission
 * denied", "this site is not allowed" and "too old".
 */
export async function probeAgent(agentUrl: string): Promise<AgentState> {
  return (await probe(agentUrl)).state;
}
