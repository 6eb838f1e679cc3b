import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { FileStore, StoredFile } from '../../domain/files/file-store.port';

const ID = /^[0-9a-f]{64}$/;

/**
 * Files in a local directory, named by the SHA-256 of their bytes (the same file is kept
 * once), with their size and type recorded in the database. Written to a temporary name and
 * renamed, so a crash never leaves a half file under a real name.
 */
export class LocalFileStore implements FileStore {
  constructor(
    private readonly dir: string,
    private readonly ds: DataSource,
  ) {}

  private pathOf(id: string): string {
    return path.join(this.dir, id.slice(0, 2), id);
  }

  async put(content: Buffer, contentType: string): Promise<StoredFile> {
    const id = createHash('sha256').update(content).digest('hex');
    const target = this.pathOf(id);
    const exists = await stat(target).then(
      (s) => s.size === content.length,
      () => false,
    );
    if (!exists) {
      await mkdir(path.dirname(target), { recursive: true });
      const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(tmp, content, { mode: 0o600 });
      await rename(tmp, target);
    }
    const type = contentType.slice(0, 200) || 'application/octet-stream';
    await this.ds.query(`INSERT INTO stored_files (id, size, content_type) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`, [id, content.length, type]);
    return { id, size: content.length, contentType: type };
  }

  async get(id: string): Promise<Buffer | null> {
    if (!ID.test(id)) return null;
    return readFile(this.pathOf(id)).catch(() => null);
  }
}
