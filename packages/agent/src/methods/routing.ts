import { AgentError, Reason } from '@sicert/protocol';
import type { Provider } from '../providers/provider.js';

/** The provider that owns a token or certificate id. Ids name their provider, so nothing is guessed. */
export function providerFor(providers: readonly Provider[], id: string, notFound: Reason = Reason.CERT_NOT_FOUND): Provider {
  const provider = providers.find((p) => p.owns(id));
  if (!provider) throw new AgentError(notFound, notFound === Reason.TOKEN_NOT_FOUND ? 'no such token' : 'no such certificate');
  return provider;
}
