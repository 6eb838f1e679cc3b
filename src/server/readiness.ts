import { Logger } from 'pino';
import { Database, migrationsApplied, pingDatabase } from '../adapters/persistence/data-source';

export interface ReadinessSources {
  db: Database;
  /** The LISTEN connection of the event bus. */
  eventsListening: () => boolean;
  /** Checks the channel modules add (e.g. the email inbox's connection). */
  moduleChecks: () => Record<string, boolean>;
  /** Information shown with the checks (only when there is some) that never makes the instance unready (e.g. the calendar alarm). */
  details?: () => Promise<Record<string, unknown>>;
  log: Logger;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, unknown>;
  details?: Record<string, unknown>;
}

/** /readyz: the database answers, every migration is applied, the event listener and each module are up. */
export function readiness(s: ReadinessSources): () => Promise<Readiness> {
  return async () => {
    const checks: Record<string, boolean> = { database: false, migrations: false, events: s.eventsListening(), ...s.moduleChecks() };
    try {
      await pingDatabase(s.db);
      checks.database = true;
      checks.migrations = await migrationsApplied(s.db);
    } catch (err) {
      s.log.warn({ err: (err as Error).message }, 'readiness check failed');
    }
    const ready = Object.values(checks).every(Boolean);
    if (!s.details) return { ready, checks };
    const details = await s.details().catch((err: Error) => {
      s.log.warn({ err: err.message }, 'readiness detail failed');
      return {};
    });
    return Object.keys(details).length > 0 ? { ready, checks, details } : { ready, checks };
  };
}
