import { Clock } from '../shared/clock.port';
import { CaseNotFoundError, ValidationError } from '../shared/domain-error';
import { retryOnConflict } from './retry-on-conflict';
import { answerMail } from '../notifications/mail-texts';
import { DeadlineService } from '../sla/deadline.service';
import { Case, CaseProps } from './case';
import { CaseRepository } from './case-repository.port';
import { ComplaintClass, DeliveryMethod, RejectionReason } from './case-types';
import { Requirements } from './requirements';
import { assertMayWork } from '../access/access-policy';
import { actorOf } from '../access/access.service';
import { Principal } from '../access/roles';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The workflow use cases after intake. Each loads the case, lets the aggregate apply the
 * rule, and saves; a concurrent change is retried on fresh state (commands are re-applicable).
 */
export class CaseWorkflowService {
  constructor(
    private readonly cases: CaseRepository,
    private readonly deadlines: DeadlineService,
    private readonly clock: Clock,
  ) {}

  async classify(caseId: string, cls: ComplaintClass, p: Principal): Promise<CaseProps> {
    const actor = actorOf(p);
    return this.change(p, 'Mutation.classifyComplaint', caseId, async (c, now) => {
      const calc = await this.deadlines.calculator();
      // A complaint's clock runs from receipt; classifying changes only its length.
      c.classify(cls, calc.dueAt(c.kind, cls, c.clockStartedAt ?? c.receivedAt), actor, now);
    });
  }

  /** `decorate` may add to the change before it is stored (e.g. attach the scanned documents). */
  async updateRequirements(caseId: string, changes: Partial<Requirements>, p: Principal, decorate?: (c: Case) => void): Promise<CaseProps> {
    const actor = actorOf(p);
    return this.change(p, 'Mutation.updateRequirements', caseId, async (c, now) => {
      const calc = await this.deadlines.calculator();
      c.updateRequirements(changes, (start) => calc.dueAt(c.kind, null, start), actor, now);
      decorate?.(c);
    });
  }

  async assign(caseId: string, assignee: string, p: Principal): Promise<CaseProps> {
    return this.change(p, 'Mutation.assignCase', caseId, async (c, now) => c.assign(assignee, actorOf(p), now));
  }

  async addNote(caseId: string, text: string, p: Principal): Promise<CaseProps> {
    return this.change(p, 'Mutation.addNote', caseId, async (c, now) => c.addNote(text, actorOf(p), now));
  }

  async answer(caseId: string, text: string, deliveredVia: DeliveryMethod, answeredAt: Date | null, p: Principal): Promise<CaseProps> {
    return this.change(p, 'Mutation.answerCase', caseId, async (c, now) => {
      c.answer(text, deliveredVia, answeredAt ?? now, actorOf(p), now);
      if (deliveredVia === 'EMAIL') {
        const props = c.snapshot();
        const to = props.requester?.email;
        if (!to) throw ValidationError.single('answer.deliveredVia', 'the requester has no email address');
        const original = props.channelDetails.messageId ?? null;
        c.requestMail('ANSWER', to, answerMail(props, text.trim()), { inReplyTo: original, references: original ? [original] : [] });
      }
    });
  }

  async close(caseId: string, p: Principal): Promise<CaseProps> {
    return this.change(p, 'Mutation.closeCase', caseId, async (c, now) => c.close(actorOf(p), now));
  }

  async reject(caseId: string, reason: RejectionReason, note: string | null, p: Principal): Promise<CaseProps> {
    return this.change(p, 'Mutation.rejectCase', caseId, async (c, now) => c.reject(reason, note, actorOf(p), now));
  }

  /** Merges `sourceId` into `targetId`; returns the target. Both change in one transaction. */
  async merge(sourceId: string, targetId: string, p: Principal): Promise<CaseProps> {
    return retryOnConflict(async () => {
      const [source, target] = await Promise.all([this.load(sourceId), this.load(targetId)]);
      assertMayWork(p, 'Mutation.mergeCases', source.snapshot());
      assertMayWork(p, 'Mutation.mergeCases', target.snapshot());
      source.mergeInto(target, actorOf(p), this.clock.now());
      await this.cases.save([source, target]);
      return target.snapshot();
    });
  }

  private async load(caseId: string): Promise<Case> {
    const c = UUID.test(caseId) ? await this.cases.findById(caseId) : null;
    if (!c) throw new CaseNotFoundError(`id ${caseId}`);
    return c;
  }

  private async change(p: Principal, operation: string, caseId: string, apply: (c: Case, now: Date) => Promise<void>): Promise<CaseProps> {
    return retryOnConflict(async () => {
      const c = await this.load(caseId);
      assertMayWork(p, operation, c.snapshot());
      await apply(c, this.clock.now());
      await this.cases.save([c]);
      return c.snapshot();
    });
  }
}
