import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FileStore, StoredFile } from '../../domain/files/file-store.port';
import { StoredFileIndex } from '../../domain/files/stored-file-index.port';

const ID = /^[0-9a-f]{64}$/;
/** Creating a file costs more than writing a few kilobytes: smaller files are kept in the index. */
export const INLINE_MAX_BYTES = 64 * 1024;
/** Files written at once by putMany. */
const WRITE_CONCURRENCY = 8;
const hashOf = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const contentTypeOf = (t: string): string => t.slice(0, 200) || 'application/octet-stream';

/**
 * Files named by the SHA-256 of their bytes (the same file is kept once), with their size and
 * type recorded in an index (the database). Small files (most emails) are kept in the index
 * row itself; larger ones in a local directory, written to a temporary name and renamed, so a
 * crash never leaves a half file under a real name.
 */
export class LocalFileStore implements FileStore {
  /** Fan-out directories known to exist (created once per process). */
  private readonly knownDirs = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly index: StoredFileIndex,
    /** Files up to this size are kept in the index instead of a file of their own. */
    private readonly inlineMaxBytes = INLINE_MAX_BYTES,
  ) {}

  private pathOf(id: string): string {
    return path.join(this.dir, id.slice(0, 2), id);
  }

  async put(content: Buffer, contentType: string): Promise<StoredFile> {
    const [stored] = await this.putMany([{ content, contentType }]);
    return stored;
  }

  async putMany(files: { content: Buffer; contentType: string }[]): Promise<StoredFile[]> {
    const stored: StoredFile[] = files.map(({ content, contentType }) => ({ id: hashOf(content), size: content.length, contentType: contentTypeOf(contentType) }));
    // Large files go to disk, a few at a time (the file system's thread pool is small), each once.
    const large = [...new Map(files.map((f, i) => [stored[i].id, f] as const).filter(([, f]) => f.content.length > this.inlineMaxBytes)).entries()];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < large.length) {
        const [id, f] = large[next++];
        await this.write(f.content, id);
      }
    };
    await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, large.length) }, worker));
    await this.index.recordMany(stored.map((file, i) => ({ file, content: files[i].content.length > this.inlineMaxBytes ? null : files[i].content })));
    return stored;
  }

  /** The file under its content hash, unless it is there already. */
  private async write(content: Buffer, id: string): Promise<void> {
    const target = this.pathOf(id);
    const exists = await stat(target).then(
      (s) => s.size === content.length,
      () => false,
    );
    if (!exists) {
      const dir = path.dirname(target);
      if (!this.knownDirs.has(dir)) {
        await mkdir(dir, { recursive: true });
        this.knownDirs.add(dir);
      }
      const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(tmp, content, { mode: 0o600 }).catch(async (err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
        // The directory went away since it was made (someone cleaned up): make it again.
        await mkdir(dir, { recursive: true });
        await writeFile(tmp, content, { mode: 0o600 });
      });
      await rename(tmp, target);
    }
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
    const stored = { id: sha256, size, contentType: contentTypeOf(contentType) };
    await this.index.record(stored);
    return stored;
  }

  async describe(id: string): Promise<StoredFile | null> {
    if (!ID.test(id)) return null;
    return this.index.find(id);
  }

  async erase(id: string): Promise<void> {
    if (!ID.test(id)) return;
    await unlink(this.pathOf(id)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await this.index.eraseContent(id);
  }

  async get(id: string): Promise<Buffer | null> {
    if (!ID.test(id)) return null;
    const onDisk = await readFile(this.pathOf(id)).catch(() => null);
    return onDisk ?? this.index.content(id);
  }
}
