import { Client } from 'pg';
import { openDatabase } from '../src/adapters/persistence/data-source';

/** Admin connection; only ever used to create and drop throwaway "bench" databases. */
export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function urlFor(database: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

function assertBenchDatabase(name: string): void {
  if (!/bench/.test(name) || !/^[a-z0-9_]+$/.test(name)) throw new Error(`Refusing to touch database "${name}"`);
}

async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function dropBenchDatabase(name: string): Promise<void> {
  assertBenchDatabase(name);
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty database named loket_bench_<pid>_<suffix>. With `migrate`, applies the
 * migrations through openDatabase (as startLoket would) and closes that connection again.
 */
export async function createBenchDatabase(suffix: string, migrate: boolean): Promise<BenchDatabase> {
  const name = `loket_bench_${process.pid}_${suffix}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  assertBenchDatabase(name);
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const url = urlFor(name);
  if (migrate) {
    const db = await openDatabase({ kind: 'postgres', url, poolSize: 2 });
    await db.dataSource.destroy();
  }
  return { name, url, drop: () => dropBenchDatabase(name) };
}

/** Whether a (bench) database of that name exists. */
export async function benchDatabaseExists(name: string): Promise<boolean> {
  assertBenchDatabase(name);
  return withAdmin(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
}

/** (Re)creates an empty, migrated bench database with a fixed name (kept between runs by the caller). */
export async function recreateNamedBenchDatabase(name: string): Promise<BenchDatabase> {
  assertBenchDatabase(name);
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const url = urlFor(name);
  const db = await openDatabase({ kind: 'postgres', url, poolSize: 2 });
  await db.dataSource.destroy();
  return { name, url, drop: () => dropBenchDatabase(name) };
}
