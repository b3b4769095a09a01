import type { ReactiveControllerHost } from 'lit';
import type { AgentClient, Token } from '@sicert/protocol';
import type { Medium } from '../../backend/types.js';

/** The tokens the agent reports, and the USB-Key chosen among them: where the wizard can make the key. */
export class AgentTokens {
  #tokens: Token[] = [];
  #usbTokenId = '';
  #listedBy: AgentClient | undefined;

  constructor(private readonly host: ReactiveControllerHost) {}

  /** USB-Keys with a PIN set, to choose from. */
  get usbKeys(): Token[] {
    return this.#tokens.filter((t) => t.provider === 'pkcs11' && t.pin.initialized);
  }

  /** Whether these are the tokens of `client` (the agent shown as ready): then a token not listed is not there. */
  listedBy(client: AgentClient | undefined): boolean {
    return client !== undefined && client === this.#listedBy;
  }

  /** The token with this id, if the agent listed it. */
  byId(id: string): Token | undefined {
    return this.#tokens.find((t) => t.id === id);
  }

  /** The chosen USB-Key ('' when there is none). */
  get usbTokenId(): string {
    return this.#usbTokenId;
  }
  set usbTokenId(id: string) {
    this.#usbTokenId = id;
    this.host.requestUpdate();
  }

  /** A new certificate password is being set: on this computer every application gets a token of its own. */
  settingNewPassword(medium: Medium): boolean {
    return medium === 'computer';
  }

  /** Asks the agent again; keeps the chosen USB-Key while it is still there. */
  async load(client: AgentClient): Promise<void> {
    this.#tokens = (await client.request('token.list', undefined)).tokens;
    this.#listedBy = client;
    const usb = this.usbKeys;
    if (!usb.some((t) => t.id === this.#usbTokenId)) this.#usbTokenId = usb[0]?.id ?? '';
    this.host.requestUpdate();
  }
}
