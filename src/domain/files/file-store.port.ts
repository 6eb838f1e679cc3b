/** A stored blob, named by the SHA-256 of its bytes (so the same file is stored once). */
export interface StoredFile {
  id: string;
  size: number;
  contentType: string;
}

/** Where attachments, scans and raw messages are kept. */
export interface FileStore {
  put(content: Buffer, contentType: string): Promise<StoredFile>;
  get(id: string): Promise<Buffer | null>;
}
