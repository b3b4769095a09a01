import type * as pkijs from 'pkijs';
import type { ExpectedContent, ExpectedSigner } from './verify-options.js';

/**
 * One signature for {@link verifyMany}: the CMS and what it must be bound to, as {@link VerifyOptions} binds one
 * call of `verifySignedData`.
 */
export type VerifyManyItem = ExpectedContent & {
  /** The CMS SignedData (DER ContentInfo). */
  cms: Uint8Array;
  /** Who must have signed this item; anyone else is `WRONG_SIGNER`. */
  expectedSigner: ExpectedSigner;
  /**
   * The time this item is judged at, when it differs from the call's (re-verifying archived signatures, each at
   * the time it was received).
   */
  now?: Date;
};

/** What the items of one {@link verifyMany} call share. */
export interface VerifyManyOptions {
  /** Trust anchors, DER. Every signer must chain to one of them. */
  trustedRoots: Uint8Array[];
  /** The time items without their own `now` are judged at; the server's clock when the call starts by default. */
  now?: Date;
  /** How far a claimed signingTime may be from `now`; default {@link DEFAULT_MAX_CLOCK_SKEW_MS}. */
  maxClockSkewMs?: number;
  /**
   * Revocation check by the signer certificate's serial (lower-case hex); true means revoked. Runs in the calling
   * thread, once per distinct signer certificate of the call, for the signatures that are otherwise valid.
   */
  isRevoked?: (serialNumber: string, certificate: pkijs.Certificate) => boolean | Promise<boolean>;
  /**
   * Worker threads the call spreads over; one per core (`os.availableParallelism()`) by default. The threads are
   * one pool for the process, grown to the largest `threads` a call asked for; a call keeps at most two chunks
   * a thread in flight.
   */
  threads?: number;
}

/** Internal: what the threads share for one call, the options without the function and the thread count, `now` fixed. */
export interface SharedVerifyOptions {
  trustedRoots: Uint8Array[];
  now: Date;
  maxClockSkewMs?: number;
}
