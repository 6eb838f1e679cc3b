import { createHash } from 'node:crypto';
import { Dirent } from 'node:fs';
import { lstat, mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Logger } from 'pino';
import { FileStore } from '../../domain/files/file-store.port';
import { DropItemKind, DropItemRepository, DropScanner, DropScanReport } from '../../domain/intake/drop-item';
import { Clock } from '../../domain/shared/clock.port';
import { IdGenerator } from '../../domain/shared/id-generator.port';
import { faxMeta, HYLAFAX_NAME, isSidecarName, sidecarNames } from './fax-naming';
import { DropFileType, sniffFileType } from './file-type';
import { readDropFile } from './read-drop-file';

export interface DropFolderOptions {
  kind: DropItemKind;
  dir: string;
  accept: readonly DropFileType[];
  /** Poll interval (default 5 s). */
  pollMs?: number;
  /** A file untouched for this long is complete even if not seen before (default 2 s). */
  settleMs?: number;
  /** How long a HylaFAX fax*.tif without its sidecar waits for it before it is taken anyway. */
  sidecarGraceMs?: number;
  /** Larger files are rejected (default 50 MiB). */
  maxBytes?: number;
}

export type { DropScanReport };

export const PROCESSED_DIR = 'processed';
export const REJECTED_DIR = 'rejected';
/** Names a writer uses while a file is still being written. */
/** A fax server's info file is a few lines. */
const SIDECAR_MAX_BYTES = 64 * 1024;
const IN_PROGRESS = /(^\.|\.part$|\.tmp$|\.partial$|~$)/i;

/**
 * Watches a drop folder (the scanner's or the fax server's). Each complete file of an accepted
 * type is stored and recorded, and only after that commit moved to `processed/`; a crash in
 * between leaves the file where it was, and the next pass finds its content already recorded
 * (UNIQUE per kind and SHA-256) and only moves it. Other files go to `rejected/` with a
 * `.reason.txt`. A file is complete when its size and mtime did not change since the previous
 * pass, or when it was last written `settleMs` ago.
 */
export class DropFolderWatcher implements DropScanner {
  private readonly pollMs: number;
  private readonly settleMs: number;
  private readonly sidecarGraceMs: number;
  private readonly maxBytes: number;
  private seen = new Map<string, { size: number; mtimeMs: number }>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<DropScanReport> | null = null;

  constructor(
    private readonly options: DropFolderOptions,
    private readonly files: FileStore,
    private readonly items: DropItemRepository,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly log: Logger,
  ) {
    this.pollMs = options.pollMs ?? 5_000;
    this.settleMs = options.settleMs ?? 2_000;
    this.sidecarGraceMs = options.sidecarGraceMs ?? 30_000;
    this.maxBytes = options.maxBytes ?? 50 * 1024 * 1024;
  }

