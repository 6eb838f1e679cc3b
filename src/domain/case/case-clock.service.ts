import { assertMayWork } from '../access/access-policy';
import { actorOf } from '../access/access.service';
import { Principal } from '../access/roles';
import { Clock } from '../shared/clock.port';
import { CaseNotFoundError } from '../shared/domain-error';
import { DeadlineService } from '../sla/deadline.service';
import { timeRemaining, TimeRemaining } from '../sla/time-remaining';
import { Case, CaseProps } from './case';
import { CaseRepository } from './case-repository.port';
import { PauseReason } from './case-types';
import { retryOnConflict } from './retry-on-conflict';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Clock stops (pauseCase / resumeCase) and where a case stands against its deadline. */
export class CaseClockService {
  constructor(
    private readonly cases: CaseRepository,
    private readonly deadlines: DeadlineService,
    private readonly clock: Clock,
  ) {}

  async pause(caseId: string, reason: PauseReason, note: string | null, p: Principal): Promise<CaseProps> {
    return this.change(caseId, p, 'Mutation.pauseCase', async (c, now) => c.pause(reason, note, await this.deadlines.calculator(), actorOf(p), now));
  }

  async resume(caseId: string, p: Principal): Promise<CaseProps> {
    return this.change(caseId, p, 'Mutation.resumeCase', async (c, now) => c.resume(await this.deadlines.calculator(), actorOf(p), now));
  }

  /** Working time left until the deadline, now. */
  async timeRemaining(c: Pick<CaseProps, 'status' | 'dueAt' | 'warnAt' | 'pause'>): Promise<TimeRemaining> {
    return timeRemaining(c, this.clock.now(), await this.deadlines.calculator());
  }

  private async change(caseId: string, p: Principal, operation: string, apply: (c: Case, now: Date) => Promise<void>): Promise<CaseProps> {
    return retryOnConflict(async () => {
      const c = UUID.test(caseId) ? await this.cases.findById(caseId) : null;
      if (!c) throw new CaseNotFoundError(`id ${caseId}`);
      assertMayWork(p, operation, c.snapshot());
      await apply(c, this.clock.now());
      await this.cases.save([c]);
      return c.snapshot();
    });
  }
}
