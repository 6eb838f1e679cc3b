import { Database, DatabaseConfig, MIGRATIONS, openDatabase } from '../../../src/adapters/persistence/data-source';
import { TypeormCaseRepository } from '../../../src/adapters/persistence/typeorm-case.repository';
import { CaseMapper } from '../../../src/adapters/persistence/case.mapper';
import { isCanonicalAccessCode } from '../../../src/domain/case/access-code';
import { Case } from '../../../src/domain/case/case';
import { referenceScope } from '../../../src/domain/case/reference-number';
import { createTestDatabase } from '../../support/database';
import { testNikProtector } from '../../support/test-app';

const actor = { id: 'clerk-1', kind: 'USER' as const };
const at = new Date('2026-06-02T02:00:00Z');

/**
 * Cases stored before access codes existed: the last migration is undone (the column goes),
 * then applied again, which must give every existing row a code of its own, on PostgreSQL and
 * on embedded PGlite alike.
 */
async function backfill(config: DatabaseConfig): Promise<void> {
  let db: Database | null = null;
  try {
    db = await openDatabase(config);
    const index = MIGRATIONS.findIndex((m) => m.name === 'CaseAccessCodes1764289500000');
    expect(index).toBeGreaterThan(0);
    const repo = new TypeormCaseRepository(db.dataSource, new CaseMapper(testNikProtector()));
    for (let i = 1; i <= 30; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      await repo.insertNew(id, referenceScope('COMPLAINT', 2026), (reference) =>
        Case.open(
          { id, reference, accessCode: 'K7QM3XPA', kind: 'COMPLAINT', channel: 'PHONE', complaintClass: null, subject: 'Uji', description: null,
            receivedAt: at, loggedAt: at, requester: null, confidential: true, requirements: null, channelDetails: {} },
          (start) => ({ dueAt: new Date(start.getTime() + 3_600_000), warnings: [] }),
          actor,
        ), null);
    }
    // Back to just before the access codes (undoing any later migration first).
    for (let i = MIGRATIONS.length - 1; i >= index; i--) await db.dataSource.undoLastMigration({ transaction: 'each' });
    const columns = (await db.dataSource.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'cases' AND column_name = 'access_code'`)) as unknown[];
    expect(columns).toEqual([]);

    await db.dataSource.runMigrations({ transaction: 'each' });
    const rows = (await db.dataSource.query(`SELECT id::text AS id, access_code FROM cases`)) as { id: string; access_code: string }[];
    expect(rows).toHaveLength(30);
    for (const r of rows) expect(isCanonicalAccessCode(r.access_code)).toBe(true);
    expect(new Set(rows.map((r) => r.access_code)).size).toBe(30);
    // New rows must carry one, and only in canonical form.
    await expect(db.dataSource.query(`UPDATE cases SET access_code = NULL`)).rejects.toThrow();
    await expect(db.dataSource.query(`UPDATE cases SET access_code = 'K7QM-3XPA'`)).rejects.toThrow();
    // The aggregate reads the backfilled code.
    expect((await repo.findById(rows[0].id))?.accessCode).toBe(rows[0].access_code);
  } finally {
    await db?.dataSource.destroy();
  }
}

describe('the access-code migration fills existing cases', () => {
  it('on PostgreSQL', async () => {
    const t = await createTestDatabase('access_code_migration');
    try {
      await backfill({ kind: 'postgres', url: t.url, poolSize: 2 });
    } finally {
      await t.drop();
    }
  });

  it('on embedded PGlite', async () => {
    await backfill({ kind: 'pglite', dataDir: null });
  });
});
