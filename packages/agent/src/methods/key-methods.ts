import { certificateFields, certificateParts, fromBase64, keyIdOf, messageSigner, toBase64 } from '@sicert/pki/light';
import { AgentError, Reason } from '@sicert/protocol';
import { audited } from './audited.js';
import type { Handlers, MethodDeps } from './context.js';
import { providerFor, realTokenId } from './routing.js';
import { onToken } from './token-work.js';

/**
 * Refuses what pkijs and the light reader would both read but what the certificate's own DER is not: bytes after it
 * (stored, they would be handed to pages as the signer's certificate while every CMS carries the certificate
 * alone, so a portal comparing the two would find a different signer) and a serial number INTEGER that is not
 * minimal (OpenSSL refuses to parse such a certificate, so no CMS made with it would verify there).
 */
function strictDer(der: Uint8Array): void {
  const parts = certificateParts(der);
  if (parts.certificate.length !== der.length) throw new Error('bytes after the certificate');
  const [first, second] = parts.serialContent;
  if (second !== undefined && ((first === 0x00 && second < 0x80) || (first === 0xff && second >= 0x80))) throw new Error('a serial number that is not minimal');
}

/** `key.generate`, `csr.create` and `cert.install`: putting a new certificate on a token. */
export function keyMethods(deps: MethodDeps): Handlers {
  return {
    'key.generate': async (params, context) => {
      if (params.algorithm === 'SM2') throw new AgentError(Reason.UNSUPPORTED_ALGORITHM, 'SM2 keys are not supported by this agent yet');
      const provider = providerFor(deps.providers, params.tokenId, Reason.TOKEN_NOT_FOUND);
      const algorithm = params.algorithm;
      return audited(deps, { operation: 'key.generate', origin: context.origin, tokenId: params.tokenId }, async () => {
        const key = await onToken(deps, context, params.tokenId, params.pin, async (pinAccepted) => {
          const generated = await provider.generateKey(params.tokenId, params.pin, algorithm, params.label);
          pinAccepted();
          return generated;
        });
        return { keyId: key.keyId, publicKey: toBase64(key.publicKey) };
      });
    },

    'csr.create': async (params, context) => {
      const provider = providerFor(deps.providers, params.tokenId, Reason.TOKEN_NOT_FOUND);
      const tokenId = realTokenId(provider, params.tokenId, params.keyId);
      // PKCS#10 is built with pkijs, loaded only when a request is made (never at start or to sign).
      const { createCertificationRequest } = await import('@sicert/pki');
      return audited(deps, { operation: 'csr.create', origin: context.origin, tokenId: params.tokenId }, async () => {
        const csr = await onToken(deps, context, tokenId, params.pin, (pinAccepted) =>
          provider.withKey({ tokenId, keyId: params.keyId }, params.pin, ({ signer, publicKey }) => {
            pinAccepted();
            return createCertificationRequest(params.subject, publicKey(), messageSigner(signer));
          }),
        );
        return { csr: toBase64(csr) };
      });
    },

    'cert.install': async (params, context) => {
      const provider = providerFor(deps.providers, params.tokenId, Reason.TOKEN_NOT_FOUND);
      // Installing replaces the certificate a key signs with: without the holder's PIN, any allowed page could swap
      // in a certificate of its making (same public key, forged issuer) and fill the token with chain objects.
      const pin = params.pin;
      if (pin === undefined) throw new AgentError(Reason.INVALID_PARAMS, 'cert.install needs the certificate password (pin)');
      const certificate = fromBase64(params.certificate);
      const chain = (params.chain ?? []).map(fromBase64);
      let publicKey: Uint8Array;
      const { parseCertificate } = await import('@sicert/pki');
      try {
        for (const der of [certificate, ...chain]) {
          parseCertificate(der);
          strictDer(der);
        }
        publicKey = certificateFields(certificate).publicKey;
      } catch {
        throw new AgentError(Reason.INVALID_PARAMS, 'not an X.509 certificate');
      }
      // The key is named by the certificate's public key: an alias resolves to the token that holds it.
      const tokenId = realTokenId(provider, params.tokenId, await keyIdOf(publicKey));
      return audited(deps, { operation: 'cert.install', origin: context.origin, tokenId: params.tokenId }, async () => ({
        certId: await onToken(deps, context, tokenId, pin, async (pinAccepted) => {
          const certId = await provider.installCertificate(tokenId, certificate, chain, pin);
          // Both providers prove the PIN before they write (a PKCS#11 login, the software token's unlock).
          pinAccepted();
          return certId;
        }),
      }));
    },
  };
}
