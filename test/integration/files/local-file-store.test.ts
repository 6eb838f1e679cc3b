import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalFileStore } from '../../../src/adapters/files/local-file-store';
import { Database, DatabaseConfig, openDatabase } from '../../../src/adapters/persistence/data-source';
import { TypeormStoredFileIndex } from '../../../src/adapters/persistence/typeorm-stored-file.index';
import { createTestDatabase } from '../../support/database';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const INLINE_MAX = 1024;

/** The same behaviour on both engines (PGlite serializes bytea arrays its own way). */
describe.each(['postgres', 'pglite'] as const)('local file store with small files kept in the index (%s)', (engine) => {
  let db: Database;
  let drop: () => Promise<void> = async () => undefined;
  let dir: string;
  let store: LocalFileStore;
  const onDisk = (id: string): boolean => existsSync(path.join(dir, id.slice(0, 2), id));
  const row = async (id: string): Promise<{ size: string; content_type: string; inline: boolean } | undefined> =>
    ((await db.dataSource.query(`SELECT size::text AS size, content_type, content IS NOT NULL AS inline FROM stored_files WHERE id = $1`, [id])) as {
      size: string; content_type: string; inline: boolean;
    }[])[0];

  beforeAll(async () => {
    let config: DatabaseConfig;
    if (engine === 'postgres') {
      const t = await createTestDatabase('filestore');
      drop = t.drop;
      config = { kind: 'postgres', url: t.url, poolSize: 4 };
    } else {
      config = { kind: 'pglite', dataDir: null };
    }
    db = await openDatabase(config);
    dir = mkdtempSync(path.join(os.tmpdir(), 'loket-filestore-'));
    store = new LocalFileStore(dir, new TypeormStoredFileIndex(db.dataSource), INLINE_MAX);
  });
  afterAll(async () => {
    await db?.dataSource.destroy();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a small file in its index row (no file of its own) and gives back the same bytes', async () => {
    const small = Buffer.from(`surat kecil ${Date.now()} \u00e9\u0000\u00ff`, 'latin1');
    const f = await store.put(small, 'text/plain');
    expect(f).toEqual({ id: sha(small), size: small.length, contentType: 'text/plain' });
    expect(onDisk(f.id)).toBe(false);
    expect(await row(f.id)).toEqual({ size: String(small.length), content_type: 'text/plain', inline: true });
    expect(await store.get(f.id)).toEqual(small);
    expect(await store.describe(f.id)).toEqual(f);
  });

  it('writes a larger file to disk, not into the index', async () => {
    const large = Buffer.alloc(INLINE_MAX + 1, 7);
    large.write(String(Date.now()));
    const f = await store.put(large, 'application/pdf');
    expect(onDisk(f.id)).toBe(true);
    expect(await row(f.id)).toMatchObject({ inline: false });
    expect(await store.get(f.id)).toEqual(large);
  });

  it('putMany stores a batch in order, the same bytes once, small and large alike', async () => {
    const a = Buffer.from(`a-${Date.now()}`);
    const b = Buffer.alloc(INLINE_MAX * 2, 1);
    b.write(`b-${Date.now()}`);
    const stored = await store.putMany([
      { content: a, contentType: 'message/rfc822' },
      { content: b, contentType: 'image/jpeg' },
      { content: a, contentType: 'message/rfc822' },
    ]);
    expect(stored.map((f) => f.id)).toEqual([sha(a), sha(b), sha(a)]);
    expect(stored.map((f) => f.contentType)).toEqual(['message/rfc822', 'image/jpeg', 'message/rfc822']);
    expect(await store.get(sha(a))).toEqual(a);
    expect(await store.get(sha(b))).toEqual(b);
    expect(onDisk(sha(a))).toBe(false);
    expect(onDisk(sha(b))).toBe(true);
    const [{ n }] = (await db.dataSource.query(`SELECT count(*)::int AS n FROM stored_files WHERE id = ANY($1::text[])`, [[sha(a), sha(b)]])) as { n: number }[];
    expect(n).toBe(2);
  });

  it('storing a file again changes nothing; an empty batch writes nothing', async () => {
    const c = Buffer.from(`again-${Date.now()}`);
    const first = await store.put(c, 'text/plain');
    const second = await store.put(c, 'text/plain');
    expect(second).toEqual(first);
    expect(await store.putMany([])).toEqual([]);
  });

  it('a large file is still written when its directory was removed meanwhile', async () => {
    const d = Buffer.alloc(INLINE_MAX + 10, 3);
    d.write(`d-${Date.now()}`);
    const id = sha(d);
    const e = Buffer.alloc(INLINE_MAX + 10, 3);
    e.write(`e-${Date.now()}-${id}`);
    await store.put(d, 'application/octet-stream');
    rmSync(path.join(dir, id.slice(0, 2)), { recursive: true, force: true });
    // Same fan-out directory, known to the store, gone from the disk.
    let other = e;
    for (let i = 0; sha(other).slice(0, 2) !== id.slice(0, 2); i++) other = Buffer.concat([e, Buffer.from(String(i))]);
    const f = await store.put(other, 'application/octet-stream');
    expect(await store.get(f.id)).toEqual(other);
  });

  it('erase removes the bytes, inline or on disk, and keeps the record', async () => {
    const small = Buffer.from(`erase-small-${Date.now()}`);
    const large = Buffer.alloc(INLINE_MAX + 5, 9);
    large.write(`erase-large-${Date.now()}`);
    const [s, l] = await store.putMany([{ content: small, contentType: 'message/rfc822' }, { content: large, contentType: 'message/rfc822' }]);
    await store.erase(s.id);
    await store.erase(l.id);
    await store.erase(l.id); // again: nothing left to do
    expect(await store.get(s.id)).toBeNull();
    expect(await store.get(l.id)).toBeNull();
    expect(onDisk(l.id)).toBe(false);
    expect(await row(s.id)).toMatchObject({ inline: false });
    expect(await store.describe(l.id)).toEqual(l);
  });

  it('unknown or malformed ids give nothing', async () => {
    expect(await store.get('0'.repeat(64))).toBeNull();
    expect(await store.get('../etc/passwd')).toBeNull();
    expect(await store.describe('nope')).toBeNull();
  });
});
