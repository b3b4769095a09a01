import type { ReactiveControllerHost } from 'lit';
import type { AgentClient, Token } from '@sicert/protocol';
import type { Medium } from '../../backend/types.js';

/** The tokens the agent reports, and the USB-Key chosen among them: where the wizard can make the key. */
export class AgentTokens {
  #tokens: Token[] = [];
  #usbTokenId = '';

  constructor(private readonly host: ReactiveControllerHost) {}

  /** USB-Keys with a PIN set, to choose from. */
  get usbKeys(): Token[] {
    return this.#tokens.filter((t) => t.provider === 'pkcs11' && t.pin.initialized);
  }

  /** The chosen USB-Key ('' when there is none). */
  get usbTokenId(): string {
    return this.#usbTokenId;
  }
  set usbTokenId(id: string) {
    this.#usbTokenId = id;
    this.host.requestUpdate();
  }

  /** The token for `medium`: this computer's software token, or the chosen USB-Key. */
  tokenFor(medium: Medium): string | undefined {
    return medium === 'computer' ? this.#soft()?.id : this.#usbTokenId || undefined;
  }

  /** A new certificate password is being set: this computer's store has none yet. */
  settingNewPassword(medium: Medium): boolean {
    return medium === 'computer' && !this.#soft()?.pin.initialized;
  }

  /** Asks the agent again; keeps the chosen USB-Key while it is still there. */
  async load(client: AgentClient): Promise<void> {
    this.#tokens = (await client.request('token.list', undefined)).tokens;
    const usb = this.usbKeys;
    if (!usb.some((t) => t.id === this.#usbTokenId)) this.#usbTokenId = usb[0]?.id ?? '';
    this.host.requestUpdate();
  }

  #soft(): Token | undefined {
    return this.#tokens.find((t) => t.provider === 'soft');
  }
}
