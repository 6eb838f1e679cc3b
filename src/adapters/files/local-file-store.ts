import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FileStore, StoredFile } from '../../domain/files/file-store.port';
import { StoredFileIndex } from '../../domain/files/stored-file-index.port';

const ID = /^[0-9a-f]{64}$/;

/**
 * Files in a local directory, named by the SHA-256 of their bytes (the same file is kept
 * once), with their size and type recorded in an index (the database). Written to a temporary name and
 * renamed, so a crash never leaves a half file under a real name.
 */
export class LocalFileStore implements FileStore {
  constructor(
    private readonly dir: string,
    private readonly index: StoredFileIndex,
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
    const stored = { id, size: content.length, contentType: type };
    await this.index.record(stored);
    return stored;
  }

  async tempDir(): Promise<string> {
    const dir = path.join(this.dir, 'tmp');
    await mkdir(dir, { recursive: true });
    return dir;
  }

  async adopt(tempPath: string, sha256: string, size: number, contentType: string): Promise<StoredFile> {
    if (!ID.test(sha256)) throw new Error('not a sha256');
    const target = this.pathOf(sha256);
    const exists = await stat(target).then(
      (s) => s.size === size,
      () => false,
    );
    if (exists) await unlink(tempPath).catch(() => undefined);
    else {
      await mkdir(path.dirname(target), { recursive: true });
      await rename(tempPath, target);
    }
    const type = contentType.slice(0, 200) || 'application/octet-stream';
    const stored = { id: sha256, size, contentType: type };
    await this.index.record(stored);
    return stored;
  }

  async describe(id: string): Promise<StoredFile | null> {
    if (!ID.test(id)) return null;
    return this.index.find(id);
  }

  async get(id: string): Promise<Buffer | null> {
    if (!ID.test(id)) return null;
    return readFile(this.pathOf(id)).catch(() => null);
  }
}
