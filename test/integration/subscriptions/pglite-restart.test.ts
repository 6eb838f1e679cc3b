import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Client as WsClient } from 'graphql-ws';
import { LoketApp, startLoket } from '../../../src/app';
import { collect, gqlOk, issueRoleTokens, testConfig, wsClient } from '../../support/test-app';
import { buildPhoneCall } from '../../support/builders';
import { ADD_NOTE, ASSIGN, CLASSIFY, LOG_PHONE, SUB_CASE_CREATED, SUB_CASE_EVENTS, subscribeLive, TIMELINE } from './helpers';

const sequenceOf = (reference: string): number => Number(/^[A-Z]{3}-\d{4}-(\d{6})$/.exec(reference)![1]);

describe('embedded PGlite: live subscriptions and data that survives a restart', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'loket-pglite-'));
  let app: LoketApp | undefined;
  let ws: WsClient | undefined;

  const start = async () => {
    const started = await startLoket(testConfig({ kind: 'pglite', dataDir }), { log: pino({ level: 'silent' }) });
    await issueRoleTokens(started);
    return started;
  };
  /** PGlite is a process-wide singleton: the previous app must be fully stopped first. */
  const stop = async () => {
    await ws?.dispose();
    ws = undefined;
    await app?.stop();
    app = undefined;
  };

  afterAll(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  let first: { id: string; reference: string };
  let timelineBefore: unknown[];

  it('logs a case and pushes caseCreated and caseEvents live (in-process LISTEN)', async () => {
    app = await start();
    ws = wsClient(app.url);
    const created = await subscribeLive(app, () => collect<any>(ws!, SUB_CASE_CREATED, { filter: { kind: ['COMPLAINT'] } }));
    try {
      first = (await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall() })).logPhoneCall;
      const [got] = await created.next(1, 30_000);
      expect(got.caseCreated).toMatchObject({ id: first.id, reference: first.reference, kind: 'COMPLAINT', channel: 'PHONE' });
    } finally {
      created.dispose();
    }

    const events = await subscribeLive(app, () => collect<any>(ws!, SUB_CASE_EVENTS, { caseId: first.id }));
    try {
      await gqlOk(app.url, CLASSIFY, { id: first.id, cls: 'NORMATIVE' });
      await gqlOk(app.url, ASSIGN, { id: first.id, who: 'tim-pengaduan-1' });
      await gqlOk(app.url, ADD_NOTE, { id: first.id, text: 'Dicatat sebelum restart' });
      const got = (await events.next(4, 30_000)).map((i) => i.caseEvents.type);
      expect(got).toEqual(['COMPLAINT_CLASSIFIED', 'ASSIGNED', 'STATUS_CHANGED', 'NOTE_ADDED']);
    } finally {
      events.dispose();
    }
    timelineBefore = (await gqlOk(app.url, TIMELINE, { id: first.id })).case.timeline.edges;
    expect(timelineBefore).toHaveLength(5);
  });

  it('after a restart on the same data directory, finds the case by reference with its timeline intact and continues the numbering', async () => {
    expect(first).toBeDefined();
    await stop();
    app = await start();
    ws = wsClient(app.url);

    const found = (await gqlOk(app.url, TIMELINE, { reference: first.reference })).case;
    expect(found).toMatchObject({ id: first.id, reference: first.reference, status: 'IN_PROGRESS' });
    expect(found.timeline.edges).toEqual(timelineBefore);
    expect(found.timeline.edges.map((e: any) => e.node.type)).toEqual(['CASE_CREATED', 'COMPLAINT_CLASSIFIED', 'ASSIGNED', 'STATUS_CHANGED', 'NOTE_ADDED']);

    // Live delivery works on the restarted engine too.
    const created = await subscribeLive(app, () => collect<any>(ws!, SUB_CASE_CREATED, {}));
    try {
      const second = (await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall() })).logPhoneCall;
      expect(second.reference.slice(0, 9)).toBe(first.reference.slice(0, 9));
      expect(sequenceOf(second.reference)).toBe(sequenceOf(first.reference) + 1);
      const [got] = await created.next(1, 30_000);
      expect(got.caseCreated).toMatchObject({ id: second.id, reference: second.reference });
    } finally {
      created.dispose();
    }
  });
});
