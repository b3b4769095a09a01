import { randomUUID } from 'node:crypto';
import type { DemoDatabase } from './database.js';

/** Where an application stands. */
export type ApplicationStatus = 'submitted' | 'under_review' | 'approved' | 'rejected' | 'installed' | 'withdrawn';

/** Why it was made: a first certificate, a reissue (补办) for someone who has had one, or a renewal (续期). */
export type ApplicationKind = 'new' | 'reissue' | 'renewal';

/** The statuses in which an application still awaits a staff decision. */
export const AWAITING_DECISION: readonly ApplicationStatus[] = ['submitted', 'under_review'];

/** What a status change may record beside the status. */
export interface StatusFields {
  rejectReason?: string;
  certificate?: Uint8Array;
  serial?: string;
}

/** What the applicant declared, as checked against the records at submission. */
export interface ApplicationDetails {
  applicant: { name: string; idNumber: string; cardNumber?: string; mobile: string };
  organization?: { name: string; creditCode: string };
  /** The person applying on the holder's behalf (委托代办). */
  agent?: { name: string; idNumber: string };
  materials: { kind: string; uploadId: string }[];
  face: { method: string; at: string };
  /** The CKA_ID of the key the request was made with (RFC 7093 method 1, hex, as the agent names it). */
  keyId?: string;
}

export interface ApplicationRecord {
  id: string;
  idempotencyKey: string;
  /** SHA-256 of the canonical request body: a reused Idempotency-Key must come with the same request. */
  requestHash: string;
  owner: string;
  region: string;
  type: 'personal' | 'organization';
  onBehalf: boolean;
  kind: ApplicationKind;
  /** For a renewal: the serial of the certificate it replaces (revoked as superseded once this one is installed). */
  replaces: string | null;
  details: ApplicationDetails;
  medium: 'usb-key' | 'computer';
  tokenId: string;
  keyAlgorithm: string;
  csr: Uint8Array;
  status: ApplicationStatus;
  rejectReason: string | null;
  fee: number;
  submittedAt: string;
  expectedBy: string;
  certificate: Uint8Array | null;
  serial: string | null;
  history: { status: ApplicationStatus; at: string; note: string | null }[];
}

interface Row {
  id: string;
  idempotency_key: string;
  request_hash: string;
  owner: string;
  region: string;
  type: 'personal' | 'organization';
  on_behalf: number;
  kind: ApplicationKind;
  replaces: string | null;
  details: string;
  medium: 'usb-key' | 'computer';
  token_id: string;
  key_algorithm: string;
  csr: Buffer;
  status: ApplicationStatus;
  reject_reason: string | null;
  fee: number;
  submitted_at: string;
  expected_by: string;
  certificate: Buffer | null;
  serial: string | null;
}

/** What a new application is made of; the store adds its id, status and history. */
export type NewApplication = Omit<ApplicationRecord, 'id' | 'status' | 'rejectReason' | 'certificate' | 'serial' | 'history'>;

/** An application that needs no review (a renewal): created approved with its certificate. */
export interface ApprovedAtOnce {
  certificate: Uint8Array;
  serial: string;
  note: string;
  /** Asked inside the transaction before anything is written: false refuses the creation. */
  guard: () => boolean;
  /** Runs inside the transaction with the new application's id (records the certificate). */
  alongside: (id: string) => void;
}

type Created = { application: ApplicationRecord; created: boolean; refused?: never };
type Refused = { application?: never; created: false; refused: true };

/** Applications and their state history, in SQLite. */
export class ApplicationsStore {
  constructor(private readonly database: DemoDatabase) {}

  private get db() {
    return this.database.db;
  }

