import { Logger } from 'pino';
import { Database, migrationsApplied, pingDatabase } from '../adapters/persistence/data-source';

export interface ReadinessSources {
  db: Database;
  /** The LISTEN connection of the event bus. */
  eventsListening: () => boolean;
  /** Checks the channel modules add (e.g. the email inbox's connection). */
  moduleChecks: () => Record<string, boolean>;
  log: Logger;
}

/** /readyz: the database answers, every migration is applied, the event listener and each module are up. */
export function readiness(s: ReadinessSources): () => Promise<{ ready: boolean; checks: Record<string, unknown> }> {
  return async () => {
    const checks: Record<string, boolean> = { database: false, migrations: false, events: s.eventsListening(), ...s.moduleChecks() };
    try {
      await pingDatabase(s.db);
      checks.database = true;
      checks.migrations = await migrationsApplied(s.db);
    } catch (err) {
      s.log.warn({ err: (err as Error).message }, 'readiness check failed');
    }
    return { ready: Object.values(checks).every(Boolean), checks };
  };
}
