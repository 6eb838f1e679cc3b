/** A stored blob, named by the SHA-256 of its bytes (so the same file is stored once). */
export interface StoredFile {
  id: string;
  size: number;
  contentType: string;
}

/** Where attachments, scans and raw messages are kept. */
export interface FileStore {
  put(content: Buffer, contentType: string): Promise<StoredFile>;
  /** Stores several files at once (recorded together); the answer is in the order given. */
  putMany(files: { content: Buffer; contentType: string }[]): Promise<StoredFile[]>;
  /** A directory on the store's file system for uploads in progress (so they can be moved in). */
  tempDir(): Promise<string>;
  /** Takes over a fully written temporary file whose SHA-256 and size the caller computed. */
  adopt(tempPath: string, sha256: string, size: number, contentType: string): Promise<StoredFile>;
  /** The content type and size of a stored file, or null. */
  describe(id: string): Promise<StoredFile | null>;
  get(id: string): Promise<Buffer | null>;
  /** Removes the bytes (personal data erased); the record that the file existed stays. */
  erase(id: string): Promise<void>;
}
