import { Client } from 'pg';

/** Admin connection for creating test databases (trust auth on this machine and in CI). */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/**
 * One id per `jest` run (set by the global setup, inherited by the workers), so that runs on
 * one machine at the same time never drop each other's databases.
 */
export function runId(): string {
  return process.env.LOKET_TEST_RUN ?? 'local';
}

export function templateDb(): string {
  return `loket_test_${runId()}_template`;
}

export function urlFor(database: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Destructive setup only ever touches databases whose name says they are for tests. */
export function assertTestDatabase(name: string): void {
  if (!/test/.test(name) || !/^[a-z0-9_]+$/.test(name)) throw new Error(`Refusing destructive setup on database "${name}"`);
}

export async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function dropDatabase(name: string): Promise<void> {
  assertTestDatabase(name);
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/**
 * A fresh database cloned from the migrated template: each test file gets its own, named
 * after the jest worker and a suffix, so files never share dirty state.
 */
export async function createTestDatabase(suffix: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const worker = process.env.JEST_WORKER_ID ?? '0';
  const name = `loket_test_${runId()}_w${worker}_${suffix}`.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 63);
  assertTestDatabase(name);
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name} TEMPLATE ${templateDb()}`);
  });
  return { name, url: urlFor(name), drop: () => dropDatabase(name) };
}
