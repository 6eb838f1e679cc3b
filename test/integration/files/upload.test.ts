import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { as, gqlOk, startTestApp, Target } from '../../support/test-app';
import { buildPhoneCall } from '../../support/builders';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const TIFF = Buffer.concat([Buffer.from('49492a00', 'hex'), Buffer.alloc(64, 2)]);

describe('POST /files and GET /files/{id} (real PostgreSQL, real disk)', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  let dbUrl: string;
  let filesDir: string;
  let base: string;

  beforeAll(async () => {
    const db = await createTestDatabase('files');
    drop = db.drop;
    dbUrl = db.url;
    filesDir = mkdtempSync(path.join(os.tmpdir(), 'loket-upload-'));
    app = await startTestApp(db.url, undefined, { filesDir });
    base = app.url.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
    rmSync(filesDir, { recursive: true, force: true });
  });

  const upload = async (who: Target | null, content: Buffer, filename = 'scan.pdf', field = 'file') => {
    const form = new FormData();
    form.append(field, new Blob([content]), filename);
    const res = await fetch(`${base}/files`, { method: 'POST', body: form, headers: who?.token ? { authorization: `Bearer ${who.token}` } : {} });
    return { status: res.status, body: (await res.json()) as any };
  };
  const download = async (who: Target, id: string) => fetch(`${base}/files/${id}`, { headers: { authorization: `Bearer ${who.token}` } });
  const leftovers = () => readdirSync(path.join(filesDir, 'tmp'));

  it('stores PDF, PNG and TIFF by content hash; the same bytes give the same id', async () => {
    const clerk = as(app, 'CLERK');
    const first = await upload(clerk, PDF);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: createHash('sha256').update(PDF).digest('hex'), size: PDF.length, contentType: 'application/pdf' });
    expect((await upload(clerk, PDF, 'lagi.pdf')).body.id).toBe(first.body.id);
    expect((await upload(clerk, PNG, 'foto.png')).body.contentType).toBe('image/png');
    expect((await upload(clerk, TIFF, 'faks.tif')).body.contentType).toBe('image/tiff');
    const got = await download(clerk, first.body.id);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await got.arrayBuffer()).equals(PDF)).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('accepts PBX call records as CSV, and only as text', async () => {
    const csv = Buffer.from('"","0812","126","from-pstn","Budi"" <0812>","SIP/a","","Dial","","2026-11-27 09:00:00","","2026-11-27 09:01:00",60,0,"NO ANSWER","DOCUMENTATION"\n');
    const ok = await upload(as(app, 'CLERK'), csv, 'Master.csv');
    expect(ok.status).toBe(201);
    expect(ok.body.contentType).toBe('text/csv');
    expect((await upload(as(app, 'CLERK'), Buffer.from([0x00, 0x01, 0x02, 0x03, 0x04]), 'Master.csv')).status).toBe(415);
  });

  it.each([
    ['a text file named .pdf', Buffer.from('bukan pdf, hanya teks'), 415, 'UNSUPPORTED_FILE_TYPE'],
    ['an empty file', Buffer.alloc(0), 400, 'EMPTY_FILE'],
    ['a file over the limit', Buffer.concat([PDF, Buffer.alloc(1024 * 1024 + 10, 0x20)]), 413, 'FILE_TOO_LARGE'],
  ])('refuses %s with a clear code and leaves nothing behind', async (_n, content, status, code) => {
    const r = await upload(as(app, 'CLERK'), content as Buffer);
    expect(r.status).toBe(status);
    expect(r.body.errors[0].extensions.code).toBe(code);
    expect(leftovers()).toEqual([]);
    const pg = new Client({ connectionString: dbUrl });
    await pg.connect();
    try {
      const hash = createHash('sha256').update(content as Buffer).digest('hex');
      expect((await pg.query('SELECT 1 FROM stored_files WHERE id = $1', [hash])).rowCount).toBe(0);
    } finally {
      await pg.end();
    }
  });

  it('refuses a request without the file field, without a token, and from a role that does not upload', async () => {
    expect((await upload(as(app, 'CLERK'), PDF, 'x.pdf', 'other')).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await upload(null, PDF)).status).toBe(401);
    expect((await upload(as(app, 'SUPERVISOR'), PDF)).status).toBe(403);
    // Handlers upload the letters their drafted answers carry.
    expect((await upload(as(app, 'HANDLER'), Buffer.concat([PDF, Buffer.from('konsep')]))).status).toBe(201);
    expect((await download({ url: app.url, token: 'lkt_not-a-token' }, 'x'.repeat(64))).status).toBe(401);
  });

  it('a file attached to a confidential complaint is for those who may see its identity', async () => {
    const file = (await upload(as(app, 'CLERK'), Buffer.concat([PDF, Buffer.from('lampiran')]))).body.id as string;
    const c = (await gqlOk(app.url, `mutation($i: LogPhoneCallInput!) { logPhoneCall(input: $i) { id } }`, { i: buildPhoneCall() })).logPhoneCall;
    const pg = new Client({ connectionString: dbUrl });
    await pg.connect();
    try {
      await pg.query(`INSERT INTO case_attachments (case_id, file_id, filename, source) VALUES ($1, $2, 'surat.pdf', 'TEST')`, [c.id, file]);
    } finally {
      await pg.end();
    }
    expect((await download(as(app, 'COMPLAINT_OFFICER'), file)).status).toBe(200);
    expect((await download(as(app, 'CLERK'), file)).status).toBe(403);
    expect((await download(as(app, 'HANDLER'), file)).status).toBe(403);
    expect((await download(as(app, 'COMPLAINT_OFFICER'), 'f'.repeat(64))).status).toBe(404);
  });
});
