import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';

/** scrypt cost: 2^15 × 8 × 128 B = 32 MiB and ≈ 120 ms per PIN check on the reference machine. */
export const KDF = { name: 'scrypt', N: 1 << 15, r: 8, p: 1 } as const;

/** AES-256-GCM output, base64 fields. */
export interface Sealed {
  iv: string;
  data: string;
  tag: string;
}

/** Seals `plain` under a 256-bit key with AES-256-GCM and a fresh random 96-bit nonce. */
export function seal(key: Buffer, plain: Buffer): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { iv: iv.toString('base64'), data: data.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** Opens what {@link seal} sealed. Throws when the key is wrong or the box was changed (the tag does not match). */
export function unseal(key: Buffer, sealed: Sealed): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
}

/** The 256-bit key a PIN opens, with {@link KDF}'s scrypt. The PIN is NFKC-normalised, so full-width digits count. */
export function deriveKey(pin: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(pin.normalize('NFKC'), salt, 32, { N: KDF.N, r: KDF.r, p: KDF.p, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}
