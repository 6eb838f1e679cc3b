import { Database, openDatabase } from '../../../src/adapters/persistence/data-source';
import { CaseMapper } from '../../../src/adapters/persistence/case.mapper';
import { TypeormCaseRepository } from '../../../src/adapters/persistence/typeorm-case.repository';
import { Case } from '../../../src/domain/case/case';
import { referenceScope } from '../../../src/domain/case/reference-number';
import { Teams1764289700000 } from '../../../migrations/1764289700000-teams';
import { createTestDatabase } from '../../support/database';
import { testNikProtector } from '../../support/test-app';

const at = new Date('2026-11-02T02:00:00Z');
const CASE_ID = '00000000-0000-4000-8000-000000000001';

/**
 * The teams migration on a database that used free-text teams: every name in use becomes a team,
 * so existing users, tokens and cases keep working; afterwards only existing teams can be named.
 */
describe('teams migration (real PostgreSQL)', () => {
  let db: Database;
  let drop: () => Promise<void>;
  const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);

  beforeAll(async () => {
    const t = await createTestDatabase('teams_mig');
    drop = t.drop;
    db = await openDatabase({ kind: 'postgres', url: t.url, poolSize: 2 });
    const repo = new TypeormCaseRepository(db.dataSource, new CaseMapper(testNikProtector()));
    await repo.insertNew(CASE_ID, referenceScope('COMPLAINT', 2026), (reference) =>
      Case.open(
        { id: CASE_ID, reference, accessCode: 'K7QM3XPA', kind: 'COMPLAINT', channel: 'PHONE', complaintClass: null, subject: 'Uji', description: null,
          receivedAt: at, loggedAt: at, requester: null, confidential: true, requirements: null, channelDetails: {} },
        (start) => ({ dueAt: new Date(start.getTime() + 3_600_000), warnings: [] }),
        { id: 'test', kind: 'SYSTEM' },
      ), null);
    await q(`UPDATE cases SET assignee = 'Petugas Informasi' WHERE id = $1`, [CASE_ID]);

    // Back to the state before teams existed, with free-text teams in use.
    const runner = db.dataSource.createQueryRunner();
    try {
      await new Teams1764289700000().down(runner);
      await q(`INSERT INTO staff_users (id, username, display_name, role, team, password_hash, created_at)
               VALUES ('00000000-0000-4000-8000-0000000000a1', 'dewi', 'Dewi', 'HANDLER', 'tim-pengaduan-1', 'x', now()),
                      ('00000000-0000-4000-8000-0000000000a2', 'rudi', 'Rudi', 'HANDLER', 'Tim Data', 'x', now()),
                      ('00000000-0000-4000-8000-0000000000a3', 'sari', 'Sari', 'CLERK', NULL, 'x', now())`);
      await q(`INSERT INTO api_tokens (id, name, role, team, token_hash, created_by, created_at)
               VALUES ('00000000-0000-4000-8000-0000000000b1', 'alat', 'HANDLER', 'tim-pengaduan-1', 'h1', 'test', now()),
                      ('00000000-0000-4000-8000-0000000000b2', 'alat 2', 'HANDLER', 'tim-lapangan', 'h2', 'test', now())`);
      await new Teams1764289700000().up(runner);
    } finally {
      await runner.release();
    }
  });
  afterAll(async () => {
    await db?.dataSource.destroy();
    await drop?.();
  });

  it('creates one active team for each distinct team name in use, named as it was', async () => {
    const teams = await q(`SELECT code, name, active FROM teams ORDER BY code COLLATE "C"`);
    expect(teams).toEqual([
      { code: 'Petugas Informasi', name: 'Petugas Informasi', active: true },
      { code: 'Tim Data', name: 'Tim Data', active: true },
      { code: 'tim-lapangan', name: 'tim-lapangan', active: true },
      { code: 'tim-pengaduan-1', name: 'tim-pengaduan-1', active: true },
    ]);
  });

  it('afterwards users and tokens can only name a team that exists', async () => {
    await expect(q(`UPDATE staff_users SET team = 'tim-baru' WHERE username = 'sari'`)).rejects.toThrow(/foreign key/);
    await expect(q(`INSERT INTO api_tokens (id, name, role, team, token_hash, created_by, created_at)
                    VALUES ('00000000-0000-4000-8000-0000000000b3', 'alat 3', 'HANDLER', 'tim-baru', 'h3', 'test', now())`)).rejects.toThrow(/foreign key/);
  });

  it('keeps the cases as they were, with no person assigned and no draft', async () => {
    expect(await q(`SELECT assignee, assigned_user_id, answer_draft FROM cases WHERE id = $1`, [CASE_ID])).toEqual([
      { assignee: 'Petugas Informasi', assigned_user_id: null, answer_draft: null },
    ]);
  });
});
