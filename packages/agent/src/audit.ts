import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** One key operation, as the audit log keeps it. Never a PIN. */
export interface AuditEntry {
  operation: string;
  origin: string;
  certId?: string;
  tokenId?: string;
  /** SHA-256 of what was signed, hex. */
  digest?: string;
  /** `ok`, or the failure's reason. */
  outcome: string;
}

/** Append-only audit log of key operations (JSON lines, mode 0600). */
export class AuditLog {
  constructor(private readonly path: string | undefined) {
    if (path) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  }

  record(entry: AuditEntry): void {
    if (!this.path) return;
    appendFileSync(this.path, `${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`, { mode: 0o600 });
  }
}
