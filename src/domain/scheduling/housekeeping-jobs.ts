import { Clock } from '../shared/clock.port';
import { ScheduledJob } from './scheduled-job';

const DAY_SECONDS = 24 * 3_600;
/** Outbox rows serve catch-up after a lost LISTEN connection; a week is ample. */
const OUTBOX_KEEP_MS = 7 * DAY_SECONDS * 1_000;

/** Daily: drops outbox rows older than a week. */
export function outboxPruneJob(outbox: { pruneOutbox(before: Date): Promise<number> }, clock: Clock): ScheduledJob {
  return {
    name: 'outbox-prune',
    periodSeconds: DAY_SECONDS,
    run: async () => ({ rows: await outbox.pruneOutbox(new Date(clock.now().getTime() - OUTBOX_KEEP_MS)) }),
  };
}

/** Daily: anonymizes requesters of cases finished more than `months` months ago (LOKET_RETENTION_MONTHS). */
export function retentionJob(privacy: { runRetention(months: number): Promise<number> }, months: number): ScheduledJob {
  return {
    name: 'retention',
    periodSeconds: DAY_SECONDS,
    run: async () => ({ cases: await privacy.runRetention(months) }),
  };
}
