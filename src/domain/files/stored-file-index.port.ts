import { StoredFile } from './file-store.port';

/** Where the size and type of each stored blob are recorded, and the bytes of small ones kept. */
export interface StoredFileIndex {
  /**
   * Records a blob, with its bytes when they are kept in the index (small files); recording
   * the same id again changes nothing.
   */
  record(file: StoredFile, content?: Buffer | null): Promise<void>;
  /** Records several blobs in one write. */
  recordMany(files: { file: StoredFile; content: Buffer | null }[]): Promise<void>;
  find(id: string): Promise<StoredFile | null>;
  /** Drops the bytes kept in the index for this blob, if any. */
  eraseContent(id: string): Promise<void>;
  /** The bytes of a blob kept in the index, or null. */
  content(id: string): Promise<Buffer | null>;
}
