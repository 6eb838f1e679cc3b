import { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { LeasedRowScheduler } from '../adapters/scheduler/leased-row.scheduler';
import { LoketConfig } from '../config';
import { outboxPruneJob, retentionJob } from '../domain/scheduling/housekeeping-jobs';
import { slaAlertJob } from '../domain/sla/sla-alert.service';
import { Clock } from '../domain/shared/clock.port';
import { RunningModule } from '../modules/channel-module';
import { calendarAlarmJob } from './calendar-jobs';
import { CoreServices } from './core';

/**
 * The one scheduler of periodic work: the core's housekeeping jobs and those the channel
 * modules bring. Each run happens on one instance at a time (leased rows in scheduled_jobs).
 */
export function startScheduler(
  config: LoketConfig,
  dataSource: DataSource,
  core: CoreServices,
  modules: RunningModule[],
  clock: Clock,
  log: Logger,
  onRunFinished?: (job: string, outcome: string) => void,
): LeasedRowScheduler {
  const scheduler = new LeasedRowScheduler(dataSource, log.child({ component: 'scheduler' }), { onRunFinished });
  scheduler.register(outboxPruneJob(core.cases, clock));
  if (config.slaAlertPeriodSeconds) scheduler.register(slaAlertJob(core.slaAlerts, config.slaAlertPeriodSeconds));
  if (config.retentionMonths) scheduler.register(retentionJob(core.privacy, config.retentionMonths));
  scheduler.register(calendarAlarmJob(core.calendarAlarms, log));
  for (const m of modules) for (const job of m.jobs ?? []) scheduler.register(job);
  scheduler.start();
  return scheduler;
}
