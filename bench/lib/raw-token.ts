// The raw path: the same SoftHSM2 keys driven straight through pkcs11js in this process, the ceiling the agent is
// measured against. Mechanisms as the agent's: CKM_ECDSA over a SHA-256 digest, CKM_RSA_PKCS over DigestInfo.
import { createHash } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { SHA256_DIGEST_INFO_PREFIX } from '@sicert/pki';
import type { Algorithm, BenchToken } from './bench-token.js';

const SIGNATURE_ROOM = Buffer.alloc(512);

export class RawToken {
  private readonly lib = new pkcs11js.PKCS11();
  private readonly session: pkcs11js.Handle;

  constructor(private readonly token: BenchToken) {
    this.lib.load(token.hsm.module);
    // As the agent does: parallel calls on other sessions must be safe.
    this.lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
    const slot = this.lib.C_GetSlotList(true).find((s) => this.lib.C_GetTokenInfo(s).label.trim() === token.hsm.label);
    if (slot === undefined) throw new Error('the bench token has no slot');
    this.session = this.lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
  }

  /** Private-key handles are valid only while logged in, so the key is found after each login (as the agent does). */
  private findKey(algorithm: Algorithm): pkcs11js.Handle {
    this.lib.C_FindObjectsInit(this.session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_ID, value: this.token.keyIds[algorithm] },
    ]);
    const [key] = this.lib.C_FindObjects(this.session, 1);
    this.lib.C_FindObjectsFinal(this.session);
    if (key === undefined) throw new Error(`no ${algorithm} key on the bench token`);
    return key;
  }

  private sign(algorithm: Algorithm, key: pkcs11js.Handle, digest: Buffer): Buffer {
    const ec = algorithm === 'ECDSA-P256';
    this.lib.C_SignInit(this.session, { mechanism: ec ? pkcs11js.CKM_ECDSA : pkcs11js.CKM_RSA_PKCS }, key);
    return this.lib.C_Sign(this.session, ec ? digest : Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]), SIGNATURE_ROOM);
  }

  /** Signatures per second with one login and many C_Sign over distinct digests (`count` of them). */
  loggedInRate(algorithm: Algorithm, count: number): number {
    const digests = Array.from({ length: count }, (_, i) => createHash('sha256').update(`item ${String(i)}`).digest());
    this.lib.C_Login(this.session, pkcs11js.CKU_USER, this.token.hsm.pin);
    try {
      const key = this.findKey(algorithm);
      for (let i = 0; i < 20; i++) this.sign(algorithm, key, digests[i % count]!);
      const start = performance.now();
      for (const digest of digests) this.sign(algorithm, key, digest);
      return count / ((performance.now() - start) / 1000);
    } finally {
      this.lib.C_Logout(this.session);
    }
  }

  /** One operation as the agent does one `sign.data` raw: SHA-256 of the data, login, find, sign, logout. */
  loginFindSignLogout(algorithm: Algorithm, data: Buffer): void {
    const digest = createHash('sha256').update(data).digest();
    this.lib.C_Login(this.session, pkcs11js.CKU_USER, this.token.hsm.pin);
    try {
      this.sign(algorithm, this.findKey(algorithm), digest);
    } finally {
      this.lib.C_Logout(this.session);
    }
  }

  close(): void {
    this.lib.C_CloseSession(this.session);
    this.lib.C_Finalize();
  }
}
