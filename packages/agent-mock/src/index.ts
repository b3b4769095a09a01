/**
 * `@sicert/agent-mock`: a mock sicert agent for portal teams' own tests. {@link startMockAgent} runs a real
 * localhost server speaking protocol v1 that signs for real with a test-only key and CA made in memory; the
 * browser helper (`@sicert/agent-mock/browser`) serves the same scenarios inside a page. Never for production.
 */
export { startMockAgent, type MockAgent, type MockAgentOptions } from './node/start-mock-agent.js';
export { MOCK_SCENARIOS, MOCK_PIN, MOCK_MAX_TRIES, MOCK_AGENT_VERSION, OUTDATED_AGENT_VERSION, type MockScenario } from './core/scenarios.js';
export { MOCK_PERSON, MOCK_ORGANIZATION } from './core/mock-ca.js';
export { MOCK_TOKEN_ID, type MockMedium } from './core/mock-token.js';
