import 'reflect-metadata';
import { openDatabase } from '../../src/adapters/persistence/data-source';
import { assertTestDatabase, TEMPLATE_DB, urlFor, withAdmin } from './database';

/** Migrates a template database once per run; test files clone it (CREATE DATABASE ... TEMPLATE). */
export default async function globalSetup(): Promise<void> {
  assertTestDatabase(TEMPLATE_DB);
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  });
  const db = await openDatabase({ kind: 'postgres', url: urlFor(TEMPLATE_DB), poolSize: 2 });
  await db.dataSource.destroy();
}
