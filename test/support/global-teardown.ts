import { dropDatabase, templateDb } from './database';

/** Drops this run's template; each test file drops its own database. */
export default async function globalTeardown(): Promise<void> {
  await dropDatabase(templateDb());
}
