import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client as WsClient } from 'graphql-ws';
import { createTestDatabase } from '../../support/database';
import { collect, gqlOk, setDefaultToken, wsClient } from '../../support/test-app';
import { buildFax, buildPhoneCall } from '../../support/builders';
import { ADD_NOTE, ASSIGN, CLASSIFY, LOG_FAX, LOG_PHONE, SUB_CASE_CREATED, SUB_CASE_EVENTS, TIMELINE, waitFor } from './helpers';

const BOOTSTRAP_TOKEN = `boot-${randomBytes(24).toString('hex')}`;
const DATA_KEY = randomBytes(32).toString('base64');
const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'dist/src/main.js');

interface Instance {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts `node dist/src/main.js` on a free port and resolves with its URL once it says it is ready. */
function startInstance(databaseUrl: string, name: string): Promise<Instance> {
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', NODE_ENV: 'test', NODE_OPTIONS: '',
      LOKET_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN, LOKET_DATA_KEY: DATA_KEY,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const output = () => `--- ${name} output ---\n${out}`;
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not get ready\n${output()}`)), 45_000);
    child.stdout!.on('data', (d: string) => {
      out += d;
      const m = /Loket is ready at (http:\/\/\S+\/graphql)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready\n${output()}`));
    });
  });
}

async function stopInstance(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(force);
}

describe('two server processes on one PostgreSQL database', () => {
  let drop: (() => Promise<void>) | undefined;
  let a: Instance | undefined;
  let b: Instance | undefined;
  const started: ChildProcess[] = [];
  let wsB: WsClient | undefined;

  beforeAll(async () => {
    if (!existsSync(MAIN)) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    const db = await createTestDatabase('sub_two_instances');
    drop = db.drop;
    const starting = [startInstance(db.url, 'instance A'), startInstance(db.url, 'instance B')];
    // Keep hold of both children even if one fails, so afterAll can stop them.
    const results = await Promise.allSettled(starting);
    for (const r of results) if (r.status === 'fulfilled') started.push(r.value.child);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
    [a, b] = results.map((r) => (r as PromiseFulfilledResult<Instance>).value);
    expect(a.url).not.toBe(b.url);
    // Both instances share the bootstrap admin; it issues the officer token the test works with.
    const created = await gqlOk({ url: a.url, token: BOOTSTRAP_TOKEN }, `mutation { createApiToken(input: { name: "officer", role: COMPLAINT_OFFICER }) { token } }`);
    setDefaultToken(a.url, created.createApiToken.token);
    setDefaultToken(b.url, created.createApiToken.token);
    // Teams are data: the admin creates the team the workflow test assigns to.
    await gqlOk({ url: a.url, token: BOOTSTRAP_TOKEN }, `mutation { createTeam(code: "tim-pengaduan-3", name: "Tim Pengaduan 3") { code } }`);
    wsB = wsClient(b.url);
  }, 120_000);

  afterAll(async () => {
    await wsB?.dispose();
    await Promise.all(started.map((c) => stopInstance(c)));
    await drop?.();
  }, 60_000);

  /**
   * Instance B is another process: there is no hook telling when a subscription is live there.
   * Probe until a change made on A arrives on B (each probe is waited for generously), then
   * the subscription is known to be live.
   */
  async function untilLive(probe: () => Promise<void>, arrived: () => boolean): Promise<void> {
    for (let attempt = 0; attempt < 20 && !arrived(); attempt++) {
      await probe();
      await waitFor(arrived, 'a probe', 1_500).catch(() => undefined);
    }
    if (!arrived()) throw new Error(`no change made on instance A ever reached a subscriber on instance B\n${a!.output()}\n${b!.output()}`);
  }

  it('a subscriber on instance B receives a case logged on instance A', async () => {
    const sub = collect<any>(wsB!, SUB_CASE_CREATED, {});
    try {
      const probes: string[] = [];
      await untilLive(
        async () => void probes.push((await gqlOk(a!.url, LOG_PHONE, { input: buildPhoneCall() })).logPhoneCall.id),
        () => sub.items.some((i) => probes.includes(i.caseCreated.id)),
      );
      const fax = (await gqlOk(a!.url, LOG_FAX, { input: buildFax({ kind: 'INFORMATION_REQUEST' }) })).logFax;
      await waitFor(() => sub.errors.length > 0 || sub.items.some((i) => i.caseCreated.id === fax.id), 'the fax logged on A to arrive on B');
      expect(sub.errors).toEqual([]);
      const got = sub.items.filter((i) => !probes.includes(i.caseCreated.id)).map((i) => i.caseCreated);
      expect(got).toEqual([{ id: fax.id, reference: fax.reference, kind: 'INFORMATION_REQUEST', channel: 'FAX', subject: fax.subject, status: fax.status }]);
      expect(fax.reference).toMatch(/^PDI-\d{4}-\d{6}$/);
    } finally {
      sub.dispose();
    }
  });

  it('a subscriber on instance B receives the events of workflow mutations made on instance A, in order', async () => {
    const c = (await gqlOk(a!.url, LOG_PHONE, { input: buildPhoneCall() })).logPhoneCall;
    const sub = collect<any>(wsB!, SUB_CASE_EVENTS, { caseId: c.id });
    try {
      const probeText = `probe ${randomUUID()}`;
      await untilLive(
        async () => void (await gqlOk(a!.url, ADD_NOTE, { id: c.id, text: probeText })),
        () => sub.items.some((i) => i.caseEvents.text === probeText),
      );
      await gqlOk(a!.url, CLASSIFY, { id: c.id, cls: 'NON_SUPERVISORY' });
      await gqlOk(a!.url, ASSIGN, { id: c.id, who: 'tim-pengaduan-3' });
      await gqlOk(a!.url, ADD_NOTE, { id: c.id, text: 'selesai di A' });
      await waitFor(() => sub.errors.length > 0 || sub.items.some((i) => i.caseEvents.text === 'selesai di A'), 'the last event made on A to arrive on B');
      expect(sub.errors).toEqual([]);

      const got = sub.items.map((i) => i.caseEvents).filter((e) => e.text !== probeText && e.type !== 'CASE_CREATED');
      // A live subscription opened right after intake may or may not still see CASE_CREATED; never twice.
      expect(sub.items.filter((i) => i.caseEvents.type === 'CASE_CREATED').length).toBeLessThanOrEqual(1);
      expect(got.map((e) => e.type)).toEqual(['COMPLAINT_CLASSIFIED', 'ASSIGNED', 'STATUS_CHANGED', 'NOTE_ADDED']);
      expect(got.every((e) => e.caseId === c.id)).toBe(true);
      // B reads the same database: the events it pushed are the ones stored, exactly once each.
      const stored = (await gqlOk(b!.url, TIMELINE, { id: c.id })).case.timeline.edges.map((e: any) => e.node);
      const storedIds = stored.filter((e: any) => e.text !== probeText && e.type !== 'CASE_CREATED').map((e: any) => e.id);
      expect(got.map((e) => e.id)).toEqual(storedIds);
      const allIds = sub.items.map((i) => i.caseEvents.id);
      expect(new Set(allIds).size).toBe(allIds.length);
    } finally {
      sub.dispose();
    }
  });
});
