import { p256 } from '@noble/curves/nist.js';
import { prepareSignedData, type SignedDataTemplate } from '@sicert/pki/light';
import { AgentError, Reason, type SignFormat } from '@sicert/protocol';
import type { MockCa, MockCertificate } from './mock-ca.js';

/** One thing to sign: the data, or a SHA-256 digest the page computed. */
export interface SignInput {
  data?: Uint8Array;
  digest?: Uint8Array;
}

/** The per-item rules of `sign.data` and `sign.batch` (their schemas check the shape). */
export function checkSignInput(input: SignInput, format: SignFormat): void {
  if ((input.data === undefined) === (input.digest === undefined)) throw new AgentError(Reason.INVALID_PARAMS, 'exactly one of data and digest is required');
  if (input.digest !== undefined && input.digest.length !== 32) throw new AgentError(Reason.INVALID_PARAMS, 'digest must be a SHA-256 digest of 32 bytes');
  if (input.digest !== undefined && format === 'cms-attached') throw new AgentError(Reason.INVALID_PARAMS, 'an attached CMS needs data, not a digest');
}

/**
 * Signs for real with the mock USB-Key's key: raw ECDSA (DER `SEQUENCE { r, s }`) over the data or the page's
 * digest, or a CMS SignedData (detached or attached) built by `@sicert/pki/light`, as the real agent does.
 */
export class MockSigner {
  private readonly templates = new Map<string, Promise<SignedDataTemplate>>();

  constructor(private readonly ca: MockCa) {}

  async sign(certificate: MockCertificate, input: SignInput, format: SignFormat): Promise<Uint8Array> {
    checkSignInput(input, format);
    if (format === 'raw') {
      if (input.data) return this.ca.userSigner.sign(input.data);
      return p256.sign(input.digest!, this.ca.userKeyD, { prehash: false, format: 'der' });
    }
    let template = this.templates.get(certificate.id);
    if (!template) this.templates.set(certificate.id, (template = prepareSignedData(certificate.der)));
    const content = input.data ? { content: input.data } : { digest: input.digest! };
    return (await template).build({ ...content, attached: format === 'cms-attached' }, this.ca.userSigner);
  }
}
