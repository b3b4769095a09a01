import { AgentError, Reason, type Token } from '@sicert/protocol';
import { MOCK_MAX_TRIES, MOCK_PIN, type MockScenario } from './scenarios.js';

/** Where the mock's certificate lives, which decides how the elements word a locked password. */
export type MockMedium = 'usb-key' | 'computer';

/** The id of the mock USB-Key. */
export const MOCK_TOKEN_ID = 'mock-usb-key';

/**
 * The mock USB-Key's presence and PIN counter. A wrong PIN counts down as on a real key (`PIN_INCORRECT` with the
 * tries left, `PIN_LOCKED` at the last), a right one resets the count; in `wrong-pin` every PIN is wrong.
 */
export class MockToken {
  plugged = true;
  private failedTries = 0;

  /** `usb-key`: a PKCS#11 USB-Key; `computer`: a certificate stored on this computer (the software token). */
  constructor(readonly medium: MockMedium = 'usb-key') {}

  /** Puts the key in the state `scenario` starts from. */
  reset(scenario: MockScenario): void {
    this.plugged = scenario !== 'unplugged';
    this.failedTries = scenario === 'locked' ? MOCK_MAX_TRIES : 0;
  }

  get locked(): boolean {
    return this.failedTries >= MOCK_MAX_TRIES;
  }

  /** The `Token` that `token.list` and the notifications carry. */
  describe(): Token {
    const retriesLeft = Math.max(0, MOCK_MAX_TRIES - this.failedTries);
    return {
      id: MOCK_TOKEN_ID,
      provider: this.medium === 'computer' ? 'soft' : 'pkcs11',
      label: this.medium === 'computer' ? '张三 (测试)' : '测试 USB-Key (agent-mock)',
      manufacturer: this.medium === 'computer' ? 'sicert' : 'sicert agent-mock',
      model: this.medium === 'computer' ? 'Software token' : 'Mock USB-Key',
      serial: '00000001',
      pin: { initialized: true, locked: this.locked, countLow: this.failedTries > 0, finalTry: retriesLeft === 1, retriesLeft },
    };
  }

  /** Checks `pin`; throws `PIN_LOCKED` or `PIN_INCORRECT` (counting the try) as a real key does. */
  login(pin: string, scenario: MockScenario): void {
    if (this.locked) throw new AgentError(Reason.PIN_LOCKED, 'the PIN is locked: only the service hall can unblock it');
    if (pin === MOCK_PIN && scenario !== 'wrong-pin') {
      this.failedTries = 0;
      return;
    }
    this.failedTries++;
    if (this.failedTries >= MOCK_MAX_TRIES) throw new AgentError(Reason.PIN_LOCKED, 'too many wrong PINs: the PIN is now locked');
    throw new AgentError(Reason.PIN_INCORRECT, 'wrong PIN', { retriesLeft: MOCK_MAX_TRIES - this.failedTries });
  }
}
