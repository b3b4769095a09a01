import { PROTOCOL_VERSION } from '@sicert/protocol';
import { AGENT_VERSION } from '../version.js';
import type { Handlers, MethodDeps } from './context.js';

/** Capabilities this agent offers; components degrade when one they need is missing. */
export const CAPABILITIES = ['token.list', 'cert.list', 'sign.data', 'sign.format.cms-detached', 'sign.format.cms-attached', 'sign.format.raw', 'sign.digest', 'key.generate', 'csr.create', 'cert.install', 'token.events'];

/** `agent.info`. */
export function agentMethods(deps: MethodDeps): Handlers {
  return {
    'agent.info': async () => ({
      agentVersion: AGENT_VERSION,
      protocol: PROTOCOL_VERSION,
      providers: deps.providers.map((p) => p.kind),
      capabilities: CAPABILITIES,
      algorithms: ['ECDSA-P256', 'RSA-2048'],
    }),
  };
}
