import { createHash } from 'node:crypto';
import { prepareSignedData, sha256, type SignedDataTemplate } from '@sicert/pki/light';
import { AgentError, Reason, type CertificateInfo, type SignBatchItem, type SignBatchOutcome, type SignFormat } from '@sicert/protocol';
import type { AuditEntry } from '../audit.js';
import type { CallContext, Handlers, MethodDeps } from './context.js';
import { splitCertId, type KeyRef, type KeySigner, type Provider } from '../providers/provider.js';
import { providerFor, realTokenId } from './routing.js';
import { onToken } from './token-work.js';

/** What one item is, once its rules hold: the data (when given) and the SHA-256 digest that is signed. */
interface Prepared {
  data: Uint8Array | undefined;
  digest: Uint8Array;
}

/** Item failures that may mean the token went away mid-batch (its presence is then looked at again). */
const TOKEN_FAILURES: ReadonlySet<string> = new Set<Reason>([Reason.INTERNAL, Reason.TOKEN_ERROR, Reason.TOKEN_REMOVED, Reason.CANCELLED]);

/** The key a certificate id names: its provider, the token id as the id spells it, and the key on the real token. */
interface CertificateKey {
  certId: string;
  provider: Provider;
  tokenId: string;
  key: KeyRef;
}

function certificateKey(deps: MethodDeps, certId: string): CertificateKey {
  const provider = providerFor(deps.providers, certId);
  const ref = splitCertId(certId);
  if (!ref) throw new AgentError(Reason.CERT_NOT_FOUND, 'no such certificate');
  return { certId, provider, tokenId: ref.tokenId, key: { tokenId: realTokenId(provider, ref.tokenId, ref.keyId), keyId: ref.keyId } };
}

/** True while the key's token is still listed (looked at once the operation has released it). */
async function tokenPresent({ provider, key }: CertificateKey): Promise<boolean> {
  return (await provider.listTokens().catch(() => [])).some((token) => token.id === key.tokenId);
}

/** Minimum time between two `sign.progress` reports of one batch. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * Data up to this size is hashed on the event loop (a few microseconds: a thread-pool round trip would cost more);
 * larger data, up to the 4 MiB a request may carry (about 10 ms of SHA-256), in the thread pool.
 */
const HASH_ON_LOOP_BYTES = 64 * 1024;

/** Base64 of `bytes` (the protocol validated every base64 string it carries in, so decoding is plain too). */
function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Checks one item's rules (exactly one of data and digest, 32 bytes of digest, data for an attached CMS). */
async function prepare(item: SignBatchItem, format: SignFormat): Promise<Prepared> {
  if ((item.data === undefined) === (item.digest === undefined)) throw new AgentError(Reason.INVALID_PARAMS, 'an item must have exactly one of data and digest');
  if (item.digest !== undefined && format === 'cms-attached') throw new AgentError(Reason.INVALID_PARAMS, 'an attached CMS needs data, not a digest');
  const data = item.data === undefined ? undefined : Buffer.from(item.data, 'base64');
  const digest = data === undefined ? Buffer.from(item.digest!, 'base64') : data.length <= HASH_ON_LOOP_BYTES ? createHash('sha256').update(data).digest() : await sha256(data);
  if (digest.length !== 32) throw new AgentError(Reason.INVALID_PARAMS, 'a SHA-256 digest has 32 bytes');
  return { data, digest };
}

/**
 * Builds the CMS SignedData of one signature: the certificate's parts are encoded once per operation (a batch shares
 * them), the content's digest is passed along so it is not hashed again, and the signed attributes go to the key as
 * a whole message (the software token hashes and signs them in the thread pool).
 */
type CmsBuilder = (item: Prepared, attached: boolean) => Promise<Uint8Array>;

/**
 * The {@link CmsBuilder} of one operation with `signer` and its `certificate`, or undefined for raw signatures. The
 * certificate is taken apart before any item is signed: one that the builder cannot read fails the operation
 * (every item of a batch would fail alike), as a certificate that cannot be used.
 */
async function cmsBuilder(format: SignFormat, signer: KeySigner, certificate: Uint8Array): Promise<CmsBuilder | undefined> {
  if (format === 'raw') return undefined;
  let template: SignedDataTemplate;
  try {
    template = await prepareSignedData(certificate);
  } catch {
    throw new AgentError(Reason.CERT_NOT_FOUND, 'the certificate stored with this key cannot be read');
  }
  const messageSigner = { algorithm: signer.algorithm, sign: (message: Uint8Array) => signer.signMessage(message) };
  return ({ data, digest }, attached) => template.build(data ? { content: data, digest, attached } : { digest }, messageSigner);
}

/** One signature: the raw signature value without a CMS builder, or a CMS SignedData over the data or the digest. */
function signOne(item: Prepared, format: SignFormat, signer: KeySigner, cms: CmsBuilder | undefined): Promise<Uint8Array> {
  if (cms) return cms(item, format === 'cms-attached');
  return item.data ? signer.signMessage(item.data, item.digest) : signer.signDigest(item.digest);
}

