import { StoredFile } from './file-store.port';

/** Where the size and type of each stored blob are recorded (the blobs themselves live elsewhere). */
export interface StoredFileIndex {
  /** Records a blob; recording the same id again changes nothing. */
  record(file: StoredFile): Promise<void>;
  find(id: string): Promise<StoredFile | null>;
}
