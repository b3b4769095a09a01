import { PROTOCOL_VERSION } from '@sicert/protocol';
import { AGENT_VERSION } from '../version.js';
import type { Handlers, MethodDeps } from './context.js';

/** Capabilities this agent offers; components degrade when one they need is missing. */
export const CAPABILITIES = ['token.list', 'cert.list', 'sign.data', 'sign.batch', 'sign.format.cms-detached', 'sign.format.cms-attached', 'sign.format.raw', 'sign.digest', 'key.generate', 'csr.create', 'cert.install', 'pin.change', 'pin.unblock', 'key.delete', 'token.events'];
/** Offered when a provider can make tokens: certificates can then be stored on this computer. */
export const TOKEN_CREATE = 'token.create';

/** `agent.info`. `extra` are the capabilities of optional method families served (hall mode's `token.init`). */
export function agentMethods(deps: MethodDeps, extra: readonly string[] = []): Handlers {
  return {
    'agent.info': async () => ({
      agentVersion: AGENT_VERSION,
      protocol: PROTOCOL_VERSION,
      providers: deps.providers.map((p) => p.kind),
      capabilities: [...CAPABILITIES, ...(deps.providers.some((p) => 'createToken' in p) ? [TOKEN_CREATE] : []), ...extra],
      algorithms: ['ECDSA-P256', 'RSA-2048'],
    }),
  };
}
