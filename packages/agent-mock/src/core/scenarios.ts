/**
 * What the mock agent plays. One at a time; switch at run time with `setScenario`.
 *
 * | scenario | what a page sees |
 * |---|---|
 * | `valid` | the default: a USB-Key holding a valid ECDSA P-256 certificate; every operation works |
 * | `expiring` | that certificate expires in 10 days (`status: 'expiring'`) |
 * | `expired` | that certificate expired 5 days ago (`status: 'expired'`) |
 * | `locked` | the USB-Key's PIN is locked: signing answers `PIN_LOCKED` |
 * | `wrong-pin` | every PIN is wrong: `PIN_INCORRECT` with `retriesLeft` counting down, then `PIN_LOCKED` |
 * | `slow` | the token takes `slowMs` (default 2 s) per operation, as a slow USB-Key does |
 * | `batch` | an organisation's certificate (`organizationIdentifier`), as the signer's batch mode signs with |
 * | `unplugged` | no USB-Key: `token.list` is empty until `plug()` |
 * | `not-running` | nothing listens: the health probe and the connection fail |
 * | `not-allowed` | the agent runs but refuses this page's origin (no CORS, WebSocket upgrade refused) |
 * | `permission-denied` | the browser's Local Network Access permission is denied (browser helper only; in Node, as `not-running`) |
 * | `outdated` | an agent of protocol 0 (`agentVersion` `0.0.1`): the elements say "update the agent" |
 * | `missing-capability` | a v1 agent without `sign.batch` (not listed in `agent.info`, `METHOD_NOT_FOUND`) |
 */
export type MockScenario =
  | 'valid'
  | 'expiring'
  | 'expired'
  | 'locked'
  | 'wrong-pin'
  | 'slow'
  | 'batch'
  | 'unplugged'
  | 'not-running'
  | 'not-allowed'
  | 'permission-denied'
  | 'outdated'
  | 'missing-capability';

/** Every {@link MockScenario}, in the order the docs list them. */
export const MOCK_SCENARIOS: readonly MockScenario[] = [
  'valid',
  'expiring',
  'expired',
  'locked',
  'wrong-pin',
  'slow',
  'batch',
  'unplugged',
  'not-running',
  'not-allowed',
  'permission-denied',
  'outdated',
  'missing-capability',
];

/** The PIN of the mock USB-Key (the `pin` that `startMockAgent` and `installMockAgent` return). */
export const MOCK_PIN = 'Mock2468x';

/** Wrong PINs a token takes before it locks (the `wrong-pin` countdown starts here). */
export const MOCK_MAX_TRIES = 5;

/** The agent version the mock reports; `outdated` reports {@link OUTDATED_AGENT_VERSION} instead. */
export const MOCK_AGENT_VERSION = '1.0.0-mock';

/** The version an `outdated` mock reports, with protocol 0. */
export const OUTDATED_AGENT_VERSION = '0.0.1';

/** True for scenarios where nothing answers at all. */
export function isUnreachable(scenario: MockScenario): boolean {
  return scenario === 'not-running' || scenario === 'permission-denied';
}
