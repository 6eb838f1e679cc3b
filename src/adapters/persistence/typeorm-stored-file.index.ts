import { DataSource } from 'typeorm';
import { StoredFile } from '../../domain/files/file-store.port';
import { StoredFileIndex } from '../../domain/files/stored-file-index.port';

/** The stored_files table: one row per content hash. */
export class TypeormStoredFileIndex implements StoredFileIndex {
  constructor(private readonly ds: DataSource) {}

  async record(f: StoredFile): Promise<void> {
    await this.ds.query(`INSERT INTO stored_files (id, size, content_type) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`, [f.id, f.size, f.contentType]);
  }

  async find(id: string): Promise<StoredFile | null> {
    const [r] = (await this.ds.query(`SELECT id, size, content_type FROM stored_files WHERE id = $1`, [id])) as { id: string; size: string; content_type: string }[];
    return r ? { id: r.id, size: Number(r.size), contentType: r.content_type } : null;
  }
}
