import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoDatabase } from './database.js';

/** Accepted upload types, recognised by their first bytes (the declared type is not trusted). */
export const UPLOAD_TYPES = {
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47],
  'application/pdf': [0x25, 0x50, 0x44, 0x46],
} as const;
export type UploadType = keyof typeof UPLOAD_TYPES;

/** The type `bytes` really are, or undefined. */
export function sniffType(bytes: Uint8Array): UploadType | undefined {
  return (Object.keys(UPLOAD_TYPES) as UploadType[]).find((type) => UPLOAD_TYPES[type].every((b, i) => bytes[i] === b));
}

export interface UploadRecord {
  id: string;
  owner: string;
  kind: string;
  fileName: string;
  mimeType: UploadType;
  size: number;
  path: string;
  applicationId: string | null;
}

/**
 * Uploaded materials: files on disk (mode 0600), metadata in the portal's database. Several portal processes
 * need `dir` on storage they all reach (see docs/backend-api.md): the database names the file by its path.
 */
export class UploadsStore {
  constructor(
    private readonly database: DemoDatabase,
    private readonly dir: string,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  async save(owner: string, kind: string, fileName: string, mimeType: UploadType, bytes: Uint8Array): Promise<UploadRecord> {
    const id = randomUUID();
    const path = join(this.dir, id);
    writeFileSync(path, bytes, { mode: 0o600 });
    await this.database.sql.run('INSERT INTO uploads (id, owner, kind, file_name, mime_type, size, path, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      id, owner, kind, fileName.slice(0, 200), mimeType, bytes.length, path, new Date().toISOString(),
    ]);
    return { id, owner, kind, fileName, mimeType, size: bytes.length, path, applicationId: null };
  }

  async get(id: string): Promise<UploadRecord | undefined> {
    const row = await this.database.sql.get<{ id: string; owner: string; kind: string; file_name: string; mime_type: UploadType; size: number; path: string; application_id: string | null }>(
      'SELECT * FROM uploads WHERE id = ?',
      [id],
    );
    return row && { id: row.id, owner: row.owner, kind: row.kind, fileName: row.file_name, mimeType: row.mime_type, size: row.size, path: row.path, applicationId: row.application_id };
  }

  read(record: UploadRecord): Buffer {
    return readFileSync(record.path);
  }
}
