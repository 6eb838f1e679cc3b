import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Login failures counted per (username, client address) instead of per account, so a stranger
 * failing an account's login locks only their own address; the row with address '*' counts the
 * username's attempts from addresses without a recent success (the global slow-down). Usernames
 * are stored as SHA-256 hashes, known or not (a password typed into the username box is not kept
 * in clear). The per-account columns go: their locks (15 minutes at most) are not carried over.
 */
export class LoginAttempts1764289100000 implements MigrationInterface {
  name = 'LoginAttempts1764289100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_attempts (
        user_key text NOT NULL,
        ip text NOT NULL,
        user_id uuid REFERENCES staff_users (id) ON DELETE CASCADE,
        attempts integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        last_success_at timestamptz,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (user_key, ip)
      )`);
    await q.query(`CREATE INDEX login_attempts_updated ON login_attempts (updated_at)`);
    await q.query(`CREATE INDEX login_attempts_user ON login_attempts (user_id) WHERE user_id IS NOT NULL`);
    await q.query(`ALTER TABLE staff_users DROP COLUMN failed_logins, DROP COLUMN locked_until`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff_users ADD COLUMN failed_logins integer NOT NULL DEFAULT 0, ADD COLUMN locked_until timestamptz`);
    await q.query(`DROP TABLE login_attempts`);
  }
}
