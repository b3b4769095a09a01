import { createSignedData, fromBase64, messageSigner, sha256, toBase64, toHex } from '@sicert/pki';
import { AgentError, Reason } from '@sicert/protocol';
import type { Handlers, MethodDeps } from './context.js';
import { splitCertId } from '../providers/provider.js';
import { providerFor, realTokenId } from './routing.js';
import { onToken } from './token-work.js';

/** `sign.data`: detached CMS (default), attached CMS, or a raw signature, with the PIN in the request. */
export function signMethods(deps: MethodDeps): Handlers {
  return {
    'sign.data': async (params, context) => {
      const format = params.format ?? 'cms-detached';
      const data = params.data === undefined ? undefined : fromBase64(params.data);
      const digest = params.digest === undefined ? await sha256(data!) : fromBase64(params.digest);
      if (digest.length !== 32) throw new AgentError(Reason.INVALID_PARAMS, 'a SHA-256 digest has 32 bytes');
      const provider = providerFor(deps.providers, params.certId);
      const ref = splitCertId(params.certId);
      if (!ref) throw new AgentError(Reason.CERT_NOT_FOUND, 'no such certificate');
      const entry = { operation: 'sign.data', origin: context.origin, certId: params.certId, digest: toHex(digest) };
      const key = { tokenId: realTokenId(provider, ref.tokenId, ref.keyId), keyId: ref.keyId };
      try {
        const result = await onToken(deps, context, key.tokenId, params.pin, (pinAccepted) => provider.withKey(key, params.pin, async ({ signer, certificate }) => {
          pinAccepted();
          if (!certificate) throw new AgentError(Reason.CERT_NOT_FOUND, 'no certificate for this key');
          return {
            certificate,
            signature:
              format === 'raw'
                ? await signer.signDigest(digest)
                : await createSignedData(
                    data ? { content: data, certificate, attached: format === 'cms-attached' } : { digest, certificate },
                    messageSigner(signer),
                  ),
          };
        }));
        deps.audit.record({ ...entry, outcome: 'ok' });
        return { signature: toBase64(result.signature), certificate: toBase64(result.certificate) };
      } catch (error) {
        const reason = error instanceof AgentError ? error.reason : Reason.INTERNAL;
        deps.audit.record({ ...entry, outcome: reason });
        // No key: either the certificate has none (KEY_NOT_FOUND), or there is no such certificate at all.
        if (reason === Reason.KEY_NOT_FOUND && !(await provider.listCertificates(ref.tokenId).catch(() => [])).some((c) => c.id === params.certId)) {
          throw new AgentError(Reason.CERT_NOT_FOUND, 'no such certificate');
        }
        throw error;
      }
    },
  };
}
