import 'reflect-metadata';
import { openDatabase } from '../../src/adapters/persistence/data-source';
import { assertTestDatabase, templateDb, urlFor, withAdmin } from './database';

/**
 * Migrates a template database once per run; test files clone it (CREATE DATABASE ... TEMPLATE).
 * Databases of this run are named after its id; leftovers of earlier runs that were killed
 * (older than a day) are dropped.
 */
export default async function globalSetup(): Promise<void> {
  process.env.LOKET_TEST_RUN = `r${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  const template = templateDb();
  assertTestDatabase(template);
  await withAdmin(async (c) => {
    const stale = await c.query(
      `SELECT datname FROM pg_database d WHERE datname LIKE 'loket\\_test\\_%' AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)
         AND (pg_stat_file('base/' || d.oid || '/PG_VERSION')).modification < now() - interval '1 day'`,
    ).catch(() => ({ rows: [] as { datname: string }[] }));
    for (const r of stale.rows) {
      assertTestDatabase(r.datname);
      await c.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    }
    await c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${template}`);
  });
  const db = await openDatabase({ kind: 'postgres', url: urlFor(template), poolSize: 2 });
  await db.dataSource.destroy();
}
