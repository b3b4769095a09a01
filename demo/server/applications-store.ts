import { randomUUID } from 'node:crypto';
import type { DemoDatabase } from './database.js';
import type { Sql } from './sql/sql.js';

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

/** Whose certificate an application asks for: the organisation's (USCC) or the person's (ID number). */
export function applicationHolder(app: Pick<ApplicationRecord, 'type' | 'details'>): string {
  return app.type === 'organization' && app.details.organization ? app.details.organization.creditCode : app.details.applicant.idNumber;
}

/** An application that needs no review (a renewal, the hall's USB-Key): created approved with its certificate. */
export interface ApprovedAtOnce {
  certificate: Uint8Array;
  serial: string;
  note: string;
  /** Asked inside the transaction (`tx`) before anything is written: false refuses the creation. */
  guard: (tx: Sql) => Promise<boolean>;
  /** Runs inside the transaction (`tx`) with the new application's id (records the certificate). */
  alongside: (id: string, tx: Sql) => Promise<void>;
}

/** How an application is made: approved at once, and what decides its kind and fee. */
export interface CreateOptions {
  approved?: ApprovedAtOnce;
  /**
   * Decides the kind and fee inside the transaction that inserts the application, after the open-application
   * check: so it sees every certificate recorded by then, and no other application of the holder can be open.
   * Without it the input's own kind and fee stand (a renewal: always `renewal`, free).
   */
  price?: (tx: Sql) => Promise<Pick<NewApplication, 'kind' | 'fee'>>;
}

type Created = { application: ApplicationRecord; created: boolean; refused?: never; open?: never };
/** The holder or the person filing has an open application. */
type RefusedOpen = { application?: never; created: false; refused: 'open'; open: ApplicationRecord };
/** The approved creation's guard said no. */
type RefusedByGuard = { application?: never; created: false; refused: 'guard'; open?: never };

/** A statement's work inside a transaction, given the transaction's executor. */
export type InTransaction = (tx: Sql) => Promise<void>;

const nothing: InTransaction = () => Promise.resolve();

/** Applications and their state history, in the portal's database (SQLite or PostgreSQL). */
export class ApplicationsStore {
  constructor(private readonly database: DemoDatabase) {}

  private get sql() {
    return this.database.sql;
  }

