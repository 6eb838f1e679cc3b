import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { gql, gqlOk, ManualClock, startTestApp } from '../../support/test-app';
import { buildPhoneCall, CASE_FIELDS } from '../../support/builders';
import { CDR, masterCsv } from '../../support/master-csv';
import { queryDb } from '../credentials/support';

const IMPORT = `mutation($fileId: ID!) { importCallRecords(fileId: $fileId) { imported duplicates skippedCount skipped { line reason } } }`;
const UNLOGGED = `query($from: DateTime!, $to: DateTime!) { unloggedCalls(from: $from, to: $to) {
  id uniqueId callerNumber callerName extension start answer end duration billsec disposition caseId } }`;
const LOG_PHONE = `mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { ${CASE_FIELDS} } }`;
const DAY = { from: '2026-03-16T00:00:00+07:00', to: '2026-03-17T00:00:00+07:00' };

/** A day of the PBX log: three complaint-line calls to follow up, one to another line, one failed, three bad lines. */
const FILE = masterCsv(CDR.answered, CDR.noAnswer, CDR.header, CDR.busyNoUniqueId, CDR.otherExtension, CDR.truncated, CDR.failed, CDR.badStart);

describe('PBX call records over GraphQL (real PostgreSQL)', () => {
  let app: LoketApp;
  let dbUrl: string;
  let drop: () => Promise<void>;
  const clock = new ManualClock(new Date('2026-03-17T03:00:00Z'));

  beforeAll(async () => {
    const db = await createTestDatabase('call_records');
    dbUrl = db.url;
    drop = db.drop;
    app = await startTestApp(db.url, clock);
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  async function upload(content: string | Buffer, type = 'text/csv'): Promise<string> {
    return (await app.services.files.put(Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), type)).id;
  }

  it('imports a Master.csv upload, skipping bad lines with their line number and reason', async () => {
    const fileId = await upload(FILE);
    const { importCallRecords: r } = await gqlOk(app.url, IMPORT, { fileId });
    expect(r).toMatchObject({ imported: 5, duplicates: 0, skippedCount: 3 });
    expect(r.skipped).toEqual([
      { line: 3, reason: 'expected 16 to 18 columns, found 4' },
      { line: 6, reason: 'broken quoting' },
      { line: 8, reason: 'start is not a time (YYYY-MM-DD HH:MM:SS)' },
    ]);
  });

  it('importing the same file again adds nothing; a grown file adds only its new lines', async () => {
    const again = await gqlOk(app.url, IMPORT, { fileId: await upload(FILE) });
    expect(again.importCallRecords).toMatchObject({ imported: 0, duplicates: 5, skippedCount: 3 });
    const [{ n }] = await queryDb<{ n: string }>(dbUrl, `SELECT count(*) AS n FROM call_records`);
    expect(Number(n)).toBe(5);
    const grownLine = CDR.otherExtension.replace('1773640800.22', '1773640900.23').replace(/2026-03-16 13:0/g, '2026-03-16 13:1');
    const grown = await gqlOk(app.url, IMPORT, { fileId: await upload(FILE + masterCsv(grownLine)) });
    expect(grown.importCallRecords).toMatchObject({ imported: 1, duplicates: 5, skippedCount: 3 });
  });

  it('counts a ring group call (legs sharing a uniqueid) once, and logging it takes every leg off', async () => {
    const leg = (channel: string, answer: string, billsec: number, disposition: string): string =>
      `"","081355556666","126","from-trunk","""081355556666"" <081355556666>","SIP/telkom-00000040","${channel}","Dial","SIP/126&SIP/127,30","2026-03-18 08:00:00","${answer}","2026-03-18 08:05:00",300,${billsec},"${disposition}","DOCUMENTATION","1773795600.40",""`;
    const fileId = await upload(masterCsv(leg('SIP/127-00000042', '', 0, 'NO ANSWER'), leg('SIP/126-00000041', '2026-03-18 08:00:06', 294, 'ANSWERED')));
    expect((await gqlOk(app.url, IMPORT, { fileId })).importCallRecords).toMatchObject({ imported: 2, duplicates: 0 });
    const window = { from: '2026-03-18T00:00:00+07:00', to: '2026-03-19T00:00:00+07:00' };
    const calls = (await gqlOk(app.url, UNLOGGED, window)).unloggedCalls;
    expect(calls.map((c: any) => c.disposition)).toEqual(['ANSWERED']);
    clock.set('2026-03-18T02:00:00Z');
    try {
      await gqlOk(app.url, LOG_PHONE, { input: { ...buildPhoneCall(), callRecordId: calls[0].id } });
    } finally {
      clock.set('2026-03-17T03:00:00Z');
    }
    expect((await gqlOk(app.url, UNLOGGED, window)).unloggedCalls).toEqual([]);
  });

  it('lists answered and missed calls to the complaint line (126) in the window only, oldest first', async () => {
    const { unloggedCalls: calls } = await gqlOk(app.url, UNLOGGED, DAY);
    expect(calls.map((c: any) => [c.disposition, c.extension, c.callerNumber, c.start])).toEqual([
      ['ANSWERED', '126', '+6281234567890', '2026-03-16T02:15:02.000Z'],
      ['NO ANSWER', '126', '+62561736000', '2026-03-16T03:01:00.000Z'],
      ['BUSY', '126', '+6285828735503', '2026-03-16T04:30:05.000Z'],
    ]);
    expect(calls[0]).toMatchObject({ callerName: 'Budi, Pontianak', uniqueId: '1773627302.18', answer: '2026-03-16T02:15:10.000Z', duration: 343, billsec: 335, caseId: null });
    // 10:00-11:00 WIB holds only the missed call.
    const narrow = await gqlOk(app.url, UNLOGGED, { from: '2026-03-16T10:00:00+07:00', to: '2026-03-16T11:00:00+07:00' });
    expect(narrow.unloggedCalls.map((c: any) => c.disposition)).toEqual(['NO ANSWER']);
    const otherDay = await gqlOk(app.url, UNLOGGED, { from: '2026-03-17T00:00:00+07:00', to: '2026-03-18T00:00:00+07:00' });
    expect(otherDay.unloggedCalls).toEqual([]);
  });

  it('logPhoneCall naming the call record takes its caller and time and takes it off the unlogged calls', async () => {
    const before = (await gqlOk(app.url, UNLOGGED, DAY)).unloggedCalls;
    const answered = before.find((c: any) => c.disposition === 'ANSWERED');
    const { callerNumber: _omit, ...input } = buildPhoneCall();
    void _omit;
    const { logPhoneCall: c } = await gqlOk(app.url, LOG_PHONE, { input: { ...input, callRecordId: answered.id } });
    expect(c).toMatchObject({ channel: 'PHONE', receivedAt: '2026-03-16T02:15:02.000Z', loggedAt: '2026-03-17T03:00:00.000Z' });
    expect(c.channelDetails).toEqual([{ name: 'callerNumber', value: '+6281234567890' }]);
    const after = (await gqlOk(app.url, UNLOGGED, DAY)).unloggedCalls;
    expect(after.map((x: any) => x.disposition)).toEqual(['NO ANSWER', 'BUSY']);
    const [row] = await queryDb<{ case_id: string }>(dbUrl, `SELECT case_id::text AS case_id FROM call_records WHERE id = $1`, [answered.id]);
    expect(row.case_id).toBe(c.id);

    // The same call cannot become a second case.
    const twice = await gql(app.url, LOG_PHONE, { input: { ...buildPhoneCall(), callRecordId: answered.id } });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'callRecordId' });
  });

  it('keeps what the clerk typed (caller number, time) over the call record, and replays by idempotency key', async () => {
    const missed = (await gqlOk(app.url, UNLOGGED, DAY)).unloggedCalls.find((c: any) => c.disposition === 'NO ANSWER');
    const input = buildPhoneCall({ callerNumber: '0812 1111 2222', receivedAt: '2026-03-16T10:30:00+07:00', idempotencyKey: `cb-${randomUUID()}`, callRecordId: missed.id });
    const first = (await gqlOk(app.url, LOG_PHONE, { input })).logPhoneCall;
    expect(first.receivedAt).toBe('2026-03-16T03:30:00.000Z');
    expect(first.channelDetails).toEqual([{ name: 'callerNumber', value: '0812 1111 2222' }]);
    const replay = (await gqlOk(app.url, LOG_PHONE, { input })).logPhoneCall;
    expect(replay.id).toBe(first.id);
    expect((await gqlOk(app.url, UNLOGGED, DAY)).unloggedCalls.map((x: any) => x.disposition)).toEqual(['BUSY']);
  });

  it('an unknown call record is BAD_USER_INPUT on callRecordId, and no case is created', async () => {
    const [{ n: before }] = await queryDb<{ n: string }>(dbUrl, `SELECT count(*) AS n FROM cases`);
    for (const callRecordId of [randomUUID(), 'not-an-id']) {
      const r = await gql(app.url, LOG_PHONE, { input: { ...buildPhoneCall(), callRecordId } });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'callRecordId' });
    }
    const [{ n: after }] = await queryDb<{ n: string }>(dbUrl, `SELECT count(*) AS n FROM cases`);
    expect(after).toBe(before);
  });

  it('logPhoneCall without a call record behaves as before', async () => {
    const { logPhoneCall: c } = await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall() });
    expect(c.receivedAt).toBe('2026-03-17T03:00:00.000Z');
    expect(c.channelDetails).toEqual([{ name: 'callerNumber', value: '0812-3456-7890' }]);
  });

  it('refuses a file that is not stored or not a CSV, and a window that is empty or backwards', async () => {
    const missing = await gql(app.url, IMPORT, { fileId: 'f'.repeat(64) });
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fileId' });
    const pdf = await gql(app.url, IMPORT, { fileId: await upload(Buffer.from('%PDF-1.4\n%%EOF\n'), 'application/pdf') });
    expect(pdf.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fileId' });
    const backwards = await gql(app.url, UNLOGGED, { from: DAY.to, to: DAY.from });
    expect(backwards.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });
});

