import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Handling teams become data. Every team name already in use (on staff users, tokens or as a
 * case's assignee) becomes a team with that code, so nothing that worked stops working; users
 * and tokens may from now on only name a team that exists. A case may also name the member of
 * its team who works it, and keeps the latest draft answer.
 */
export class Teams1764289700000 implements MigrationInterface {
  name = 'Teams1764289700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE teams (
        id uuid PRIMARY KEY,
        code text NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 200),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`
      INSERT INTO teams (id, code, name, active, created_at)
      SELECT gen_random_uuid(), v, left(v, 200), true, now() FROM (
        SELECT team AS v FROM staff_users WHERE team IS NOT NULL
        UNION SELECT team FROM api_tokens WHERE team IS NOT NULL
        UNION SELECT assignee FROM cases WHERE assignee IS NOT NULL
      ) AS used WHERE length(v) BETWEEN 1 AND 200`);
    await q.query(`ALTER TABLE staff_users ADD CONSTRAINT staff_users_team_fkey FOREIGN KEY (team) REFERENCES teams (code)`);
    await q.query(`ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_team_fkey FOREIGN KEY (team) REFERENCES teams (code)`);
    await q.query(`CREATE INDEX staff_users_team ON staff_users (team) WHERE team IS NOT NULL`);
    await q.query(`ALTER TABLE cases ADD COLUMN assigned_user_id uuid REFERENCES staff_users (id)`);
    await q.query(`ALTER TABLE cases ADD COLUMN answer_draft jsonb`);
    await q.query(`CREATE INDEX cases_assigned_user ON cases (assigned_user_id, received_at DESC) WHERE assigned_user_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cases_assigned_user`);
    await q.query(`ALTER TABLE cases DROP COLUMN answer_draft, DROP COLUMN assigned_user_id`);
    await q.query(`DROP INDEX staff_users_team`);
    await q.query(`ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_team_fkey`);
    await q.query(`ALTER TABLE staff_users DROP CONSTRAINT staff_users_team_fkey`);
    await q.query(`DROP TABLE teams`);
  }
}
