/**
 * The docs site's live examples and their stand-in agent: `@sicert/agent-mock`'s browser helper, bundled into
 * `assets/examples.js` by esbuild. It answers the elements' health probe and WebSocket inside the page, with no agent
 * installed, no network and no node_modules at run time, and signs for real with a test-only key and CA made in the
 * page (WebCrypto, so the site must be served over https:// or from localhost).
 */
import { installMockAgent, MOCK_SCENARIOS, type MockScenario } from '@sicert/agent-mock/browser';

/** The scenarios the examples offer: every one of the mock's. */
export const LIVE_SCENARIOS: readonly MockScenario[] = MOCK_SCENARIOS;

/** One of {@link LIVE_SCENARIOS}. */
export type LiveScenario = MockScenario;

/** What the examples get back. */
export interface LiveAgent {
  /** The URL every example element gets as its `agent-url`. */
  readonly agentUrl: string;
  /** True when the mock answers at `agentUrl`; false when the page cannot run it (no secure context). */
  readonly live: boolean;
  /** The PIN (certificate password) the mock's certificates take, shown beside the examples. */
  readonly pin?: string;
  /** Why the mock could not start, when it could not. */
  readonly problem?: string;
}

/**
 * The address the examples' mock answers for: not the real agent's port, so a citizen's agent running on the
 * reader's computer is never reached from the docs (and the mock never stands in for it).
 */
const EXAMPLES_AGENT_URL = 'ws://127.0.0.1:21299/v1';

/** Whether `scenario` names one of {@link LIVE_SCENARIOS} (the page takes it from `?scenario=`). */
export function isLiveScenario(scenario: string): scenario is LiveScenario {
  return (LIVE_SCENARIOS as readonly string[]).includes(scenario);
}

/** Installs the mock in `scenario` and resolves once its test CA and key are made and elements may connect. */
export async function startLiveAgent(scenario: LiveScenario): Promise<LiveAgent> {
  try {
    const mock = installMockAgent({ url: EXAMPLES_AGENT_URL, scenario });
    await mock.ready;
    // For a reader trying things in the console (`sicertExampleAgent.unplug()`, `.setScenario('locked')`, the test
    // CA's certificate to verify a signature with), and for the site's own test.
    (window as unknown as { sicertExampleAgent: typeof mock }).sicertExampleAgent = mock;
    return { agentUrl: EXAMPLES_AGENT_URL, live: true, pin: mock.pin };
  } catch (error) {
    return { agentUrl: EXAMPLES_AGENT_URL, live: false, problem: error instanceof Error ? error.message : String(error) };
  }
}
