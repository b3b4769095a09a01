import { createSignedData, fromBase64, messageSigner, sha256, toBase64, toHex } from '@sicert/pki';
import { AgentError, Reason } from '@sicert/protocol';
import type { Handlers, MethodDeps } from './context.js';
import { providerFor } from './routing.js';

/** `sign.data`: detached CMS (default), attached CMS, or a raw signature, with the PIN in the request. */
export function signMethods(deps: MethodDeps): Handlers {
  return {
    'sign.data': async (params, context) => {
      const format = params.format ?? 'cms-detached';
      const data = params.data === undefined ? undefined : fromBase64(params.data);
      const digest = params.digest === undefined ? await sha256(data!) : fromBase64(params.digest);
      if (digest.length !== 32) throw new AgentError(Reason.INVALID_PARAMS, 'a SHA-256 digest has 32 bytes');
      const provider = providerFor(deps.providers, params.certId);
      const entry = { operation: 'sign.data', origin: context.origin, certId: params.certId, digest: toHex(digest) };
      try {
        const result = await provider.withKey(params.certId, params.pin, async (key, certificate) => ({
          certificate,
          signature:
            format === 'raw'
              ? await key.signDigest(digest)
              : await createSignedData(
                  data ? { content: data, certificate, attached: format === 'cms-attached' } : { digest, certificate },
                  messageSigner(key),
                ),
        }));
        deps.audit.record({ ...entry, outcome: 'ok' });
        return { signature: toBase64(result.signature), certificate: toBase64(result.certificate) };
      } catch (error) {
        deps.audit.record({ ...entry, outcome: error instanceof AgentError ? error.reason : Reason.INTERNAL });
        throw error;
      }
    },
  };
}
