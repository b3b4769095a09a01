import * as pkijs from 'pkijs';
import { exactBuffer } from './bytes.js';
import type { CachedCertificate } from './certificate-cache.js';
import { recall, remember, type Remembered } from './certificate-hash.js';
import { validateChain } from './chain-engine.js';
import { LruMap } from './lru.js';

/**
 * Chain validation results, kept so that a signer seen before costs no chain work. An entry is keyed by the
 * signer certificate, the intermediates the CMS offered (in order) and the trust anchors (in order), each by a
 * number given to exactly one encoding (confirmed byte for byte, with its SHA-256): another set of anchors or
 * intermediates is another key. It holds the window of time in which every
 * certificate of the path pkijs built is valid, and is used only for a check date inside it. Only successes are
 * kept: a refusal is recomputed every time. Revocation is not part of it (`isRevoked` is asked on every call).
 */

/** Chain results kept; see docs/verification.md for the memory this bounds. */
export const CHAIN_CACHE_ENTRIES = 20_000;
/** Trust anchors kept parsed. */
const ANCHOR_CACHE_ENTRIES = 256;

/** Returned when the fast path must hand the CMS to the reference path (which then gives the verdict). */
export const DEFER = Symbol('defer to the reference path');

interface Window {
  readonly from: number;
  readonly to: number;
}

const chains = new LruMap<string, Window>(CHAIN_CACHE_ENTRIES);
const anchors = new LruMap<string, pkijs.Certificate | 'unparseable'>(ANCHOR_CACHE_ENTRIES);

function parsedAnchor(hash: string, der: Uint8Array): pkijs.Certificate | undefined {
  let anchor = anchors.get(hash);
  if (anchor === undefined) {
    try {
      anchor = pkijs.Certificate.fromBER(exactBuffer(der));
    } catch {
      anchor = 'unparseable';
    }
    anchors.set(hash, anchor);
  }
  return anchor === 'unparseable' ? undefined : anchor;
}

/** The instants in which every certificate of `path` is valid. */
function windowOf(path: readonly pkijs.Certificate[]): Window {
  let from = -Infinity;
  let to = Infinity;
  for (const certificate of path) {
    from = Math.max(from, certificate.notBefore.value.getTime());
    to = Math.min(to, certificate.notAfter.value.getTime());
  }
  return { from, to };
}

type ChainAnswer = string | undefined | typeof DEFER;

function cacheKey(signer: CachedCertificate, intermediates: readonly CachedCertificate[], anchors: readonly Remembered[]): string {
  let key = `${signer.id}|`;
  for (const intermediate of intermediates) key += `${intermediate.id},`;
  key += '|';
  for (const anchor of anchors) key += `${anchor.id},`;
  return key;
}

/**
 * Whether `signer` chains through `intermediates` to one of `trustedRoots` at `checkDate`: undefined when it does,
 * pkijs's message when it does not, {@link DEFER} when an anchor is not a certificate pkijs can read (the
 * reference path throws on it, and must be the one to). A value, without an await, when a kept result holds.
 */
export function chainProblem(signer: CachedCertificate, intermediates: readonly CachedCertificate[], trustedRoots: readonly Uint8Array[], checkDate: Date): ChainAnswer | Promise<ChainAnswer> {
  if (!Array.isArray(trustedRoots) || !trustedRoots.every((root) => root instanceof Uint8Array)) return DEFER;
  const anchors = trustedRoots.map((root) => recall(root));
  if (anchors.every((anchor) => anchor !== undefined)) {
    const known = chains.get(cacheKey(signer, intermediates, anchors));
    const t = checkDate.getTime();
    if (known && known.from <= t && t <= known.to) return undefined;
  }
  return validated(signer, intermediates, trustedRoots, checkDate);
}

/** Runs the chain engine (a miss) and keeps a success for the window it holds in. */
async function validated(signer: CachedCertificate, intermediates: readonly CachedCertificate[], trustedRoots: readonly Uint8Array[], checkDate: Date): Promise<ChainAnswer> {
  const anchors: Remembered[] = [];
  for (const root of trustedRoots) anchors.push(await remember(root));
  const parsed = anchors.map((anchor, i) => parsedAnchor(anchor.hash, trustedRoots[i]!));
  if (parsed.some((anchor) => anchor === undefined)) return DEFER;
  const outcome = await validateChain(parsed as pkijs.Certificate[], intermediates.map((c) => c.certificate), signer.certificate, checkDate);
  if (!outcome.trusted) return outcome.message;
  const window = windowOf([signer.certificate, ...outcome.path]);
  const t = checkDate.getTime();
  if (window.from <= t && t <= window.to) chains.set(cacheKey(signer, intermediates, anchors), window);
  return undefined;
}

/** Forgets every chain result and parsed anchor (tests, and a portal that rotates its anchors and wants the memory back). */
export function clearChainCache(): void {
  chains.clear();
  anchors.clear();
}

/** How many chain results are kept now (for tests and monitoring). */
export function chainCacheSize(): number {
  return chains.size;
}
