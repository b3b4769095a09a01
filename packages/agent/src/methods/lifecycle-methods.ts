import { AgentError, checkPinPolicy, Reason } from '@sicert/protocol';
import { audited } from './audited.js';
import type { Handlers, MethodDeps } from './context.js';
import { providerFor, realTokenId } from './routing.js';
import { onToken, onTokenAsOfficer } from './token-work.js';

/** Refuses a new PIN that breaks the policy, before any token is touched: a page that skipped its own check gets the same answer. */
export function checkNewPin(pin: string): void {
  if (checkPinPolicy(pin)) throw new AgentError(Reason.PIN_POLICY, 'the new PIN does not meet the PIN policy');
}

/**
 * `token.create`, `pin.change`, `pin.unblock` and `key.delete`: a certificate's token after its key was made.
 * Each is audited (what, by which origin, on which token and key, the outcome); none writes a PIN anywhere.
 */
export function lifecycleMethods(deps: MethodDeps): Handlers {
  return {
    'token.create': async (params, context) => {
      const provider = deps.providers.find((p) => p.kind === params.provider && 'createToken' in p);
      if (!provider) throw new AgentError(Reason.NOT_SUPPORTED, 'this agent does not keep certificates on this computer');
      checkNewPin(params.pin);
      try {
        const tokenId = await provider.createToken!(params.label, params.pin);
        deps.audit.record({ operation: 'token.create', origin: context.origin, tokenId, outcome: 'ok' });
        return { tokenId };
      } catch (error) {
        const reason = error instanceof AgentError ? error.reason : Reason.INTERNAL;
        // A refusal at the limit wrote nothing and costs nothing: a page repeating it must not rotate real entries away.
        if (reason !== Reason.TOKEN_LIMIT) deps.audit.record({ operation: 'token.create', origin: context.origin, outcome: reason });
        throw error;
      }
    },

    'pin.change': async (params, context) => {
      const provider = providerFor(deps.providers, params.tokenId, Reason.TOKEN_NOT_FOUND);
      checkNewPin(params.newPin);
      await audited(deps, { operation: 'pin.change', origin: context.origin, tokenId: params.tokenId }, () =>
        onToken(deps, context, params.tokenId, params.oldPin, async (pinAccepted) => {
          await provider.changePin(params.tokenId, params.oldPin, params.newPin);
          pinAccepted();
        }),
      );
      return {};
    },

    'pin.unblock': async (params, context) => {
      const provider = providerFor(deps.providers, params.tokenId, Reason.TOKEN_NOT_FOUND);
      checkNewPin(params.newPin);
      await audited(deps, { operation: 'pin.unblock', origin: context.origin, tokenId: params.tokenId }, () =>
        onTokenAsOfficer(deps, context, params.tokenId, async (pinAccepted) => {
          await provider.unblockPin(params.tokenId, params.soPin, params.newPin);
          pinAccepted();
        }),
      );
      // The holder has a new PIN: wrong tries of the old one no longer hold it back.
      deps.pinThrottle.succeeded(params.tokenId);
      return {};
    },

    'key.delete': async (params, context) => {
      const provider = providerFor(deps.providers, params.tokenId, Reason.TOKEN_NOT_FOUND);
      const tokenId = realTokenId(provider, params.tokenId, params.keyId);
      await audited(deps, { operation: 'key.delete', origin: context.origin, tokenId: params.tokenId, keyId: params.keyId }, () =>
        onToken(deps, context, tokenId, params.pin, async (pinAccepted) => {
          await provider.deleteKey(tokenId, params.keyId, params.pin);
          pinAccepted();
        }),
      );
      return {};
    },
  };
}
