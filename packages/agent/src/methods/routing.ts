import { AgentError, Reason } from '@sicert/protocol';
import type { Provider } from '../providers/provider.js';

/** The provider that owns a token or certificate id. Ids name their provider, so nothing is guessed. */
export function providerFor(providers: readonly Provider[], id: string, notFound: Reason = Reason.CERT_NOT_FOUND): Provider {
  const provider = providers.find((p) => p.owns(id));
  if (!provider) throw new AgentError(notFound, notFound === Reason.TOKEN_NOT_FOUND ? 'no such token' : 'no such certificate');
  return provider;
}

/**
 * The id a key-addressed operation is queued and throttled under: the real token behind an alias (`soft-default`),
 * so one holder's wrong PINs never count against another's token and no token gets a second budget.
 */
export function realTokenId(provider: Provider, tokenId: string, keyId: string): string {
  return provider.resolveTokenId?.(tokenId, keyId) ?? tokenId;
}
