import type * as pkijs from 'pkijs';
import { sha256 } from './bytes.js';

/** Key identifier: SHA-256 of the subjectPublicKey bits, truncated to 160 bits (RFC 7093, method 1). */
export async function keyIdentifier(publicKeyInfo: pkijs.PublicKeyInfo): Promise<Uint8Array<ArrayBuffer>> {
  return (await sha256(publicKeyInfo.subjectPublicKey.valueBlock.valueHexView)).slice(0, 20);
}
