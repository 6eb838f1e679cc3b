import { Case } from '../../../src/domain/case/case';
import { CaseRepository } from '../../../src/domain/case/case-repository.port';
import { DeadlineService } from '../../../src/domain/sla/deadline.service';
import { DueSlaAlert, SlaAlertStore } from '../../../src/domain/sla/sla-alert-store.port';
import { SlaAlertService, slaAlertJob } from '../../../src/domain/sla/sla-alert.service';
import { caseIn } from '../case/builders';
import { buildCalendar, wib } from './calendar.builder';

const clock = { now: () => wib('2026-04-14T08:00') }; // the morning after the deadline: 30 working minutes late
const deadlines = new DeadlineService({ load: async () => buildCalendar(), version: async () => 1 } as never);

function setup(cases: Case[], due: DueSlaAlert[]) {
  const recorded: { type: string; events: string[]; after?: unknown }[] = [];
  const store: SlaAlertStore = {
    dueSlaAlerts: async () => due.splice(0),
    recordSlaAlert: async (c, alert) => {
      recorded.push({ type: alert.type, events: c.pendingEvents().map((e) => e.type), after: c.pendingEvents()[0]?.after });
      return true;
    },
    casesWithoutWarnAt: async () => [],
  };
  const repo = { findById: async (id: string) => cases.find((c) => c.id === id) ?? null } as unknown as CaseRepository;
  return { service: new SlaAlertService(store, repo, deadlines, clock), recorded };
}

describe('SlaAlertService', () => {
  const dueAt = wib('2026-04-13T16:00');

  it('stores the breach of an open case as its SLA_BREACHED timeline event, with the working minutes past the deadline', async () => {
    const c = caseIn('IN_PROGRESS', { dueAt, warnAt: wib('2026-04-10T12:30') });
    const { service, recorded } = setup([c], [{ caseId: c.id, type: 'SLA_BREACHED', dueAt }]);
    expect(await service.run()).toEqual({ warnings: 0, breaches: 1 });
    expect(recorded).toEqual([
      { type: 'SLA_BREACHED', events: ['SLA_BREACHED'], after: { dueAt: dueAt.toISOString(), warnAt: wib('2026-04-10T12:30').toISOString(), workingMinutesLeft: -30 } },
    ]);
  });

  it('skips a case answered, paused or moved between the scan and the alert, instead of failing the run', async () => {
    const answered = caseIn('ANSWERED', { id: 'answered', dueAt });
    const paused = caseIn('WAITING', { id: 'paused', dueAt: null });
    const moved = caseIn('IN_PROGRESS', { id: 'moved', dueAt: wib('2026-04-14T16:00') });
    const { service, recorded } = setup([answered, paused, moved], [
      { caseId: 'answered', type: 'SLA_BREACHED', dueAt },
      { caseId: 'paused', type: 'SLA_BREACHED', dueAt },
      { caseId: 'moved', type: 'SLA_BREACHED', dueAt },
    ]);
    expect(await service.run()).toEqual({ warnings: 0, breaches: 0 });
    expect(recorded).toEqual([]);
  });

  it('is the sla-alerts job of the scheduler, at the given period', () => {
    const { service } = setup([], []);
    expect(slaAlertJob(service, 60)).toMatchObject({ name: 'sla-alerts', periodSeconds: 60 });
  });
});
