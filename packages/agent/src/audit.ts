import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { Reason } from '@sicert/protocol';

/** One key operation, as the audit log keeps it. Never a PIN. */
export interface AuditEntry {
  operation: string;
  origin: string;
  certId?: string;
  tokenId?: string;
  /** The key of an operation on a key that has no certificate (`key.delete`). */
  keyId?: string;
  /**
   * SHA-256 of what was signed, hex. For `sign.batch`, SHA-256 of the items' SHA-256 digests one after another (in
   * the items' order, failed items included), so a portal holding the items can match the entry.
   */
  digest?: string;
  /** `sign.batch`: how many items were asked for, and how many were signed. */
  items?: number;
  signed?: number;
  /** `ok`, or the failure's reason. */
  outcome: 'ok' | Reason;
}

/** An entry as stored: with the time it was recorded (ISO 8601). */
export type AuditRecord = AuditEntry & { time: string };

/** How large `audit.log` may grow before it is rotated, and how many rotated files are kept. */
export interface AuditRotation {
  /** Bytes; a line that would take the file past this starts a new file. Default 1 MiB. */
  maxBytes: number;
  /** Rotated files kept (`audit.log.1` newest … `audit.log.<files>` oldest). Default 5. */
  files: number;
}

/**
 * Outcomes of requests that never used a key: refused by the throttle, cancelled before their turn, malformed, or
 * naming a token, certificate or key that is not there. The audit log is bounded by rotation, so writing these
 * would let any allowed page push the real key operations out of it with cheap requests; they go to the agent's
 * ordinary log instead.
 */
export const NOT_KEY_OPERATIONS: ReadonlySet<string> = new Set<Reason>([
  Reason.PIN_THROTTLED,
  Reason.CANCELLED,
  Reason.BUSY,
  Reason.INVALID_PARAMS,
  Reason.TOKEN_NOT_FOUND,
  Reason.CERT_NOT_FOUND,
  Reason.KEY_NOT_FOUND,
]);

export const DEFAULT_AUDIT_ROTATION: AuditRotation = { maxBytes: 1024 * 1024, files: 5 };

/**
 * Append-only audit log of key operations (JSON lines, mode 0600), rotated by size: when the next line would
 * take `audit.log` past `maxBytes`, `audit.log.N` shift up by one (the oldest beyond `files` is deleted) and
 * `audit.log` becomes `audit.log.1`. Rotation is renames only and the line is written after it, so a crash at
 * any point loses no line that was written; at most one rotated file misses its number.
 */
export class AuditLog {
  private readonly rotation: AuditRotation;

  constructor(
    private readonly path: string | undefined,
    rotation: Partial<AuditRotation> = {},
  ) {
    this.rotation = { ...DEFAULT_AUDIT_ROTATION, ...rotation };
    if (path) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  }

  /** Writes one key operation; outcomes that never reached a key ({@link NOT_KEY_OPERATIONS}) are not written. */
  record(entry: AuditEntry): void {
    if (!this.path || NOT_KEY_OPERATIONS.has(entry.outcome)) return;
    const line = `${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`;
    const size = existsSync(this.path) ? statSync(this.path).size : 0;
    if (size > 0 && size + Buffer.byteLength(line) > this.rotation.maxBytes) this.rotate(this.path);
    appendFileSync(this.path, line, { mode: 0o600 });
  }

  private rotate(path: string): void {
    const { files } = this.rotation;
    if (files < 1) {
      rmSync(path, { force: true });
      return;
    }
    rmSync(`${path}.${files}`, { force: true });
    for (let n = files - 1; n >= 1; n--) {
      if (existsSync(`${path}.${n}`)) renameSync(`${path}.${n}`, `${path}.${n + 1}`);
    }
    renameSync(path, `${path}.1`);
  }
}

/**
 * Every entry of the audit log at `path` and its rotated files, oldest first. Lines that are not JSON (a line cut
 * short by a crash) are counted in `unreadable` and skipped.
 */
export function readAuditLog(path: string): { entries: AuditRecord[]; unreadable: number } {
  const entries: AuditRecord[] = [];
  let unreadable = 0;
  const name = basename(path);
  const rotated = existsSync(dirname(path))
    ? readdirSync(dirname(path))
        .map((f) => (f.startsWith(`${name}.`) && /^\d+$/.test(f.slice(name.length + 1)) ? Number(f.slice(name.length + 1)) : 0))
        .filter((n) => n > 0)
        .sort((a, b) => b - a)
    : [];
  const files = [...rotated.map((n) => `${path}.${n}`), ...(existsSync(path) ? [path] : [])];
  for (const file of files) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const parsed = JSON.parse(line) as AuditRecord;
        if (typeof parsed.time !== 'string' || typeof parsed.operation !== 'string') throw new Error('not an audit entry');
        entries.push(parsed);
      } catch {
        unreadable++;
      }
    }
  }
  return { entries, unreadable };
}
