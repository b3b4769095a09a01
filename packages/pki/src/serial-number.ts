import type * as asn1js from 'asn1js';
import { toHex } from './bytes.js';

/**
 * A serial number INTEGER as lower-case hex without leading zero bytes: the one spelling certificates and CRL
 * entries are compared in (DER puts a zero byte before a high bit; a non-minimal BER encoding may put several).
 */
export function serialHexOf(integer: asn1js.Integer): string {
  return toHex(integer.valueBlock.valueHexView).replace(/^(?:00)+(?=.)/, '');
}
