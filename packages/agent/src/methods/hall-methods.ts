import { AgentError, Reason } from '@sicert/protocol';
import { audited } from './audited.js';
import type { Handlers, MethodDeps } from './context.js';
import { checkNewPin } from './lifecycle-methods.js';
import { providerFor } from './routing.js';
import { onTokenAsOfficer } from './token-work.js';

/** The capability of hall mode, listed by `agent.info` only when the agent serves it. */
export const TOKEN_INIT = 'token.init';

/**
 * Methods of hall mode (`hallMode` in the config, off by default): `token.init`, which initialises a blank USB-Key
 * at a service hall's counter. A citizen's agent does not serve it at all (`METHOD_NOT_FOUND`), so no page can
 * have it wipe or re-label a USB-Key; on a hall's computer it still refuses any key that is not blank.
 */
export function hallMethods(deps: MethodDeps): Handlers {
  return {
    'token.init': async (params, context) => {
      const provider = providerFor(deps.providers, params.tokenId, Reason.TOKEN_NOT_FOUND);
      if (!provider.initToken) throw new AgentError(Reason.NOT_SUPPORTED, 'only a USB-Key is initialised');
      if (new TextEncoder().encode(params.label).length > 32 || params.label.trim() === '') throw new AgentError(Reason.INVALID_PARAMS, 'params.label: 1-32 bytes of UTF-8, not only spaces');
      checkNewPin(params.pin);
      const tokenId = await audited(deps, { operation: 'token.init', origin: context.origin, tokenId: params.tokenId }, () =>
        onTokenAsOfficer(deps, context, params.tokenId, async (pinAccepted) => {
          const id = await provider.initToken!(params.tokenId, params.soPin, params.label, params.pin);
          pinAccepted();
          return id;
        }),
      );
      return { tokenId };
    },
  };
}