  start(): void {
    if (this.timer) return;
    const tick = (): void => {
      this.scanNow().catch((err: Error) => this.log.error({ err: loggableName(err.message), dir: this.options.dir }, 'drop folder pass failed'));
    };
    tick();
    this.timer = setInterval(tick, this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One pass over the folder; passes never overlap (a call during a pass waits for it, then runs its own). */
  async scanNow(): Promise<DropScanReport> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.pass();
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  private async pass(): Promise<DropScanReport> {
    const dir = this.options.dir;
    await mkdir(path.join(dir, PROCESSED_DIR), { recursive: true });
    await mkdir(path.join(dir, REJECTED_DIR), { recursive: true });
    const report: DropScanReport = { recorded: [], duplicates: [], rejected: [], waiting: [] };
    const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
    const names = new Set(entries.map((e) => e.name));
    const seenNow = new Map<string, { size: number; mtimeMs: number }>();
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const name = entry.name;
      if (!entry.isFile() || IN_PROGRESS.test(name)) continue;
      // Sidecars travel with their fax; they are not documents of their own.
      if (this.options.kind === 'FAX' && isSidecarName(name)) continue;
      const full = path.join(dir, name);
      const st = await lstat(full).catch(() => null);
      if (!st?.isFile()) continue;
      const now = { size: st.size, mtimeMs: st.mtimeMs };
      const before = this.seen.get(name);
      const unchanged = before && before.size === now.size && before.mtimeMs === now.mtimeMs;
      if (!unchanged && Date.now() - st.mtimeMs < this.settleMs) {
        seenNow.set(name, now);
        report.waiting.push(name);
        continue;
      }
      const sidecars = this.options.kind === 'FAX' ? sidecarNames(name).filter((n) => names.has(n)) : [];
      // HylaFAX may write the fax a moment before its info file: give the sidecar time to appear.
      if (this.options.kind === 'FAX' && HYLAFAX_NAME.test(name) && sidecars.length === 0 && Date.now() - st.mtimeMs < this.sidecarGraceMs) {
        seenNow.set(name, now);
        report.waiting.push(name);
        continue;
      }
      try {
        const outcome = await this.take(name, st.size, st.mtime, sidecars);
        report[outcome].push(name);
      } catch (err) {
        // Left in place for the next pass (the database may be away).
        this.log.error({ err: loggableName((err as Error).message), file: loggableName(name), dir }, 'drop folder file not taken');
        seenNow.set(name, now);
      }
    }
    this.seen = seenNow;
    return report;
  }

  private async take(name: string, size: number, mtime: Date, sidecars: string[]): Promise<'recorded' | 'duplicates' | 'rejected'> {
    const full = path.join(this.options.dir, name);
    if (size === 0) return this.reject(name, sidecars, 'Berkas kosong (0 byte). / Empty file.');
    if (size > this.maxBytes) return this.reject(name, sidecars, `Berkas terlalu besar (${size} byte, batas ${this.maxBytes}). / File too large.`);
    const read = await readDropFile(full, this.maxBytes);
    if (!read.content) {
      if (read.tooLarge) return this.reject(name, sidecars, `Berkas terlalu besar (batas ${this.maxBytes} byte). / File too large.`);
      throw new Error('not a regular file any more (replaced while being read?)');
    }
    const content = read.content;
    const type = sniffFileType(content);
    if (!type || !this.options.accept.includes(type)) {
      const kinds = this.options.accept.map((t) => t.split('/')[1].toUpperCase()).join(', ');
      return this.reject(name, sidecars, `Jenis berkas tidak diterima; hanya ${kinds} (dikenali dari isi berkas, bukan nama). / Not an accepted file type (${kinds}, by content).`);
    }
    const sha256 = createHash('sha256').update(content).digest('hex');
    let meta = { senderNumber: null as string | null, receivedAt: null as Date | null };
    if (this.options.kind === 'FAX') {
      const side = sidecars.length ? await readDropFile(path.join(this.options.dir, sidecars[0]), SIDECAR_MAX_BYTES).catch(() => null) : null;
      const sidecar = side?.content ? side.content.toString('utf8') : null;
      meta = faxMeta(name, sidecar);
    }
    const stored = await this.files.put(content, type);
    if (stored.id !== sha256) throw new Error('file store returned another id than the content hash');
    const now = this.clock.now();
    const { id, created } = await this.items.record(this.ids.newId(), {
      kind: this.options.kind,
      fileId: stored.id,
      filename: name,
      contentType: type,
      size: content.length,
      // When it appeared, but never later than "now" (a clock behind the file system's).
      arrivedAt: mtime.getTime() < now.getTime() ? mtime : now,
      senderNumber: meta.senderNumber,
      faxReceivedAt: meta.receivedAt,
    });
    // Only now, after the commit, does the file leave the folder.
    await this.moveAll([name, ...sidecars], PROCESSED_DIR);
    this.log.info({ kind: this.options.kind, id, file: loggableName(name), created }, created ? 'drop folder file recorded' : 'drop folder file already recorded');
    return created ? 'recorded' : 'duplicates';
  }

  private async reject(name: string, sidecars: string[], reason: string): Promise<'rejected'> {
    const [moved] = await this.moveAll([name, ...sidecars], REJECTED_DIR);
    await writeFile(path.join(this.options.dir, REJECTED_DIR, `${moved}.reason.txt`), `${reason}\n`);
    this.log.warn({ kind: this.options.kind, file: loggableName(name), reason }, 'drop folder file rejected');
    return 'rejected';
  }

  /** Moves files into a subfolder, never over an existing one; returns the names used. */
  private async moveAll(names: string[], sub: string): Promise<string[]> {
    const used: string[] = [];
    const stamp = `${this.clock.now().toISOString().replace(/[:.]/g, '-')}`;
    for (const name of names) {
      const target = await freeName(path.join(this.options.dir, sub), name, stamp);
      try {
        await rename(path.join(this.options.dir, name), path.join(this.options.dir, sub, target));
      } catch (err) {
        // Another instance moved it first.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      used.push(target);
    }
    return used;
  }
}

async function freeName(dir: string, name: string, stamp: string): Promise<string> {
  const exists = async (n: string): Promise<boolean> => lstat(path.join(dir, n)).then(() => true, () => false);
  if (!(await exists(name))) return name;
  for (let i = 0; ; i++) {
    const candidate = `${stamp}${i ? `-${i}` : ''}_${name}`;
    if (!(await exists(candidate))) return candidate;
  }
}

/** Fax file names carry the sender's number; long digit runs are masked before logging. */
export function loggableName(name: string): string {
  return name.replace(/\d{6,}/g, (digits) => `${digits.slice(0, 2)}${'*'.repeat(digits.length - 2)}`);
}
