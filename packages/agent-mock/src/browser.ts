/**
 * `@sicert/agent-mock/browser`: the mock agent inside a page, with no agent and no network, for web-test-runner,
 * Playwright and live examples on a static site. Test-only keys and CA: never for production.
 */
export { installMockAgent, type InPageMockAgent, type InPageMockOptions } from './browser/install-mock-agent.js';
export { MOCK_SCENARIOS, MOCK_PIN, MOCK_MAX_TRIES, MOCK_AGENT_VERSION, OUTDATED_AGENT_VERSION, type MockScenario } from './core/scenarios.js';
export { MOCK_PERSON, MOCK_ORGANIZATION } from './core/mock-ca.js';
export { MOCK_TOKEN_ID, type MockMedium } from './core/mock-token.js';