/**
 * Runs a signing operation with the holder's PIN on the key of `certId` and records it in the audit log. A missing
 * key means either a certificate without one (`KEY_NOT_FOUND`) or no such certificate at all (`CERT_NOT_FOUND`).
 */
async function withCertificateKey<T>(
  deps: MethodDeps,
  context: CallContext,
  request: { operation: string; target: CertificateKey; pin: string },
  audit: (result: T | undefined) => Omit<AuditEntry, 'operation' | 'origin' | 'certId' | 'outcome'>,
  work: (signer: KeySigner, certificate: Uint8Array) => Promise<T>,
): Promise<{ result: T; certificate: Uint8Array }> {
  const { certId, provider, tokenId, key } = request.target;
  const entry = { operation: request.operation, origin: context.origin, certId };
  try {
    const done = await onToken(deps, context, key.tokenId, request.pin, (pinAccepted) =>
      provider.withKey(key, request.pin, async ({ signer, certificate }) => {
        pinAccepted();
        if (!certificate) throw new AgentError(Reason.CERT_NOT_FOUND, 'no certificate for this key');
        return { result: await work(signer, certificate), certificate };
      }),
    );
    deps.audit.record({ ...entry, ...audit(done.result), outcome: 'ok' });
    return done;
  } catch (error) {
    const reason = error instanceof AgentError ? error.reason : Reason.INTERNAL;
    deps.audit.record({ ...entry, ...audit(undefined), outcome: reason });
    if (reason === Reason.KEY_NOT_FOUND && !(await provider.listCertificates(tokenId).catch(() => [])).some((c: Pick<CertificateInfo, 'id'>) => c.id === certId)) {
      throw new AgentError(Reason.CERT_NOT_FOUND, 'no such certificate');
    }
    throw error;
  }
}

/** Reports a batch's progress on the asking connection: at most every {@link PROGRESS_INTERVAL_MS}, and at the end. */
function progressReporter(context: CallContext, total: number): () => void {
  let done = 0;
  let last = 0;
  return () => {
    done++;
    const now = performance.now();
    if (done < total && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    if (context.requestId !== undefined) context.notify?.('sign.progress', { id: context.requestId, done, total });
  };
}

/**
 * `sign.data`: detached CMS (default), attached CMS, or a raw signature, with the PIN in the request.
 * `sign.batch`: many items under one PIN try, one login, one consent; an item that breaks its rules or fails on the
 * token fails alone, in its place of the result.
 */
export function signMethods(deps: MethodDeps): Handlers {
  return {
    'sign.data': async (params, context) => {
      const format = params.format ?? 'cms-detached';
      const item = await prepare(params, format);
      const { result, certificate } = await withCertificateKey(deps, context, { operation: 'sign.data', target: certificateKey(deps, params.certId), pin: params.pin }, () => ({ digest: Buffer.from(item.digest).toString('hex') }), async (signer, cert) =>
        signOne(item, format, signer, await cmsBuilder(format, signer, cert)),
      );
      return { signature: base64(result), certificate: base64(certificate) };
    },

    'sign.batch': async (params, context) => {
      const format = params.format ?? 'cms-detached';
      const items = await Promise.all(params.items.map((item) => prepare(item, format).catch((error: unknown) => error)));
      // The batch's audit digest: SHA-256 over the items' digests in order (zeros for an item that breaks its rules).
      const hash = createHash('sha256');
      for (const item of items) hash.update(item instanceof Error ? new Uint8Array(32) : (item as Prepared).digest);
      const batchDigest = hash.digest('hex');
      const audit = (outcomes: SignBatchOutcome[] | undefined) => ({
        digest: batchDigest,
        items: items.length,
        signed: outcomes ? outcomes.filter((o) => 'signature' in o).length : 0,
      });
      let unexpected: string | undefined;
      const target = certificateKey(deps, params.certId);
      const { result, certificate } = await withCertificateKey(deps, context, { operation: 'sign.batch', target, pin: params.pin }, audit, async (signer, cert) => {
        const step = progressReporter(context, items.length);
        const cms = await cmsBuilder(format, signer, cert);
        return Promise.all(
          items.map(async (item): Promise<SignBatchOutcome> => {
            try {
              if (item instanceof Error) throw item;
              return { signature: base64(await signOne(item as Prepared, format, signer, cms)) };
            } catch (error) {
              if (!(error instanceof AgentError)) unexpected ??= error instanceof Error ? error.message : String(error);
              const failure = error instanceof AgentError ? error : new AgentError(Reason.INTERNAL, 'this item could not be signed');
              return { error: { reason: failure.reason, message: failure.message } };
            } finally {
              step();
            }
          }),
        );
      });
      if (unexpected !== undefined) deps.logger.error('batch items failed', { error: unexpected });
      // Items that failed on the token while the token went away: the batch fails as a whole, as a request for a
      // token that is gone does (the signatures made before it went are not handed out half).
      if (result.some((o) => 'error' in o && TOKEN_FAILURES.has(o.error.reason)) && !(await tokenPresent(target))) {
        throw new AgentError(Reason.TOKEN_REMOVED, 'the USB-Key was removed during the operation');
      }
      return { signatures: result, certificate: base64(certificate) };
    },
  };
}
