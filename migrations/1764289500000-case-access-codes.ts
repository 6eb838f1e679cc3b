import { randomInt } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Frozen copy of the alphabet in src/domain/case/access-code.ts (a migration must not change later). */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const BATCH = 1000;

const newCode = (): string => Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/**
 * Every case gets an access code: with its reference, it lets the citizen look up the status.
 * Existing cases get a random one each, drawn here with node:crypto (pgcrypto is not available
 * on every PostgreSQL, nor on PGlite, and random() is not fit for a secret). Stored plain: the
 * staff reads it back to a caller, and it unlocks only the status, nothing personal.
 */
export class CaseAccessCodes1764289500000 implements MigrationInterface {
  name = 'CaseAccessCodes1764289500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN access_code text`);
    for (;;) {
      const rows = (await q.query(`SELECT id::text AS id FROM cases WHERE access_code IS NULL LIMIT ${BATCH}`)) as { id: string }[];
      if (rows.length === 0) break;
      await q.query(
        `UPDATE cases SET access_code = v.code FROM unnest($1::uuid[], $2::text[]) AS v(id, code) WHERE cases.id = v.id`,
        [rows.map((r) => r.id), rows.map(() => newCode())],
      );
    }
    await q.query(`ALTER TABLE cases ALTER COLUMN access_code SET NOT NULL`);
    await q.query(`ALTER TABLE cases ADD CONSTRAINT cases_access_code_format CHECK (access_code ~ '^[${ALPHABET}]{8}$')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases DROP COLUMN access_code`);
  }
}
