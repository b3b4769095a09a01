import type { WebSocketLike } from './client.js';

/**
 * A stand-in for the network path between a page and its agent, for tests and live examples with no agent
 * installed (`@sicert/agent-mock/browser` installs one). While one is installed for an agent URL, the elements'
 * health probe asks it instead of `fetch`, and {@link AgentClient} opens its connection with it instead of
 * `WebSocket`. It lives on `globalThis` under a registered symbol, so a mock loaded as a separate bundle (or by
 * Playwright's `addInitScript`) reaches elements bundled with their own copy of this package. It is honoured in
 * production too: any script on the page could install one, as it could patch `WebSocket`, so a signature is
 * trusted only once the portal's server has verified it (docs/security.md).
 */
export interface AgentTransport {
  /** True when this transport serves the agent at `agentUrl` (`ws://127.0.0.1:<port>/v1`); others use the network. */
  handles(agentUrl: string): boolean;
  /** Answers a request to the agent's HTTP side (`GET /v1/health`) as `fetch` would, rejecting when nothing listens. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  /** Opens a connection as `new WebSocket(url, protocol)` would. */
  createSocket(url: string, protocol: string): WebSocketLike;
  /** The page's Local Network Access permission as the browser would report it; undefined leaves the browser's. */
  localNetworkPermission?(): PermissionState | undefined;
}

const KEY = Symbol.for('sicert.agent-transport');
type Holder = { [KEY]?: AgentTransport[] };

/** Installs `transport` for the agent URLs it handles; returns a function that removes it again. */
export function installAgentTransport(transport: AgentTransport): () => void {
  const holder = globalThis as Holder;
  const installed = (holder[KEY] ??= []);
  installed.unshift(transport);
  return () => {
    const at = installed.indexOf(transport);
    if (at >= 0) installed.splice(at, 1);
  };
}

/** The transport installed for `agentUrl` (the most recently installed first), or undefined for the network. */
export function agentTransportFor(agentUrl: string): AgentTransport | undefined {
  return (globalThis as Holder)[KEY]?.find((t) => t.handles(agentUrl));
}
