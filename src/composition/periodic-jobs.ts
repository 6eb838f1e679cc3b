import { Logger } from 'pino';
import { LoketConfig } from '../config';
import { Clock } from '../domain/shared/clock.port';
import { RunningModule } from '../modules/channel-module';
import { calendarAlarmJob } from './calendar-jobs';
import { CoreServices } from './core';

const DAY_MS = 24 * 3_600_000;
/** Outbox rows serve catch-up after a lost LISTEN connection; a week is ample. */
const OUTBOX_KEEP_MS = 7 * DAY_MS;

/** Outbox pruning, retention and the calendar alarm, daily (and once at start). */
export function startPeriodicJobs(config: LoketConfig, core: CoreServices, _modules: RunningModule[], clock: Clock, log: Logger): { stop(): Promise<void> } {
  const pruneOutbox = (): void => {
    core.cases.pruneOutbox(new Date(clock.now().getTime() - OUTBOX_KEEP_MS)).then(
      (n) => n > 0 && log.info({ rows: n }, 'pruned old outbox rows'),
      (err: Error) => log.warn({ err: err.message }, 'outbox pruning failed'),
    );
  };
  pruneOutbox();
  const pruneTimer = setInterval(pruneOutbox, DAY_MS);
  pruneTimer.unref();

  const calendarAlarm = calendarAlarmJob(core.calendarAlarms, log);
  const checkCalendar = (): void => {
    calendarAlarm.run().catch((err: Error) => log.warn({ err: err.message }, 'calendar check failed'));
  };
  checkCalendar();
  const calendarTimer = setInterval(checkCalendar, calendarAlarm.periodSeconds * 1000);
  calendarTimer.unref();

  let retentionTimer: NodeJS.Timeout | null = null;
  if (config.retentionMonths) {
    const months = config.retentionMonths;
    const run = (): void => {
      core.privacy.runRetention(months).then(
        (n) => n > 0 && log.info({ cases: n, months }, 'retention anonymized requesters'),
        (err: Error) => log.error({ err: err.message }, 'retention run failed'),
      );
    };
    run();
    retentionTimer = setInterval(run, DAY_MS);
    retentionTimer.unref();
  }
  return {
    stop: async () => {
      if (retentionTimer) clearInterval(retentionTimer);
      clearInterval(pruneTimer);
      clearInterval(calendarTimer);
    },
  };
}
