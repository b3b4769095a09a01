import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a passed face check stays usable for submitting the application it is bound to. */
const VALID_MS = 15 * 60_000;

/**
 * Tokens that bind a passed face check to one applicant and one application (its idempotency key). In a real
 * portal the face-verification service issues them; the demo's stand-in (camera or a clearly labelled
 * simulation) asks this module to issue one.
 */
export class FaceTokens {
  /**
   * @param secret The key tokens are signed with. Every portal process that may receive the submission must hold
   *   the same one (the demo keeps it in its database); a random one suits a single process.
   */
  constructor(private readonly secret: Uint8Array = randomBytes(32)) {}

  issue(idNumber: string, applicationKey: string, method: string, now = Date.now()): string {
    const payload = `${idNumber}|${applicationKey}|${method}|${now}`;
    return `${Buffer.from(payload).toString('base64url')}.${this.mac(payload)}`;
  }

  /** The method of a valid token for this applicant and application, or undefined. */
  verify(token: string, idNumber: string, applicationKey: string, now = Date.now()): string | undefined {
    const [encoded, mac] = token.split('.');
    if (!encoded || !mac) return undefined;
    const payload = Buffer.from(encoded, 'base64url').toString();
    const expected = Buffer.from(this.mac(payload));
    if (expected.length !== mac.length || !timingSafeEqual(expected, Buffer.from(mac))) return undefined;
    const [id, key, method, at] = payload.split('|');
    if (id !== idNumber || key !== applicationKey || now - Number(at) > VALID_MS) return undefined;
    return method;
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}
