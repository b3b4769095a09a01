/**
 * The one seam between the docs site's live examples and the browser mock of `@sicert/agent-mock`.
 *
 * The examples call {@link startLiveAgent} once, before any sicert element is defined, and give every element the
 * `agentUrl` it resolves to. Whatever answers there must behave like an agent in the scenario asked for — the
 * elements probe `GET <agentUrl as http>/v1/health` with `fetch` and then open a WebSocket to `agentUrl` — and must
 * need no agent installed, no network and no node_modules at run time (the site is static; this file is bundled
 * into `assets/examples.js` by esbuild).
 *
 * Until the mock's browser helper is wired in here, no agent answers: the health probe is refused in the page
 * (as a stopped agent's would be, but without a network request, so the page logs no error) and every example
 * shows its "agent not running" state. Wiring the mock means replacing the body of {@link startLiveAgent} only.
 */

/** The scenarios the examples offer; the names of `@sicert/agent-mock`'s scenarios. */
export const LIVE_SCENARIOS = ['valid', 'expiring', 'expired', 'locked', 'wrong-pin', 'batch', 'slow', 'not-running', 'not-allowed', 'permission-denied', 'outdated'] as const;

/** One of {@link LIVE_SCENARIOS}. */
export type LiveScenario = (typeof LIVE_SCENARIOS)[number];

/** What the examples get back. */
export interface LiveAgent {
  /** The URL every example element gets as its `agent-url`. */
  readonly agentUrl: string;
  /** True when a mock answers at `agentUrl`; false while none is wired (the examples then say so). */
  readonly live: boolean;
  /** The PIN (certificate password) the scenario's certificates take, to show beside the examples; none without a mock. */
  readonly pin?: string;
}

/** Where the examples look for an agent while no mock is wired: the real agent's default address. */
const PLACEHOLDER_URL = 'ws://127.0.0.1:21260/v1';

/** Whether `scenario` names one of {@link LIVE_SCENARIOS} (the page takes it from `?scenario=`). */
export function isLiveScenario(scenario: string): scenario is LiveScenario {
  return (LIVE_SCENARIOS as readonly string[]).includes(scenario);
}

/**
 * Starts the page's stand-in agent in `scenario` and resolves once elements may connect to it.
 * The integrator replaces this body with the mock's browser helper (see the module's comment).
 */
export function startLiveAgent(scenario: LiveScenario): Promise<LiveAgent> {
  void scenario;
  refuseAgentRequests(PLACEHOLDER_URL);
  return Promise.resolve({ agentUrl: PLACEHOLDER_URL, live: false });
}

/**
 * Makes `fetch` to the agent's origin fail the way a refused connection does (a TypeError), without the request:
 * a real refused request would log "Failed to load resource" on every example page.
 */
function refuseAgentRequests(agentUrl: string): void {
  const url = new URL(agentUrl);
  const agentOrigin = `http://${url.host}`;
  const original = window.fetch.bind(window);
  window.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const target = input instanceof Request ? input.url : String(input);
    if (target.startsWith(`${agentOrigin}/`)) return Promise.reject(new TypeError('Failed to fetch'));
    return original(input, init);
  };
}
