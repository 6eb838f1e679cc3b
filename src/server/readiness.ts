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
  /** Each channel module by name: its checks and its detail, for `components` with `?verbose`. */
  channels?: () => { name: string; checks: Record<string, boolean>; detail: Record<string, unknown> }[];
  log: Logger;
}

type JobSummary = { name: string; lastOutcome?: string | null };

export type Readiness = (verbose: boolean) => Promise<{ ready: boolean; body: Record<string, unknown> }>;

/**
 * One entry per component for operators (`?verbose`): the database, the event listener, each
 * channel module with its own checks and detail, and the scheduler (the jobs whose last run
 * failed, by name only: error texts stay in the log and in the admin API).
 */
function components(s: ReadinessSources, checks: Record<string, boolean>, jobs: JobSummary[] | null): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  for (const c of s.channels?.() ?? []) {
    channels[c.name] = { ready: Object.values(c.checks).every(Boolean), ...(Object.keys(c.checks).length ? { checks: c.checks } : {}), ...(Object.keys(c.detail).length ? { detail: c.detail } : {}) };
  }
  return {
    database: { ready: checks.database && checks.migrations, reachable: checks.database, migrations: checks.migrations },
    events: { ready: checks.events },
    channels,
    scheduler: jobs === null ? { ready: false, reachable: false } : { ready: true, jobs: jobs.length, failing: jobs.filter((j) => j.lastOutcome === 'failed').map((j) => j.name) },
  };
}

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
    if (verbose) {
      const jobs = (await s.jobs().catch(() => null)) as JobSummary[] | null;
      body.jobs = jobs;
      body.components = components(s, checks, jobs);
    }
    return { ready, body };
  };
}
