import { DEFAULT_PORT, HEALTH_PATH, installAgentTransport, WS_PATH, type AgentTransport } from '@sicert/protocol';
import { MockAgentCore, type MockCoreOptions } from '../core/mock-agent.js';
import { isUnreachable, MOCK_PIN, type MockScenario } from '../core/scenarios.js';
import { MockSocket } from './mock-socket.js';

/** Options of {@link installMockAgent}. */
export interface InPageMockOptions extends MockCoreOptions {
  /**
   * The agent URL the mock answers for; default the elements' default, `ws://127.0.0.1:21260/v1`, so elements
   * without an `agent-url` find it. Other URLs still go to the network.
   */
  url?: string;
}

/** A mock agent installed in this page. */
export interface InPageMockAgent {
  /** The agent URL it answers for. */
  readonly url: string;
  /** The PIN of the mock USB-Key. */
  readonly pin: string;
  /** Resolves once the test CA and key are made (the transport is installed at once and waits for them itself). */
  readonly ready: Promise<void>;
  /** The test CA's certificate, DER (test-only): resolves with {@link ready}. */
  readonly caCertificate: Promise<Uint8Array>;
  /** The current scenario. */
  readonly scenario: MockScenario;
  /** Switches scenario; connected elements get the notifications the real agent would send. */
  setScenario(scenario: MockScenario): Promise<void>;
  /** Plugs the USB-Key in (`token.added`). */
  plug(): Promise<void>;
  /** Pulls the USB-Key out (`token.removed`). */
  unplug(): Promise<void>;
  /** Removes the mock: the URL goes to the network again and open connections close. */
  uninstall(): void;
}

function sameAgent(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.host === y.host && x.pathname === y.pathname && x.protocol === y.protocol;
  } catch {
    return false;
  }
}

/**
 * Installs a mock agent into this page, with no agent and no network: the elements' health probe and their
 * `AgentClient` reach it through the protocol's {@link AgentTransport} hook. It signs for real with WebCrypto and
 * `@sicert/pki` (a test-only key and CA made in the page). Installed synchronously, so call it before the elements
 * connect: first in a test, or in a module script before the elements' bundle. Needs a secure context (https://,
 * or http://localhost / 127.0.0.1), as WebCrypto does.
 */
export function installMockAgent(options: InPageMockOptions = {}): InPageMockAgent {
  // WebCrypto's subtle API exists only in secure contexts; without it nothing could be signed.
  if (!(globalThis.crypto as Crypto | undefined)?.subtle) throw new Error('installMockAgent needs a secure context (https://, http://localhost or http://127.0.0.1): it signs with WebCrypto');
  const url = options.url ?? `ws://127.0.0.1:${DEFAULT_PORT}${WS_PATH}`;
  const created = MockAgentCore.create(options);
  const sockets = new Set<MockSocket>();
  let scenario: MockScenario = options.scenario ?? 'valid';
  const failed = () => Promise.reject(new TypeError('Failed to fetch'));

  const transport: AgentTransport = {
    handles: (agentUrl) => sameAgent(agentUrl, url),
    async fetch(target, init) {
      const core = await created;
      if (isUnreachable(core.scenario)) return failed();
      // The browser withholds a CORS answer from a page the agent does not allow; an opaque one still arrives.
      if (core.scenario === 'not-allowed') return init?.mode === 'no-cors' ? new Response(null, { status: 200 }) : failed();
      if (new URL(target).pathname.toLowerCase() !== HEALTH_PATH) return new Response(null, { status: 404 });
      return new Response(JSON.stringify(core.health()), { status: 200, headers: { 'content-type': 'application/json' } });
    },
    createSocket: () => new MockSocket(created.then((core) => (isUnreachable(core.scenario) || core.scenario === 'not-allowed' ? undefined : core)), sockets),
    localNetworkPermission: () => (scenario === 'permission-denied' ? 'denied' : undefined),
  };
  const uninstall = installAgentTransport(transport);
  return {
    url,
    pin: MOCK_PIN,
    ready: created.then(() => undefined),
    caCertificate: created.then((core) => core.ca.caCertificate),
    get scenario() {
      return scenario;
    },
    async setScenario(next) {
      scenario = next;
      await (await created).setScenario(next);
      // An agent that stops (or a permission withdrawn) drops every connection, as the real one does.
      if (isUnreachable(next)) for (const socket of [...sockets]) socket.drop(1006);
      // An agent that stops allowing this page (`sicert-agent deny`) closes its connections with 1008.
      if (next === 'not-allowed') for (const socket of [...sockets]) socket.drop(1008, 'ORIGIN_DENIED');
    },
    plug: async () => (await created).plug(),
    unplug: async () => (await created).unplug(),
    uninstall() {
      uninstall();
      for (const socket of [...sockets]) socket.drop(1001);
    },
  };
}
