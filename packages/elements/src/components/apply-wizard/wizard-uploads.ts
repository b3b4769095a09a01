import type { ReactiveControllerHost } from 'lit';
import type { MaterialKind, UploadResult } from '../../backend/types.js';
import type { Upload } from './wizard-view.js';

/** The file types the materials step accepts. */
export const UPLOAD_TYPES = ['image/jpeg', 'image/png', 'application/pdf'];

/** `1 MB`, `512 KB`. */
export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** Why a file was refused before upload: its type, or its size over the region's limit. */
export interface UploadRefusal {
  problem: 'type' | 'size';
  /** The region's limit, e.g. `2 MB`. */
  limit: string;
}

/**
 * The materials chosen so far, uploaded as they are chosen. Image previews are object URLs, revoked when replaced
 * or cleared, so nothing of them stays in the page after submission.
 */
export class MaterialUploads {
  #uploads: Partial<Record<MaterialKind, Upload>> = {};

  constructor(private readonly host: ReactiveControllerHost) {}

  get all(): Partial<Record<MaterialKind, Upload>> {
    return this.#uploads;
  }

  /** The first of `kinds` not uploaded yet. */
  missing(kinds: MaterialKind[]): MaterialKind | undefined {
    return kinds.find((kind) => !this.#uploads[kind]?.uploadId);
  }

  /** Ids for the application, in the order of `kinds` (all uploaded: the flow checked). */
  ids(kinds: MaterialKind[]): { kind: MaterialKind; uploadId: string }[] {
    return kinds.map((kind) => ({ kind, uploadId: this.#uploads[kind]!.uploadId! }));
  }

  /** Checks and uploads `file` as `kind`; resolves with a refusal, or rejects with the backend's error. */
  async choose(kind: MaterialKind, file: File, maxBytes: number, upload: (kind: MaterialKind, file: File) => Promise<UploadResult>): Promise<UploadRefusal | undefined> {
    if (!UPLOAD_TYPES.includes(file.type)) return { problem: 'type', limit: formatSize(maxBytes) };
    if (file.size > maxBytes) return { problem: 'size', limit: formatSize(maxBytes) };
    const old = this.#uploads[kind]?.preview;
    if (old) URL.revokeObjectURL(old);
    const preview = file.type.startsWith('image/') ? URL.createObjectURL(file) : undefined;
    this.#set(kind, { fileName: file.name, uploading: true, ...(preview ? { preview } : {}) });
    try {
      const { uploadId } = await upload(kind, file);
      this.#set(kind, { ...this.#uploads[kind]!, uploadId, uploading: false });
      return undefined;
    } catch (error) {
      if (preview) URL.revokeObjectURL(preview);
      this.#set(kind, undefined);
      throw error;
    }
  }

  /** {@link MaterialUploads.choose} for the file chosen in `input`, which is emptied so the same file can be chosen again. */
  async chooseFrom(input: HTMLInputElement, kind: MaterialKind, maxBytes: number, upload: (kind: MaterialKind, file: File) => Promise<UploadResult>): Promise<UploadRefusal | undefined> {
    const file = input.files?.[0];
    input.value = '';
    return file ? this.choose(kind, file, maxBytes, upload) : undefined;
  }

  /** Forgets every material and revokes the previews. */
  clear(): void {
    for (const upload of Object.values(this.#uploads) as (Upload | undefined)[]) if (upload?.preview) URL.revokeObjectURL(upload.preview);
    this.#uploads = {};
    this.host.requestUpdate();
  }

  #set(kind: MaterialKind, upload: Upload | undefined): void {
    this.#uploads = { ...this.#uploads, [kind]: upload };
    this.host.requestUpdate();
  }
}
