import { Writable } from 'node:stream';
import pino from 'pino';
import { LoketApp, startLoket } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { gql, gqlOk, issueRoleTokens, testConfig } from '../../support/test-app';
import { buildPhoneCall, buildRequester, buildWalkIn } from '../../support/builders';

const NIK = '6171014505900002';
const PHONE_DIGITS = '81234567890';
const EMAIL = 'siti.rahasia@example.id';
const ADDRESS = 'Jl. Rahasia No. 77';

describe('errors and logs', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  let dbUrl: string;
  const lines: string[] = [];

  beforeAll(async () => {
    const db = await createTestDatabase('errors');
    drop = db.drop;
    dbUrl = db.url;
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        cb();
      },
    });
    app = await startLoket(testConfig({ kind: 'postgres', url: db.url, poolSize: 4 }, { logLevel: 'debug' }), { log: pino({ level: 'debug' }, sink) });
    await issueRoleTokens(app);
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  it('a full run of intake, workflow and refused input leaves no personal data in the logs', async () => {
    const requester = buildRequester({ nik: NIK, phone: `0${PHONE_DIGITS}`, email: EMAIL, address: ADDRESS });
    const c = (await gqlOk(app.url, `mutation($i: LogPhoneCallInput!) { logPhoneCall(input: $i) { id } }`, {
      i: buildPhoneCall({ requester, callerNumber: `0${PHONE_DIGITS}` }),
    })).logPhoneCall;
    await gqlOk(app.url, `mutation($i: LogWalkInInput!) { logWalkIn(input: $i) { id } }`, { i: buildWalkIn({ requester }) });
    await gql(app.url, `mutation($i: LogPhoneCallInput!) { logPhoneCall(input: $i) { id } }`, {
      i: buildPhoneCall({ requester: { ...requester, nik: `${NIK}9` } }),
    });
    await gqlOk(app.url, `mutation($id: ID!) { addNote(caseId: $id, text: "Dihubungi kembali") { id } }`, { id: c.id });
    await gqlOk(app.url, `query { cases(filter: { text: "bantuan" }) { totalCount } }`);
    expect(lines.some((l) => l.includes('"msg":"intake"'))).toBe(true);
    const all = lines.join('\n');
    for (const secret of [NIK, PHONE_DIGITS, EMAIL, ADDRESS, 'Siti Aminah']) expect(all).not.toContain(secret);
  });

  it('file ids stay out of the logs: upload, download and call-record import', async () => {
    const base = app.url.replace(/\/graphql$/, '');
    const csv = Buffer.from(`"","0812","126","from-pstn","Budi <0812>","SIP/a","","Dial","","2026-11-27 09:00:00","","2026-11-27 09:01:00",60,0,"NO ANSWER","DOCUMENTATION"\n`);
    const form = new FormData();
    form.append('file', new Blob([csv]), 'Master.csv');
    const officer = { authorization: `Bearer ${(await app.services.access.createToken(null, { name: 'petugas log', role: 'COMPLAINT_OFFICER', scopes: [], team: null })).token}` };
    const up = await fetch(`${base}/files`, { method: 'POST', body: form, headers: officer });
    expect(up.status).toBe(201);
    const { id } = (await up.json()) as { id: string };
    expect((await fetch(`${base}/files/${id}`, { headers: officer })).status).toBe(200);
    await gqlOk(app.url, `mutation($f: ID!) { importCallRecords(fileId: $f) { imported } }`, { f: id });
    expect(lines.some((l) => l.includes('call records imported'))).toBe(true);
    expect(lines.some((l) => l.includes('/files/'))).toBe(true);
    expect(lines.join('\n')).not.toContain(id);
  });

  it('every response carries a request id, taken from the caller when well formed', async () => {
    const res = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'desk-7.call-42' },
      body: JSON.stringify({ query: '{ workingCalendar { timeZone } }' }),
    });
    expect(res.headers.get('x-request-id')).toBe('desk-7.call-42');
    const bad = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'no spaces <allowed>' },
      body: JSON.stringify({ query: '{ workingCalendar { timeZone } }' }),
    });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('health and readiness', async () => {
    const base = app.url.replace(/\/graphql$/, '');
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: true, migrations: true, events: true } });
  });

  it('an unexpected failure is INTERNAL_SERVER_ERROR with a correlation id found in the log, no stack, no detail', async () => {
    const { Client } = await import('pg');
    const admin = new Client({ connectionString: dbUrl });
    await admin.connect();
    await admin.query('ALTER TABLE cases RENAME TO cases_gone');
    try {
      const r = await gql(app.url, `{ cases { totalCount } }`);
      const e = r.errors![0];
      expect(e.message).toBe('Terjadi kesalahan internal');
      expect(e.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      const correlationId = e.extensions?.correlationId as string;
      expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.stringify(r)).not.toMatch(/cases_gone|does not exist|stacktrace|\s+at\s/);
      const logged = lines.map((l) => JSON.parse(l)).find((l) => l.requestId === correlationId && l.msg === 'unexpected error');
      expect(logged?.err?.message).toMatch(/relation "cases" does not exist/);
      const base = app.url.replace(/\/graphql$/, '');
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200); // the database still answers; only this table is gone
    } finally {
      await admin.query('ALTER TABLE cases_gone RENAME TO cases');
      await admin.end();
    }
  });
});
