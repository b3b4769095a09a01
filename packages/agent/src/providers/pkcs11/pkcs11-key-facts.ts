/** A holder's certificate as read from the token: its key's CKA_ID (hex) and its DER. */
export interface KeyCertificate {
  keyId: string;
  der: Buffer;
}

/**
 * What operations read of a token's keys that the next operation need not read again: each key's type and the
 * certificate stored beside it (together about 0.16 ms of SoftHSM2 calls per signature, a quarter of what the
 * agent added to the token's own login, find and sign). The private key itself is looked up after every login:
 * SoftHSM2 hands out new handles for private objects after each login, and a stale handle must never name another
 * key.
 *
 * A key's type cannot change while its CKA_ID stays (the agent's CKA_ID is the hash of its public key). The
 * certificate can: the facts are dropped whenever the agent writes to the token (`cert.install`, `key.delete`,
 * `key.generate`), when an operation on the token fails, with the token's sessions (`SessionPool`: a module
 * re-initialised, a token gone or moved), and every full read of the token's certificates (`cert.list`, and the
 * slot watcher's look every 500 ms while a page is connected) replaces them. A certificate another program
 * stores on the key while the agent runs is therefore seen within one look of the watcher.
 */
export class KeyFacts {
  private readonly types = new Map<string, number>();
  private readonly certificates = new Map<string, Buffer>();

  /** The CKK_* type of key `keyId`, read with `read` the first time. */
  keyType(keyId: string, read: () => number): number {
    let type = this.types.get(keyId);
    if (type === undefined) {
      type = read();
      this.types.set(keyId, type);
    }
    return type;
  }

  /** The certificate of key `keyId`, read with `read` until one is found (a key without one is asked again). */
  certificate(keyId: string, read: () => Buffer | undefined): Buffer | undefined {
    let der = this.certificates.get(keyId);
    if (der === undefined) {
      der = read();
      if (der !== undefined) this.certificates.set(keyId, der);
    }
    return der;
  }

  /** A full read of the token's certificates: from now on, exactly these. */
  saw(certificates: readonly KeyCertificate[]): void {
    this.certificates.clear();
    for (const { keyId, der } of certificates) this.certificates.set(keyId, der);
  }

  /** Forgets everything (the token was written to, or an operation on it failed). */
  forget(): void {
    this.types.clear();
    this.certificates.clear();
  }
}