  /**
   * Creates the application unless one with the same idempotency key exists, in one transaction, so a double
   * click or a retried request yields the same application. Returns it and whether it was created now.
   *
   * With `approved`, the application is created approved with its certificate (a renewal, which needs no review),
   * `alongside` records that certificate in the same transaction, and `guard` is asked inside it first: when it
   * answers false (the certificate being renewed was revoked meanwhile), nothing is written and `refused` is set.
   */
  createOnce(input: NewApplication): Created;
  createOnce(input: NewApplication, approved: ApprovedAtOnce): Created | Refused;
  createOnce(input: NewApplication, approved?: ApprovedAtOnce): Created | Refused {
    return this.db.transaction(() => {
      const existing = this.byIdempotencyKey(input.idempotencyKey);
      if (existing) return { application: existing, created: false };
      if (approved && !approved.guard()) return { created: false, refused: true } as const;
      const id = randomUUID();
      this.db
        .prepare(
          `INSERT INTO applications (id, idempotency_key, request_hash, owner, region, type, on_behalf, kind, replaces, details, medium, token_id, key_algorithm, csr, status, fee, submitted_at, expected_by, certificate, serial)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id, input.idempotencyKey, input.requestHash, input.owner, input.region, input.type, input.onBehalf ? 1 : 0, input.kind, input.replaces, JSON.stringify(input.details),
          input.medium, input.tokenId, input.keyAlgorithm, Buffer.from(input.csr), approved ? 'approved' : 'submitted', input.fee, input.submittedAt, input.expectedBy,
          approved ? Buffer.from(approved.certificate) : null, approved?.serial ?? null,
        );
      this.addHistory(id, 'submitted', null);
      if (approved) {
        this.addHistory(id, 'approved', approved.note);
        approved.alongside(id);
      }
      for (const m of input.details.materials) this.db.prepare('UPDATE uploads SET application_id = ? WHERE id = ?').run(id, m.uploadId);
      return { application: this.get(id)!, created: true };
    })();
  }

  get(id: string): ApplicationRecord | undefined {
    const row = this.db.prepare('SELECT * FROM applications WHERE id = ?').get(id) as Row | undefined;
    return row && this.toRecord(row);
  }

  byIdempotencyKey(key: string): ApplicationRecord | undefined {
    const row = this.db.prepare('SELECT * FROM applications WHERE idempotency_key = ?').get(key) as Row | undefined;
    return row && this.toRecord(row);
  }

  /** The owner's most recent application. */
  latest(owner: string): ApplicationRecord | undefined {
    const row = this.db.prepare('SELECT * FROM applications WHERE owner = ? ORDER BY submitted_at DESC, rowid DESC LIMIT 1').get(owner) as Row | undefined;
    return row && this.toRecord(row);
  }

  /** Organisations `owner` has a certificate for as their handler (经办人): approved or installed applications. */
  organizationsHandledBy(owner: string): { name: string; creditCode: string }[] {
    const rows = this.db.prepare("SELECT * FROM applications WHERE owner = ? AND type = 'organization' AND status IN ('approved', 'installed') ORDER BY rowid").all(owner) as Row[];
    const organizations = rows.map((r) => this.toRecord(r).details.organization).filter((o) => o !== undefined);
    return organizations.filter((o, i) => organizations.findIndex((p) => p.creditCode === o.creditCode) === i);
  }

  all(): ApplicationRecord[] {
    return (this.db.prepare('SELECT * FROM applications ORDER BY submitted_at DESC, rowid DESC').all() as Row[]).map((r) => this.toRecord(r));
  }

  /** Staff open a submitted application (审核中); false when it is no longer submitted (withdrawn meanwhile). */
  startReview(id: string): boolean {
    return this.transition(id, 'under_review', {}, null, ['submitted']);
  }

  /** The applicant withdraws before review starts; false once staff have opened it (or it is decided). */
  withdraw(id: string): boolean {
    return this.transition(id, 'withdrawn', {}, 'withdrawn by the applicant', ['submitted']);
  }

  /**
   * Records the installation of an approved application's certificate; `alongside` runs in the same transaction
   * (a renewal revokes the certificate it replaces). False when the application is not approved (any more).
   */
  install(id: string, note: string, alongside: () => void = () => undefined): boolean {
    return this.transition(id, 'installed', {}, note, ['approved'], alongside);
  }

  /** The renewal application that replaces `serial` and is still going (approved or installed), if any. */
  renewalOf(serial: string): ApplicationRecord | undefined {
    const row = this.db.prepare("SELECT * FROM applications WHERE replaces = ? AND kind = 'renewal' AND status IN ('approved', 'installed') ORDER BY rowid DESC LIMIT 1").get(serial) as Row | undefined;
    return row && this.toRecord(row);
  }

  /**
   * Records a staff decision on an application that still awaits one, atomically: false when another decision
   * came first (two staff members, a double click), and then nothing changes. `alongside` runs in the same
   * transaction (recording the issued certificate), so an application is approved once, with one certificate.
   */
  decide(id: string, status: 'approved' | 'rejected', fields: StatusFields, note: string | null, alongside: () => void = () => undefined): boolean {
    return this.transition(id, status, fields, note, AWAITING_DECISION, alongside);
  }

  /**
   * Moves an application to `status` with its history line, in one transaction; with `from`, only when its
   * status is one of those (false, and nothing written, otherwise).
   */
  private transition(id: string, status: ApplicationStatus, fields: StatusFields, note: string | null, from?: readonly ApplicationStatus[], alongside: () => void = () => undefined): boolean {
    return this.db.transaction(() => {
      const only = from ? ` AND status IN (${from.map(() => '?').join(', ')})` : '';
      const changed = this.db
        .prepare(`UPDATE applications SET status = ?, reject_reason = COALESCE(?, reject_reason), certificate = COALESCE(?, certificate), serial = COALESCE(?, serial) WHERE id = ?${only}`)
        .run(status, fields.rejectReason ?? null, fields.certificate ? Buffer.from(fields.certificate) : null, fields.serial ?? null, id, ...(from ?? [])).changes;
      if (changed === 0) return false;
      alongside();
      this.addHistory(id, status, note ?? fields.rejectReason ?? null);
      return true;
    })();
  }

  private addHistory(id: string, status: ApplicationStatus, note: string | null): void {
    this.db.prepare('INSERT INTO application_history (application_id, status, at, note) VALUES (?, ?, ?, ?)').run(id, status, new Date().toISOString(), note);
  }

  private toRecord(row: Row): ApplicationRecord {
    const history = this.db.prepare('SELECT status, at, note FROM application_history WHERE application_id = ? ORDER BY rowid').all(row.id) as ApplicationRecord['history'];
    return {
      id: row.id,
      idempotencyKey: row.idempotency_key,
      requestHash: row.request_hash,
      owner: row.owner,
      region: row.region,
      type: row.type,
      onBehalf: row.on_behalf === 1,
      kind: row.kind,
      replaces: row.replaces,
      details: JSON.parse(row.details) as ApplicationDetails,
      medium: row.medium,
      tokenId: row.token_id,
      keyAlgorithm: row.key_algorithm,
      csr: new Uint8Array(row.csr),
      status: row.status,
      rejectReason: row.reject_reason,
      fee: row.fee,
      submittedAt: row.submitted_at,
      expectedBy: row.expected_by,
      certificate: row.certificate ? new Uint8Array(row.certificate) : null,
      serial: row.serial,
      history,
    };
  }
}
