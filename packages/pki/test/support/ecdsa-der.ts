// Decodes a DER ECDSA signature back to raw r‖s: only tests need it (to check ecdsaRawToDer and to verify DER
// signatures with WebCrypto, which takes the raw form); the toolkit itself only ever encodes.

/** Raw `r‖s` (each `size` bytes) of a DER ECDSA signature. */
export function ecdsaDerToRaw(der: Uint8Array, size = 32): Uint8Array<ArrayBuffer> {
  let offset = 2;
  if (der[0] !== 0x30) throw new Error('not a DER ECDSA signature');
  if (der[1]! & 0x80) offset = 2 + (der[1]! & 0x7f);
  const out = new Uint8Array(size * 2);
  for (let i = 0; i < 2; i++) {
    if (der[offset] !== 0x02) throw new Error('not a DER ECDSA signature');
    const length = der[offset + 1]!;
    let value = der.subarray(offset + 2, offset + 2 + length);
    while (value.length > size && value[0] === 0) value = value.subarray(1);
    if (value.length > size) throw new Error('ECDSA integer too long');
    out.set(value, i * size + (size - value.length));
    offset += 2 + length;
  }
  return out;
}
