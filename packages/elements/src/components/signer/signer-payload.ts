import type { SignBatchItem } from '@sicert/protocol';
import { bytesToBase64 } from '../../internal/format.js';

/** What one `sign.data` (or one item of `sign.batch`) carries: the data, or a SHA-256 digest of it, base64. */
export type SignPayload = { data: string } | { digest: string; digestAlgorithm: 'SHA-256' };

/**
 * The payload of what the portal gave: text is signed as UTF-8, bytes as they are; a digest string is already
 * base64. Data wins when both are given; neither gives `undefined`.
 */
export function toPayload(data: string | Uint8Array | undefined, digest: string | Uint8Array | undefined): SignPayload | undefined {
  if (data !== undefined && data !== '') return { data: bytesToBase64(typeof data === 'string' ? new TextEncoder().encode(data) : data) };
  if (digest !== undefined && digest !== '') return { digest: typeof digest === 'string' ? digest : bytesToBase64(digest), digestAlgorithm: 'SHA-256' };
  return undefined;
}

/** One item of the signer's batch mode, as the portal gives it. */
export interface SignItem {
  /** What the citizen reads for this item, e.g. "2026年11月 社保缴费申报 · 单位：示例科技有限公司 · 金额 12,800.00 元". */
  summary: string;
  /** What to sign: text (signed as UTF-8) or bytes. */
  data?: string | Uint8Array;
  /** Or its SHA-256 digest (base64 or bytes), when the portal hashes server-side. */
  digest?: string | Uint8Array;
  /** The portal's own id for the item (a declaration number…), handed back with its outcome. */
  id?: string;
}

/**
 * The items of a `sign.batch` request, in order. An item with neither data nor digest goes as an empty item: the
 * agent judges every item's rules in one place and fails that item alone, in its place.
 */
export function toBatchItems(items: readonly SignItem[]): SignBatchItem[] {
  return items.map((item) => toPayload(item.data, item.digest) ?? {});
}
