import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile, appendFile, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LoketApp } from '../../../src/app';
import { DropFolderWatcher, DropScanReport } from '../../../src/adapters/drop-folder/drop-folder.adapter';
import { createTestDatabase } from '../../support/database';
import { as, gql, gqlOk, ManualClock, startTestApp } from '../../support/test-app';
import { ModuleContext } from '../../../src/modules/channel-module';
import { loadConfig } from '../../../src/config';
import { dropFolderModule } from '../../../src/adapters/drop-folder';
import { configureChannels } from '../../../src/modules/channels';
import { buildComplaintBoxEntry, buildFax, CASE_FIELDS } from '../../support/builders';
import { samplePdf, samplePng, sampleTiff } from '../../support/sample-files';

const SCANS = `{ unregisteredScans { id fileId filename contentType size arrivedAt status } }`;
const FAXES = `{ unregisteredFaxes { id fileId filename contentType senderNumber faxReceivedAt status } }`;
const REGISTER = `mutation($id: ID!, $input: ComplaintBoxEntryInput!) { registerScan(scanId: $id, input: $input) { ${CASE_FIELDS} } }`;
const DISCARD = `mutation($id: ID!, $reason: String!) { discardScan(scanId: $id, reason: $reason) { id status discardReason caseId } }`;
const LOG_FAX = `mutation($input: LogFaxInput!) { logFax(input: $input) { ${CASE_FIELDS} } }`;

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Two passes: the first sees new files, the second takes those whose size stayed the same. */
async function settle(w: DropFolderWatcher): Promise<DropScanReport> {
  const a = await w.scanNow();
  const b = await w.scanNow();
  return { recorded: [...a.recorded, ...b.recorded], duplicates: [...a.duplicates, ...b.duplicates], rejected: [...a.rejected, ...b.rejected], waiting: b.waiting };
}

