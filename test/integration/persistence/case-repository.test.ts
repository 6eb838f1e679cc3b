import { Database, openDatabase } from '../../../src/adapters/persistence/data-source';
import { TypeormCaseRepository } from '../../../src/adapters/persistence/typeorm-case.repository';
import { CaseMapper } from '../../../src/adapters/persistence/case.mapper';
import { testNikProtector } from '../../support/test-app';
import { Case } from '../../../src/domain/case/case';
import { referenceScope } from '../../../src/domain/case/reference-number';
import { ConcurrentModificationError } from '../../../src/domain/shared/domain-error';
import { createTestDatabase } from '../../support/database';

const actor = { id: 'clerk-1', kind: 'USER' as const };
const at = new Date('2026-06-02T02:00:00Z');

describe('TypeORM case repository (real PostgreSQL)', () => {
  let db: Database;
  let repo: TypeormCaseRepository;
  let drop: () => Promise<void>;
  let n = 0;

  beforeAll(async () => {
    const t = await createTestDatabase('repo');
    drop = t.drop;
    db = await openDatabase({ kind: 'postgres', url: t.url, poolSize: 4 });
    repo = new TypeormCaseRepository(db.dataSource, new CaseMapper(testNikProtector()));
  });
  afterAll(async () => {
    await db?.dataSource.destroy();
    await drop?.();
  });

  const insert = async (): Promise<Case> => {
    const id = `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
    const outcome = await repo.insertNew(id, referenceScope('COMPLAINT', 2026), (reference) =>
      Case.open(
        { id, reference, accessCode: 'K7QM3XPA', kind: 'COMPLAINT', channel: 'PHONE', complaintClass: null, subject: 'Uji', description: null,
          receivedAt: at, loggedAt: at, requester: null, confidential: true, requirements: null, channelDetails: {} },
        (start) => ({ dueAt: new Date(start.getTime() + 3_600_000), warnings: [] }),
        actor,
      ), null);
    if (!outcome.created) throw new Error('not created');
    return outcome.case;
  };

  it('batches numbered first (referencesFirst) and group-committed intakes running at once share one gapless sequence', async () => {
    const scope = referenceScope('COMPLAINT', 2031);
    const item = () => {
      const id = `00000000-0000-4000-9000-${String(++n).padStart(12, '0')}`;
      return {
        caseId: id,
        scope,
        dedupe: null,
        build: (reference: string) =>
          Case.open(
            { id, reference, accessCode: 'K7QM3XPA', kind: 'COMPLAINT', channel: 'EMAIL', complaintClass: null, subject: 'Uji nomor', description: null,
              receivedAt: at, loggedAt: at, requester: null, confidential: true, requirements: null, channelDetails: {} },
            (start) => ({ dueAt: new Date(start.getTime() + 3_600_000), warnings: [] }),
            actor,
          ),
      };
    };
    const batches = Array.from({ length: 4 }, () => Array.from({ length: 25 }, item));
    const singles = Array.from({ length: 60 }, item);
    const results = await Promise.all([
      ...batches.map((b) => db.dataSource.transaction((m) => repo.insertWithin(m, b, { referencesFirst: true }))),
      ...singles.map((i) => repo.insertNew(i.caseId, i.scope, i.build, null).then((o) => [o])),
    ]);
    const references = results.flat().map((o) => (o.created ? o.case.reference : 'not created'));
    expect(references).toHaveLength(160);
    const numbers = references.map((r) => Number(/^ADU-2031-(\d{6})$/.exec(r)?.[1])).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 160 }, (_v, k) => k + 1));
    // What was answered is what was stored, once per case, with its events.
    const stored = (await db.dataSource.query(`SELECT reference FROM cases WHERE reference LIKE 'ADU-2031-%'`)) as { reference: string }[];
    expect(stored.map((r) => r.reference).sort()).toEqual([...references].sort());
    const [{ n: created }] = (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.reference LIKE 'ADU-2031-%' AND e.type = 'CASE_CREATED'`,
    )) as { n: number }[];
    expect(created).toBe(160);
  });

  it('refuses to save a case changed by someone else since it was loaded, and stores nothing of it', async () => {
    const c = await insert();
    const first = (await repo.findById(c.id))!;
    const second = (await repo.findById(c.id))!;
    first.addNote('pertama', actor, at);
    await repo.save([first]);
    second.addNote('kedua', actor, at);
    await expect(repo.save([second])).rejects.toBeInstanceOf(ConcurrentModificationError);
    const events = await repo.eventsAfter(null, c.id, 100);
    expect(events.map((e) => e.text)).toEqual([null, 'pertama']);
    expect((await repo.findById(c.id))!.version).toBe(1);
  });

  it('rolls back every case of a multi-case save when one is stale', async () => {
    const a = await insert();
    const b = await insert();
    const staleB = (await repo.findById(b.id))!;
    const freshB = (await repo.findById(b.id))!;
    freshB.addNote('menang', actor, at);
    await repo.save([freshB]);
    const loadedA = (await repo.findById(a.id))!;
    staleB.mergeInto(loadedA, actor, at);
    await expect(repo.save([loadedA, staleB])).rejects.toBeInstanceOf(ConcurrentModificationError);
    expect((await repo.findById(a.id))!.version).toBe(0);
    expect((await repo.findById(b.id))!.status).toBe('RECEIVED');
  });

  it('refuses edits of the timeline at the database level', async () => {
    const c = await insert();
    await expect(db.dataSource.query(`UPDATE case_events SET text = 'diubah' WHERE case_id = $1`, [c.id])).rejects.toThrow(/append-only/);
    await expect(db.dataSource.query(`DELETE FROM case_events WHERE case_id = $1`, [c.id])).rejects.toThrow(/append-only/);
  });

  it('lets an erasure (loket.erasing set in its transaction) rewrite an event\'s after values, and nothing else', async () => {
    const c = await insert();
    const erasing = (sql: string) =>
      db.dataSource.transaction(async (m) => {
        await m.query(`SELECT set_config('loket.erasing', 'on', true)`);
        return m.query(`WITH u AS (${sql} RETURNING id) SELECT id FROM u`, [c.id]);
      });
    expect(await erasing(`UPDATE case_events SET after = after || '{"x": null}'::jsonb WHERE case_id = $1`)).toHaveLength(1);
    await expect(erasing(`UPDATE case_events SET text = 'diubah' WHERE case_id = $1`)).rejects.toThrow(/append-only/);
    await expect(erasing(`UPDATE case_events SET at = at + interval '1 day' WHERE case_id = $1`)).rejects.toThrow(/append-only/);
    await expect(erasing(`DELETE FROM case_events WHERE case_id = $1`)).rejects.toThrow(/append-only/);
    // The setting ends with its transaction.
    await expect(db.dataSource.query(`UPDATE case_events SET after = after || '{"y": 1}'::jsonb WHERE case_id = $1`, [c.id])).rejects.toThrow(/append-only/);
  });

  it('writes one outbox row per committed change', async () => {
    const c = await insert();
    const loaded = (await repo.findById(c.id))!;
    loaded.assign('tim-1', actor, at);
    await repo.save([loaded]);
    const rows = (await db.dataSource.query(`SELECT topic, payload FROM outbox WHERE case_id = $1 ORDER BY id`, [c.id])) as { topic: string; payload: any }[];
    expect(rows.map((r) => r.topic)).toEqual(['case.created', 'case.changed']);
    expect(rows[1].payload.eventIds).toHaveLength(2); // ASSIGNED + STATUS_CHANGED
  });
});

describe('outbox pruning (real PostgreSQL)', () => {
  it('drops only outbox rows older than the cut-off', async () => {
    const t = await createTestDatabase('prune');
    const db = await openDatabase({ kind: 'postgres', url: t.url, poolSize: 2 });
    try {
      const repo = new TypeormCaseRepository(db.dataSource, new CaseMapper(testNikProtector()));
      await db.dataSource.query(`INSERT INTO outbox (topic, payload, created_at) VALUES ('old', '{}', now() - interval '8 days'), ('new', '{}', now())`);
      expect(await repo.pruneOutbox(new Date(Date.now() - 7 * 24 * 3_600_000))).toBe(1);
      const left = (await db.dataSource.query(`SELECT topic FROM outbox`)) as { topic: string }[];
      expect(left.map((r) => r.topic)).toEqual(['new']);
    } finally {
      await db.dataSource.destroy();
      await t.drop();
    }
  });
});
