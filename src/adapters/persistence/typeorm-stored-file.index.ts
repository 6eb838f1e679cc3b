import { DataSource } from 'typeorm';
import { StoredFile } from '../../domain/files/file-store.port';
import { StoredFileIndex } from '../../domain/files/stored-file-index.port';

/** The stored_files table: one row per content hash. */
export class TypeormStoredFileIndex implements StoredFileIndex {
  constructor(private readonly ds: DataSource) {}

  async record(f: StoredFile, content: Buffer | null = null): Promise<void> {
    await this.recordMany([{ file: f, content }]);
  }

  async recordMany(files: { file: StoredFile; content: Buffer | null }[]): Promise<void> {
    const unique = [...new Map(files.map((f) => [f.file.id, f])).values()];
    if (unique.length === 0) return;
    await this.ds.query(
      `INSERT INTO stored_files (id, size, content_type, content)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bytea[])
       ON CONFLICT (id) DO NOTHING`,
      [unique.map((f) => f.file.id), unique.map((f) => f.file.size), unique.map((f) => f.file.contentType), unique.map((f) => f.content)],
    );
  }

  async eraseContent(id: string): Promise<void> {
    await this.ds.query(`WITH u AS (UPDATE stored_files SET content = NULL WHERE id = $1 AND content IS NOT NULL RETURNING id) SELECT id FROM u`, [id]);
  }

  async content(id: string): Promise<Buffer | null> {
    const [r] = (await this.ds.query(`SELECT content FROM stored_files WHERE id = $1`, [id])) as { content: Buffer | Uint8Array | null }[];
    return r?.content ? Buffer.from(r.content) : null;
  }

  async find(id: string): Promise<StoredFile | null> {
    const [r] = (await this.ds.query(`SELECT id, size, content_type FROM stored_files WHERE id = $1`, [id])) as { id: string; size: string; content_type: string }[];
    return r ? { id: r.id, size: Number(r.size), contentType: r.content_type } : null;
  }
}