describe('scanner and fax drop folders (real PostgreSQL, real folders)', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  let scanDir: string;
  let faxDir: string;
  let scans: DropFolderWatcher;
  let faxes: DropFolderWatcher;
  // Tue 2026-12-01 10:00 WIB: after every file time in these tests.
  const clock = new ManualClock(new Date('2026-12-01T03:00:00Z'));

  beforeAll(async () => {
    const db = await createTestDatabase('drop_folders');
    drop = db.drop;
    scanDir = await mkdtemp(path.join(os.tmpdir(), 'loket-scan-'));
    faxDir = await mkdtemp(path.join(os.tmpdir(), 'loket-fax-'));
    // A long poll: the tests drive the passes with scanNow().
    app = await startTestApp(db.url, clock, { channels: configureChannels({ LOKET_SCAN_INBOX: scanDir, LOKET_FAX_INBOX: faxDir, LOKET_DROP_POLL_SECONDS: '3600' }) });
    scans = app.dropFolders.scan as DropFolderWatcher;
    faxes = app.dropFolders.fax as DropFolderWatcher;
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
    await rm(scanDir, { recursive: true, force: true });
    await rm(faxDir, { recursive: true, force: true });
  });

  const waitingScans = async (): Promise<any[]> => (await gqlOk(as(app, 'CLERK'), SCANS)).unregisteredScans;
  const waitingFaxes = async (): Promise<any[]> => (await gqlOk(as(app, 'CLERK'), FAXES)).unregisteredFaxes;
  const attachments = (caseId: string): Promise<{ file_id: string; filename: string; source: string }[]> =>
    app.db.dataSource.query(`SELECT file_id, filename, source FROM case_attachments WHERE case_id = $1`, [caseId]);

  it('watches a folder only when it is configured (LOKET_SCAN_INBOX, LOKET_FAX_INBOX)', async () => {
    expect(scans).toBeInstanceOf(DropFolderWatcher);
    expect(faxes).toBeInstanceOf(DropFolderWatcher);
    const env = { LOKET_DATA_KEY: Buffer.alloc(32, 1).toString('base64') };
    const dropSettings = (e: NodeJS.ProcessEnv) => loadConfig(e).channels.find((m) => m.name === 'drop-folders')?.settings;
    expect(dropSettings(env)).toMatchObject({ scanInbox: null, faxInbox: null, pollSeconds: 5 });
    expect(dropSettings({ ...env, LOKET_SCAN_INBOX: scanDir, LOKET_DROP_POLL_SECONDS: '2' })).toMatchObject({ scanInbox: scanDir, faxInbox: null, pollSeconds: 2 });
    const context = { files: app.services.files, clock, log: app.log, limits: { uploadMaxBytes: 1024 } } as unknown as ModuleContext;
    const off = await dropFolderModule.start(dropFolderModule.settings({}), context);
    expect([off.provides?.dropFolders?.scan, off.provides?.dropFolders?.fax]).toEqual([null, null]);
    await off.stop();
  });

  it('turns a dropped PDF into a waiting scan, moved to processed/ only after it was recorded', async () => {
    const pdf = samplePdf('Lembar pengaduan 1');
    await writeFile(path.join(scanDir, 'SCAN0001.pdf'), pdf);
    const report = await settle(scans);
    expect(report.recorded).toEqual(['SCAN0001.pdf']);
    const list = await waitingScans();
    expect(list).toEqual([expect.objectContaining({ fileId: sha(pdf), filename: 'SCAN0001.pdf', contentType: 'application/pdf', size: pdf.length, status: 'UNREGISTERED' })]);
    expect(await readdir(scanDir)).not.toContain('SCAN0001.pdf');
    expect((await readFile(path.join(scanDir, 'processed', 'SCAN0001.pdf'))).equals(pdf)).toBe(true);
    expect((await app.services.files.get(sha(pdf)))!.equals(pdf)).toBe(true);
  });

  it('waits for a file that is still being written', async () => {
    const png = samplePng(7);
    await writeFile(path.join(scanDir, 'foto.png'), png.subarray(0, 10));
    expect((await scans.scanNow()).waiting).toEqual(['foto.png']);
    await appendFile(path.join(scanDir, 'foto.png'), png.subarray(10));
    const grown = await scans.scanNow();
    expect(grown.waiting).toEqual(['foto.png']);
    expect(grown.recorded).toEqual([]);
    expect((await scans.scanNow()).recorded).toEqual(['foto.png']);
    expect((await waitingScans()).find((s) => s.filename === 'foto.png')).toMatchObject({ fileId: sha(png), contentType: 'image/png' });
  });

  it('rejects a file that is not a PDF or image by its bytes (whatever its name) with a reason', async () => {
    await writeFile(path.join(scanDir, 'catatan.pdf'), 'ini bukan PDF, hanya teks\n');
    await writeFile(path.join(scanDir, 'kosong.jpg'), '');
    const report = await settle(scans);
    expect(report.rejected.sort()).toEqual(['catatan.pdf', 'kosong.jpg']);
    const rejected = await readdir(path.join(scanDir, 'rejected'));
    expect(rejected).toEqual(expect.arrayContaining(['catatan.pdf', 'catatan.pdf.reason.txt', 'kosong.jpg', 'kosong.jpg.reason.txt']));
    expect(await readFile(path.join(scanDir, 'rejected', 'catatan.pdf.reason.txt'), 'utf8')).toMatch(/PDF, JPEG, PNG, TIFF/);
    expect((await waitingScans()).map((s) => s.filename)).not.toContain('catatan.pdf');
  });

  it('never makes a duplicate: the same bytes dropped again, or a file left behind by a crash between commit and move', async () => {
    const before = (await waitingScans()).length;
    const pdf = samplePdf('Lembar pengaduan 1');
    await writeFile(path.join(scanDir, 'SCAN0001-lagi.pdf'), pdf);
    // The crash: recorded and committed, but the file is still in the folder.
    await copyFile(path.join(scanDir, 'processed', 'SCAN0001.pdf'), path.join(scanDir, 'SCAN0001.pdf'));
    const report = await settle(scans);
    expect(report.duplicates.sort()).toEqual(['SCAN0001-lagi.pdf', 'SCAN0001.pdf']);
    expect(report.recorded).toEqual([]);
    expect(await waitingScans()).toHaveLength(before);
    const [{ n }] = await app.db.dataSource.query(`SELECT count(*)::int AS n FROM drop_items WHERE file_id = $1`, [sha(pdf)]);
    expect(n).toBe(1);
    // Both left the inbox; the earlier processed copy is not overwritten.
    expect((await readdir(scanDir)).filter((f) => f.endsWith('.pdf'))).toEqual([]);
    expect((await readdir(path.join(scanDir, 'processed'))).filter((f) => f.includes('SCAN0001.pdf'))).toHaveLength(2);
  });

  it('registerScan makes a complaint-box case with the scan attached, received when the scan arrived; twice is refused', async () => {
    const scan = (await waitingScans()).find((s) => s.filename === 'SCAN0001.pdf')!;
    const { registerScan: c } = await gqlOk(as(app, 'CLERK'), REGISTER, { id: scan.id, input: buildComplaintBoxEntry({ confidential: false }) });
    expect(c).toMatchObject({ kind: 'COMPLAINT', channel: 'COMPLAINT_BOX', status: 'RECEIVED', receivedAt: scan.arrivedAt });
    expect(c.reference).toMatch(/^ADU-2026-\d{6}$/);
    expect(await attachments(c.id)).toEqual([{ file_id: scan.fileId, filename: 'SCAN0001.pdf', source: 'SCAN' }]);
    expect((await waitingScans()).map((s) => s.id)).not.toContain(scan.id);

    const again = await gql(as(app, 'CLERK'), REGISTER, { id: scan.id, input: buildComplaintBoxEntry() });
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scanId' });
    const unknown = await gql(as(app, 'CLERK'), REGISTER, { id: '00000000-0000-4000-8000-000000000000', input: buildComplaintBoxEntry() });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scanId' });
    // A handler is not a desk role.
    expect((await gql(as(app, 'HANDLER'), SCANS)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('registerScan retried with its idempotency key answers the same case; another key is refused', async () => {
    await writeFile(path.join(scanDir, 'ulang.pdf'), samplePdf('Pengaduan diulang'));
    await settle(scans);
    const scan = (await waitingScans()).find((s) => s.filename === 'ulang.pdf')!;
    const input = { ...buildComplaintBoxEntry(), idempotencyKey: `scan-${scan.id}` };
    const first = (await gqlOk(as(app, 'CLERK'), REGISTER, { id: scan.id, input })).registerScan;
    const again = (await gqlOk(as(app, 'CLERK'), REGISTER, { id: scan.id, input })).registerScan;
    expect(again.id).toBe(first.id);
    const other = await gql(as(app, 'CLERK'), REGISTER, { id: scan.id, input: { ...input, idempotencyKey: 'lain' } });
    expect(other.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scanId' });
  });

  it('discardScan sets a scan aside with its reason; an empty reason or a second discard is refused', async () => {
    const scan = (await waitingScans()).find((s) => s.filename === 'foto.png')!;
    const empty = await gql(as(app, 'CLERK'), DISCARD, { id: scan.id, reason: '  ' });
    expect(empty.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const { discardScan: d } = await gqlOk(as(app, 'COMPLAINT_OFFICER'), DISCARD, { id: scan.id, reason: 'Lembar kosong' });
    expect(d).toEqual({ id: scan.id, status: 'DISCARDED', discardReason: 'Lembar kosong', caseId: null });
    expect((await waitingScans()).map((s) => s.id)).not.toContain(scan.id);
    expect((await gql(as(app, 'CLERK'), DISCARD, { id: scan.id, reason: 'lagi' })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await gql(as(app, 'CLERK'), REGISTER, { id: scan.id, input: buildComplaintBoxEntry() })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('reads the sender and time of faxes from both naming schemes and from HylaFAX sidecars', async () => {
    await writeFile(path.join(faxDir, '20261127T091500_0561730062.pdf'), samplePdf('Faks 1'));
    await writeFile(path.join(faxDir, '2026-11-27_10-30-00_0564210170.pdf'), samplePdf('Faks 2'));
    await writeFile(path.join(faxDir, 'fax000000123.tif'), sampleTiff(0x11));
    await writeFile(path.join(faxDir, 'fax000000123.tif.info'), 'Pages: 1\nSender: +62561730062\nReceived: 2026:11:27 08:05:00\n');
    await writeFile(path.join(faxDir, 'fax000000124.tif'), sampleTiff(0x22));
    await writeFile(path.join(faxDir, 'fax000000124.txt'), 'Sender: PEMKAB SAMBAS\nCallerID: 0562 391234\nTime: 2026-11-27 11:00:00\n');
    // A PNG is a scan, not a fax.
    await writeFile(path.join(faxDir, 'foto.png'), samplePng(1));
    const report = await settle(faxes);
    expect(report.recorded.sort()).toEqual(['2026-11-27_10-30-00_0564210170.pdf', '20261127T091500_0561730062.pdf', 'fax000000123.tif', 'fax000000124.tif']);
    expect(report.rejected).toEqual(['foto.png']);
    const list = await waitingFaxes();
    const by = (name: string) => list.find((f) => f.filename === name);
    expect(by('20261127T091500_0561730062.pdf')).toMatchObject({ senderNumber: '0561730062', faxReceivedAt: '2026-11-27T02:15:00.000Z', contentType: 'application/pdf' });
    expect(by('2026-11-27_10-30-00_0564210170.pdf')).toMatchObject({ senderNumber: '0564210170', faxReceivedAt: '2026-11-27T03:30:00.000Z' });
    expect(by('fax000000123.tif')).toMatchObject({ senderNumber: '+62561730062', faxReceivedAt: '2026-11-27T01:05:00.000Z', contentType: 'image/tiff' });
    expect(by('fax000000124.tif')).toMatchObject({ senderNumber: '0562391234', faxReceivedAt: '2026-11-27T04:00:00.000Z' });
    // Sidecars travel with their fax.
    expect(await readdir(path.join(faxDir, 'processed'))).toEqual(expect.arrayContaining(['fax000000123.tif', 'fax000000123.tif.info', 'fax000000124.txt']));
    expect((await readdir(faxDir)).sort()).toEqual(['processed', 'rejected']);
    // Oldest (by arrival) first.
    const arrived = list.map((f) => f.arrivedAt ?? '');
    expect([...arrived].sort()).toEqual(arrived);
  });

  it('logFax with faxFileId attaches the fax and takes its number and time; an explicit number wins', async () => {
    const list = await waitingFaxes();
    const f1 = list.find((f) => f.filename === '20261127T091500_0561730062.pdf')!;
    // The complaint officer: a fax number is identity, hidden from clerks on confidential complaints.
    const { logFax: c } = await gqlOk(as(app, 'COMPLAINT_OFFICER'), LOG_FAX, { input: { ...buildFax({ faxNumber: undefined }), faxFileId: f1.id } });
    expect(c).toMatchObject({ channel: 'FAX', receivedAt: '2026-11-27T02:15:00.000Z' });
    expect(c.channelDetails).toEqual([{ name: 'faxNumber', value: '0561730062' }]);
    expect(await attachments(c.id)).toEqual([{ file_id: f1.fileId, filename: f1.filename, source: 'FAX' }]);

    const f2 = list.find((f) => f.filename === 'fax000000123.tif')!;
    const { logFax: c2 } = await gqlOk(as(app, 'COMPLAINT_OFFICER'), LOG_FAX, {
      input: { ...buildFax({ faxNumber: '(0561) 111222', receivedAt: '2026-11-27T08:10:00+07:00' }), faxFileId: f2.id },
    });
    expect(c2.channelDetails).toEqual([{ name: 'faxNumber', value: '(0561) 111222' }]);
    expect(c2.receivedAt).toBe('2026-11-27T01:10:00.000Z');
    expect((await waitingFaxes()).map((f) => f.id)).not.toContain(f1.id);
    expect((await waitingFaxes()).map((f) => f.id)).not.toContain(f2.id);

    // Without faxFileId, logFax is what it always was.
    const { logFax: plain } = await gqlOk(as(app, 'CLERK'), LOG_FAX, { input: buildFax() });
    expect(plain.receivedAt).toBe('2026-12-01T03:00:00.000Z');
    expect(await attachments(plain.id)).toEqual([]);
  });

  it('a HylaFAX fax waits for its sidecar for a while, then is taken with or without it', async () => {
    await writeFile(path.join(faxDir, 'fax000000300.tif'), sampleTiff(0x33));
    const first = await settle(faxes);
    expect(first.waiting).toContain('fax000000300.tif');
    expect(first.recorded).not.toContain('fax000000300.tif');
    await writeFile(path.join(faxDir, 'fax000000300.tif.info'), 'Sender: +62561777888\nReceived: 2026:11:27 13:00:00\n');
    expect((await settle(faxes)).recorded).toContain('fax000000300.tif');
    expect((await waitingFaxes()).find((f) => f.filename === 'fax000000300.tif')).toMatchObject({ senderNumber: '+62561777888' });

    // Past the grace period an orphan is taken anyway, without sender or time.
    await writeFile(path.join(faxDir, 'fax000000301.tif'), sampleTiff(0x34));
    const old = new Date(Date.now() - 120_000);
    await utimes(path.join(faxDir, 'fax000000301.tif'), old, old);
    expect((await settle(faxes)).recorded).toContain('fax000000301.tif');
  });

  it('refuses an unknown, already used or non-fax faxFileId with BAD_USER_INPUT on faxFileId, creating nothing', async () => {
    const used = (await app.db.dataSource.query(`SELECT id::text AS id FROM drop_items WHERE kind = 'FAX' AND status = 'REGISTERED' LIMIT 1`))[0].id;
    const scan = (await app.db.dataSource.query(`SELECT id::text AS id FROM drop_items WHERE kind = 'SCAN' LIMIT 1`))[0].id;
    const [{ n: before }] = await app.db.dataSource.query(`SELECT count(*)::int AS n FROM cases`);
    for (const faxFileId of [used, scan, '00000000-0000-4000-8000-000000000000', 'bukan-id']) {
      const r = await gql(as(app, 'CLERK'), LOG_FAX, { input: { ...buildFax(), faxFileId } });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'faxFileId' });
    }
    const [{ n: after }] = await app.db.dataSource.query(`SELECT count(*)::int AS n FROM cases`);
    expect(after).toBe(before);
  });
});
