import { Logger } from 'pino';
import { CalendarAlarmService } from '../domain/sla/calendar-alarm';
import { ScheduledJob } from '../domain/scheduling/scheduled-job';

const DAY_SECONDS = 24 * 3600;

/**
 * The daily calendar check: from 1 October a next year without holiday data (or a current year
 * without it) is logged as a warning every day until an administrator enters it. Shaped as a
 * scheduler job (one instance a day).
 */
export function calendarAlarmJob(alarms: CalendarAlarmService, log: Logger): ScheduledJob {
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
