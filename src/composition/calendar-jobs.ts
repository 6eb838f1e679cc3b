import { Logger } from 'pino';
import { CalendarAlarmService } from '../domain/sla/calendar-alarm';
import { ModuleJob } from '../modules/channel-module';

const DAY_SECONDS = 24 * 3600;

/**
 * The daily calendar check: from 1 October a next year without holiday data (or a current year
 * without it) is logged as a warning every day until an administrator enters it. Shaped as a
 * ModuleJob so that the scheduler can take it over; periodic-jobs.ts runs it until then.
 */
export function calendarAlarmJob(alarms: CalendarAlarmService, log: Logger): ModuleJob {
  return {
    name: 'calendar-alarm',
    periodSeconds: DAY_SECONDS,
    run: async () => {
      const alarm = await alarms.check();
      if (alarm) log.warn({ missingYear: alarm.missingYear, since: alarm.since.toISOString() }, `working calendar: no holiday data for ${alarm.missingYear}`);
    },
  };
}

/** /readyz detail: the calendar alarm while there is one; shown, never making the instance unready. */
export function calendarReadinessDetail(alarms: CalendarAlarmService): () => Promise<Record<string, unknown>> {
  return async () => {
    const alarm = await alarms.check();
    return alarm ? { calendarAlarm: { missingYear: alarm.missingYear, since: alarm.since.toISOString(), message: alarm.message } } : {};
  };
}
