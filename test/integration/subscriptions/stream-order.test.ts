import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Client as WsClient } from 'graphql-ws';
import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { collect, gqlOk, startTestApp, wsClient } from '../../support/test-app';
import { buildPhoneCall } from '../../support/builders';
import { ADD_NOTE, LOG_PHONE, SUB_CASE_EVENTS, subscribeLive, waitFor, waitForNoSubscribers } from './helpers';

type Event = { id: string; cursor: string; caseId: string; type: string; text: string | null };

/**
 * The live stream and the replay cursor agree: events reach subscribers in id (cursor) order
 * even when a lower id commits after a higher one, and a failed load is retried, not dropped.
 */
describe('caseEvents order and delivery (real PostgreSQL)', () => {
  let app: LoketApp;
  let url: string;
  let drop: () => Promise<void>;
  let ws: WsClient;

  beforeAll(async () => {
    const db = await createTestDatabase('stream_order');
    drop = db.drop;
    url = db.url;
    app = await startTestApp(db.url);
    ws = wsClient(app.url);
  });
  afterAll(async () => {
    await ws?.dispose();
    await app?.stop();
    await drop?.();
  });
  afterEach(async () => {
    await waitForNoSubscribers(app);
  });

  const events = (after?: string) => subscribeLive(app, () => collect<{ caseEvents: Event }>(ws, SUB_CASE_EVENTS, after === undefined ? {} : { after }));
  /** The notes received (a subscription opened right after a case was logged may still get its CASE_CREATED). */
  const received = (sub: { items: { caseEvents: Event }[] }) => sub.items.map((i) => i.caseEvents).filter((e) => e.type === 'NOTE_ADDED');

  it('a lower event id that commits after a higher one is still delivered before it, so the cursor never passes it', async () => {
    const c = (await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall() })).logPhoneCall;
    const sub = await events();
    // A writer that draws its event id and commits late (as a slow transaction would), written
    // the way the repository writes a change: event, outbox row and notification.
    const slow = new Client({ connectionString: url });
    await slow.connect();
    try {
      await slow.query('BEGIN');
      const [{ id: lateId }] = (
        await slow.query(
          `INSERT INTO case_events (case_id, type, actor_id, actor_kind, at, text) VALUES ($1, 'NOTE_ADDED', 'test', 'SYSTEM', now(), 'late note') RETURNING id::text AS id`,
          [c.id],
        )
      ).rows;
      const [{ id: outboxId }] = (
        await slow.query(`INSERT INTO outbox (topic, case_id, payload) VALUES ('case.changed', $1, $2::jsonb) RETURNING id::text AS id`, [
          c.id,
          JSON.stringify({ caseId: c.id, eventIds: [lateId], created: false }),
        ])
      ).rows;
      await slow.query(`SELECT pg_notify('loket_outbox', $1)`, [JSON.stringify({ outboxId, caseId: c.id, eventIds: [lateId], created: false })]);

      // A higher id commits first.
      await gqlOk(app.url, ADD_NOTE, { id: c.id, text: 'early note' });
      await slow.query('COMMIT');
      await waitFor(() => received(sub).length >= 2, 'both notes');
      const got = received(sub);
      expect(got.map((e) => e.text)).toEqual(['late note', 'early note']);
      expect(BigInt(got[0].id) < BigInt(got[1].id)).toBe(true);

      // A client resuming from the last cursor it got misses nothing either: there is nothing left.
      const resumed = await events(got[1].cursor);
      const text = `sentinel ${randomUUID()}`;
      await gqlOk(app.url, ADD_NOTE, { id: c.id, text });
      await waitFor(() => received(resumed).some((e) => e.text === text), 'the sentinel');
      expect(received(resumed).map((e) => e.text)).toEqual([text]);
      resumed.dispose();
    } finally {
      await slow.query('ROLLBACK').catch(() => undefined);
      await slow.end();
      sub.dispose();
    }
  });

  it('a change whose loading fails is delivered on a retry, not dropped', async () => {
    const c = (await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall() })).logPhoneCall;
    const sub = await events();
    // Fault injection, in-process only: the next load of a change fails once (the database
    // went away for a moment), whichever way the bus loads it.
    const repo = (app.services.stream as any).cases as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const originals = { loadChange: repo.loadChange, changesBetween: repo.changesBetween };
    let failed = 0;
    for (const name of Object.keys(originals) as (keyof typeof originals)[]) {
      const original = originals[name];
      if (!original) continue;
      repo[name] = async (...a: unknown[]) => {
        if (failed === 0) {
          failed++;
          throw new Error('Connection terminated unexpectedly');
        }
        return original.apply(repo, a);
      };
    }
    try {
      await gqlOk(app.url, ADD_NOTE, { id: c.id, text: 'first' });
      await gqlOk(app.url, ADD_NOTE, { id: c.id, text: 'second' });
      await waitFor(() => received(sub).some((e) => e.text === 'second'), 'the second note');
      expect(failed).toBe(1);
      expect(received(sub).map((e) => e.text)).toEqual(['first', 'second']);
    } finally {
      for (const name of Object.keys(originals) as (keyof typeof originals)[]) if (originals[name]) repo[name] = originals[name];
      sub.dispose();
    }
  });
});