  /**
   * Creates the application unless one with the same idempotency key exists, in one transaction, so a double
   * click or a retried request yields the same application. Returns it and whether it was created now.
   *
   * One open application per person: when the holder (whoever filed for them) or the person filing (`owner`, for
   * whoever it is) has an open application ({@link openFor}), nothing is written and `refused` is `open`. The
   * check, `price` and the insert share one transaction that runs as if alone (SQLite's write lock, or PostgreSQL's
   * SERIALIZABLE with retries, see {@link SqlStore.transaction}): two submissions, even from two processes or two
   * servers on one PostgreSQL, can never both pass the check, and a key used twice at once makes one application. A renewal is outside the rule: it
   * replaces a certificate the holder has (one renewal per certificate, free, no review), so it can make no first
   * issue, and it must not wait days for the review of an unrelated application while the certificate runs out.
   *
   * With `approved`, the application is created approved with its certificate, `alongside` records that
   * certificate in the same transaction, and `guard` is asked inside it first: when it answers false (the
   * certificate being renewed was revoked meanwhile), nothing is written and `refused` is `guard`.
   */
  createOnce(input: NewApplication, options?: CreateOptions & { approved?: undefined }): Promise<Created | RefusedOpen>;
  createOnce(input: NewApplication, options: CreateOptions): Promise<Created | RefusedOpen | RefusedByGuard>;
  createOnce(input: NewApplication, { approved, price }: CreateOptions = {}): Promise<Created | RefusedOpen | RefusedByGuard> {
    return this.sql.transaction(async (tx): Promise<Created | RefusedOpen | RefusedByGuard> => {
      const existing = await this.byIdempotencyKey(input.idempotencyKey, tx);
      if (existing) return { application: existing, created: false };
      if (approved && !(await approved.guard(tx))) return { created: false, refused: 'guard' };
      const holder = applicationHolder(input);
      const open = input.kind === 'renewal' ? undefined : await this.openFor(holder, input.owner, tx);
      if (open) return { created: false, refused: 'open', open };
      const { kind, fee } = price ? await price(tx) : input;
      const id = randomUUID();
      await tx.run(
        `INSERT INTO applications (id, idempotency_key, request_hash, owner, holder, region, type, on_behalf, kind, replaces, details, medium, token_id, key_algorithm, csr, status, fee, submitted_at, expected_by, certificate, serial)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id, input.idempotencyKey, input.requestHash, input.owner, holder, input.region, input.type, input.onBehalf ? 1 : 0, kind, input.replaces, JSON.stringify(input.details),
          input.medium, input.tokenId, input.keyAlgorithm, input.csr, approved ? 'approved' : 'submitted', fee, input.submittedAt, input.expectedBy,
          approved ? approved.certificate : null, approved?.serial ?? null,
        ],
      );
      await this.addHistory(tx, id, 'submitted', null);
      if (approved) {
        await this.addHistory(tx, id, 'approved', approved.note);
        await approved.alongside(id, tx);
      }
      for (const m of input.details.materials) await tx.run('UPDATE uploads SET application_id = ? WHERE id = ?', [id, m.uploadId]);
      return { application: (await this.get(id, tx))!, created: true };
    });
  }

  /**
   * The open application that keeps `holder` (an ID number or a USCC) or `owner` (the person filing) from a new
   * one, if any: submitted, under review, or approved with a certificate that is neither installed nor revoked.
   * Every application counts, whoever filed it (a 委托代办 agent, another handler of the organisation), except
   * renewals (see {@link createOnce}).
   */
  async openFor(holder: string | null, owner: string | null, via: Sql = this.sql): Promise<ApplicationRecord | undefined> {
    const row = await via.get<Row>(
      `SELECT a.* FROM applications a LEFT JOIN issued_certificates c ON c.serial = a.serial
       WHERE (a.holder = ? OR a.owner = ?) AND a.kind <> 'renewal' AND (a.status IN ('submitted', 'under_review') OR (a.status = 'approved' AND c.revoked_at IS NULL))
       ORDER BY a.rowid DESC LIMIT 1`,
      [holder, owner],
    );
    return row && this.toRecord(row, via);
  }

  /** The application `id`; `via` a transaction's executor when asked inside one. */
  async get(id: string, via: Sql = this.sql): Promise<ApplicationRecord | undefined> {
    const row = await via.get<Row>('SELECT * FROM applications WHERE id = ?', [id]);
    return row && this.toRecord(row, via);
  }

  async byIdempotencyKey(key: string, via: Sql = this.sql): Promise<ApplicationRecord | undefined> {
    const row = await via.get<Row>('SELECT * FROM applications WHERE idempotency_key = ?', [key]);
    return row && this.toRecord(row, via);
  }

  /**
   * The owner's current application: the open one they filed, if any (what a new application would wait for),
   * otherwise their most recent.
   */
  async current(owner: string): Promise<ApplicationRecord | undefined> {
    const open = await this.openFor(null, owner);
    if (open) return open;
    const row = await this.sql.get<Row>('SELECT * FROM applications WHERE owner = ? ORDER BY submitted_at DESC, rowid DESC LIMIT 1', [owner]);
    return row && this.toRecord(row);
  }

  /** Organisations `owner` has a certificate for as their handler (经办人): approved or installed applications. */
  async organizationsHandledBy(owner: string): Promise<{ name: string; creditCode: string }[]> {
    const rows = await this.sql.all<Row>("SELECT * FROM applications WHERE owner = ? AND type = 'organization' AND status IN ('approved', 'installed') ORDER BY rowid", [owner]);
    const organizations = rows.map((r) => (JSON.parse(r.details) as ApplicationDetails).organization).filter((o) => o !== undefined);
    return organizations.filter((o, i) => organizations.findIndex((p) => p.creditCode === o.creditCode) === i);
  }

  async all(): Promise<ApplicationRecord[]> {
    const rows = await this.sql.all<Row>('SELECT * FROM applications ORDER BY submitted_at DESC, rowid DESC');
    return Promise.all(rows.map((r) => this.toRecord(r)));
  }

  /** Staff open a submitted application (审核中); false when it is no longer submitted (withdrawn meanwhile). */
  startReview(id: string): Promise<boolean> {
    return this.transition(id, 'under_review', {}, null, ['submitted']);
  }

  /** The applicant withdraws before review starts; false once staff have opened it (or it is decided). */
  withdraw(id: string): Promise<boolean> {
    return this.transition(id, 'withdrawn', {}, 'withdrawn by the applicant', ['submitted']);
  }

  /**
   * Records the installation of an approved application's certificate; `alongside` runs in the same transaction
   * (a renewal revokes the certificate it replaces). False when the application is not approved (any more).
   */
  install(id: string, note: string, alongside: InTransaction = nothing): Promise<boolean> {
    return this.transition(id, 'installed', {}, note, ['approved'], alongside);
  }

  /** The renewal application that replaces `serial` and is still going (approved or installed), if any. */
  async renewalOf(serial: string, via: Sql = this.sql): Promise<ApplicationRecord | undefined> {
    const row = await via.get<Row>("SELECT * FROM applications WHERE replaces = ? AND kind = 'renewal' AND status IN ('approved', 'installed') ORDER BY rowid DESC LIMIT 1", [serial]);
    return row && this.toRecord(row, via);
  }

  /**
   * Records a staff decision on an application that still awaits one, atomically: false when another decision
   * came first (two staff members, a double click), and then nothing changes. `alongside` runs in the same
   * transaction (recording the issued certificate), so an application is approved once, with one certificate.
   */
  decide(id: string, status: 'approved' | 'rejected', fields: StatusFields, note: string | null, alongside: InTransaction = nothing): Promise<boolean> {
    return this.transition(id, status, fields, note, AWAITING_DECISION, alongside);
  }

  /**
   * Moves an application to `status` with its history line, in one transaction; with `from`, only when its
   * status is one of those (false, and nothing written, otherwise).
   */
  private transition(id: string, status: ApplicationStatus, fields: StatusFields, note: string | null, from?: readonly ApplicationStatus[], alongside: InTransaction = nothing): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const only = from ? ` AND status IN (${from.map(() => '?').join(', ')})` : '';
      const changed = await tx.run(`UPDATE applications SET status = ?, reject_reason = COALESCE(?, reject_reason), certificate = COALESCE(?, certificate), serial = COALESCE(?, serial) WHERE id = ?${only}`, [
        status, fields.rejectReason ?? null, fields.certificate ?? null, fields.serial ?? null, id, ...(from ?? []),
      ]);
      if (changed === 0) return false;
      await alongside(tx);
      await this.addHistory(tx, id, status, note ?? fields.rejectReason ?? null);
      return true;
    });
  }

  private async addHistory(tx: Sql, id: string, status: ApplicationStatus, note: string | null): Promise<void> {
    await tx.run('INSERT INTO application_history (application_id, status, at, note) VALUES (?, ?, ?, ?)', [id, status, new Date().toISOString(), note]);
  }

  private async toRecord(row: Row, via: Sql = this.sql): Promise<ApplicationRecord> {
    const history = await via.all<ApplicationRecord['history'][number]>('SELECT status, at, note FROM application_history WHERE application_id = ? ORDER BY rowid', [row.id]);
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
