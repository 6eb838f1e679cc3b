import type { CaseRepository } from '../case/case-repository.port';
import { isOpen } from '../case/case-status';
import type { ScheduledJob } from '../scheduling/scheduled-job';
import type { Clock } from '../shared/clock.port';
import type { DeadlineService } from './deadline.service';
import type { SlaAlertStore } from './sla-alert-store.port';

const BATCH = 200;
const MINUTE_MS = 60_000;

export interface SlaAlertCounts {
  warnings: number;
  breaches: number;
}

/**
 * Raises SLA_WARNING and SLA_BREACHED for every open case whose warning instant or deadline has
 * come: each once per case, type and deadline (a moved deadline re-arms them). The scan is by
 * state, not by time window, so what fell due while no instance ran fires on the next run.
 */
export class SlaAlertService {
  constructor(
    private readonly store: SlaAlertStore,
    private readonly cases: CaseRepository,
    private readonly deadlines: DeadlineService,
    private readonly clock: Clock,
  ) {}

  async run(signal?: AbortSignal): Promise<SlaAlertCounts> {
    await this.fillMissingWarnAt(signal);
    const counts: SlaAlertCounts = { warnings: 0, breaches: 0 };
    for (;;) {
      const now = this.clock.now();
      const due = await this.store.dueSlaAlerts(now, BATCH);
      let fired = 0;
      for (const alert of due) {
        if (signal?.aborted) return counts;
        const c = await this.cases.findById(alert.caseId);
        const dueAt = c?.snapshot().dueAt;
        // The case changed since the scan (answered, paused, deadline moved): the next scan sees it as it is.
        if (!c || !isOpen(c.status) || !dueAt || dueAt.getTime() !== alert.dueAt.getTime()) continue;
        const time = await this.deadlines.calculator();
        c.recordSlaAlert(alert.type, { workingMinutesLeft: Math.trunc(time.workingMsBetween(now, dueAt) / MINUTE_MS) || 0 }, now);
        if (await this.store.recordSlaAlert(c, alert, now)) {
          fired++;
          if (alert.type === 'SLA_WARNING') counts.warnings++;
          else counts.breaches++;
        }
        c.clearPendingEvents();
      }
      if (due.length < BATCH || fired === 0) return counts;
    }
  }

  /**
   * Deadlines stored before SLA warnings existed get their warning instant, so that they warn
   * too (once: afterwards no such case is left). A case changed meanwhile is left to the next run.
   */
  private async fillMissingWarnAt(signal?: AbortSignal): Promise<void> {
    const ids = await this.store.casesWithoutWarnAt(BATCH);
    if (ids.length === 0) return;
    const time = await this.deadlines.calculator();
    for (const id of ids) {
      if (signal?.aborted) return;
      const c = await this.cases.findById(id);
      if (!c?.fillMissingWarnAt((start, dueAt) => time.warnAt(c.kind, c.complaintClass, start, dueAt))) continue;
      await this.cases.save([c]).catch((err: unknown) => {
        if ((err as { code?: string }).code !== 'CONCURRENT_MODIFICATION') throw err;
      });
    }
  }
}

/** The scheduler job that runs the alert scan (every `periodSeconds`, default 60). */
export function slaAlertJob(alerts: SlaAlertService, periodSeconds: number): ScheduledJob {
  return {
    name: 'sla-alerts',
    periodSeconds,
    run: async ({ signal }) => ({ ...(await alerts.run(signal)) }),
  };
}
