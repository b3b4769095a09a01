import { certificateFields, toBase64 } from '@sicert/pki/light';
import { Reason, type CertificateInfo } from '@sicert/protocol';
import type { Handlers, MethodDeps } from './context.js';
import { providerFor } from './routing.js';

/** `token.list` and `cert.list`. */
export function tokenMethods(deps: MethodDeps): Handlers {
  return {
    'token.list': async () => ({ tokens: (await Promise.all(deps.providers.map((p) => p.listTokens()))).flat() }),

    'cert.list': async (params) => {
      const tokenId = params?.tokenId;
      const providers = tokenId ? [providerFor(deps.providers, tokenId, Reason.TOKEN_NOT_FOUND)] : deps.providers;
      const now = new Date();
      // The summaries need pkijs; loaded on the first listing, so that starting and signing never load it.
      const { summarizeCertificate } = await import('@sicert/pki');
      const certificates: CertificateInfo[] = [];
      for (const provider of providers) {
        for (const stored of await provider.listCertificates(tokenId)) {
          try {
            // What signing reads of the certificate (issuer, serial, public key: the CMS builder's light reader) must
            // read it too, or a page would be offered a certificate that can sign only raw.
            certificateFields(stored.der);
            certificates.push({
              id: stored.id,
              tokenId: stored.tokenId,
              der: toBase64(stored.der),
              hasPrivateKey: stored.hasPrivateKey,
              provider: provider.kind,
              ...summarizeCertificate(stored.der, now),
            });
          } catch (error) {
            // A token may hold a certificate we cannot parse; list the rest rather than fail the page.
            deps.logger.warn('skipping an unparseable certificate', { certId: stored.id, error: String(error) });
          }
        }
      }
      return { certificates };
    },
  };
}