/** `loket import-cdr FILE`, run as a real child process against the test database. */
describe('loket CLI import-cdr', () => {
  const CLI = path.resolve(__dirname, '../../../dist/src/cli.js');
  let dbUrl: string;
  let drop: () => Promise<void>;
  let dir: string;
  const dataKey = randomBytes(32).toString('base64');

  function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
    void _ignored;
    const env = { ...inherited, DATABASE_URL: dbUrl, LOKET_DATA_KEY: dataKey, LOKET_FILES_DIR: path.join(dir, 'files'), LOG_LEVEL: 'warn', NODE_ENV: 'development' };
    return new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], { env, timeout: 30_000, cwd: path.resolve(__dirname, '../../..') }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      });
    });
  }

  beforeAll(async () => {
    const db = await createTestDatabase('cdr_cli');
    dbUrl = db.url;
    drop = db.drop;
    dir = await mkdtemp(path.join(os.tmpdir(), 'loket-cdr-'));
  });
  afterAll(async () => {
    await drop?.();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints the counts and adds nothing the second time', async () => {
    const file = path.join(dir, 'Master.csv');
    await writeFile(file, masterCsv(CDR.answered, CDR.noAnswer, CDR.busyNoUniqueId, CDR.truncated));
    const first = await cli(['import-cdr', file]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('imported\t3\nduplicates\t0\nskipped\t1\nline 4\tbroken quoting\n');
    const second = await cli(['import-cdr', file]);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('imported\t0\nduplicates\t3\nskipped\t1\nline 4\tbroken quoting\n');
    const [{ n }] = await queryDb<{ n: string }>(dbUrl, `SELECT count(*) AS n FROM call_records`);
    expect(Number(n)).toBe(3);
  });

  it('fails with a usage message without a file', async () => {
    const r = await cli(['import-cdr']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('import-cdr needs the path of Master.csv');
  });
});
