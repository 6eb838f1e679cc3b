import { Logger } from 'pino';
import { Database, migrationsApplied, pingDatabase } from '../adapters/persistence/data-source';

export interface ReadinessSources {
  db: Database;
  /** The LISTEN connection of the event bus. */
  eventsListening: () => boolean;
  /** Checks the channel modules add (e.g. the email inbox's connection). */
  moduleChecks: () => Record<string, boolean>;
  /** The periodic jobs' last runs, shown with `?verbose`; a failed job does not make an instance unready. */
  jobs: () => Promise<unknown[]>;
  /** Information shown with the checks (only when there is some) that never makes the instance unready (e.g. the calendar alarm). */
  details?: () => Promise<Record<string, unknown>>;
  log: Logger;
}

export type Readiness = (verbose: boolean) => Promise<{ ready: boolean; body: Record<string, unknown> }>;

/** /readyz: the database answers, every migration is applied, the event listener and each module are up. */
export function readiness(s: ReadinessSources): Readiness {
  return async (verbose) => {
    const checks: Record<string, boolean> = { database: false, migrations: false, events: s.eventsListening(), ...s.moduleChecks() };
    try {
      await pingDatabase(s.db);
      checks.database = true;
      checks.migrations = await migrationsApplied(s.db);
    } catch (err) {
      s.log.warn({ err: (err as Error).message }, 'readiness check failed');
    }
    const ready = Object.values(checks).every(Boolean);
    const body: Record<string, unknown> = { status: ready ? 'ready' : 'not ready', checks };
    if (s.details) {
      const details = await s.details().catch((err: Error) => {
        s.log.warn({ err: err.message }, 'readiness detail failed');
        return {};
      });
      if (Object.keys(details).length > 0) body.details = details;
    }
    if (verbose) body.jobs = await s.jobs().catch(() => null);
    return { ready, body };
  };
}
