import { Clock } from '../shared/clock.port';
import { CaseNotFoundError, FieldProblem, ValidationError } from '../shared/domain-error';
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
import { TeamService } from '../access/team.service';
import { FileAccessService } from '../files/file-access.service';

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
    private readonly teams: TeamService,
    /** Files attached to a draft follow the one attach rule: the caller may already read them (or uploaded them). */
    private readonly fileAccess: Pick<FileAccessService, 'checkAttachable'>,
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

  /**
   * Assigns the case to a known, active team and optionally to one of its members
   * (TEAM_NOT_FOUND, USER_NOT_FOUND, ASSIGNEE_NOT_IN_TEAM otherwise).
   */
  async assign(caseId: string, team: string, assigneeId: string | null, p: Principal): Promise<CaseProps> {
    return this.change(p, 'Mutation.assignCase', caseId, async (c, now) => {
      // A finished case says so before the team is looked at.
      c.requireOpen('assign');
      const target = await this.teams.resolveAssignment(team, assigneeId);
      c.assign(target.team, actorOf(p), now, target.userId);
    });
  }

  /** A handler of the case's team (or the officer) writes the answer the officer will send. */
  async draftAnswer(caseId: string, text: string, attachmentFileIds: readonly string[], p: Principal): Promise<CaseProps> {
    const files = [...new Set(attachmentFileIds.map((id) => id.trim()))];
    return this.change(p, 'Mutation.draftAnswer', caseId, async (c, now) => {
      // Checked once the caller is known to see the case, so nobody probes the store through it.
      const problems: FieldProblem[] = files.flatMap((id, i) => (id ? [] : [{ field: `attachmentFileIds[${i}]`, message: 'is not a stored file' }]));
      const wanted = files.flatMap((fileId, i) => (fileId ? [{ fileId, field: `attachmentFileIds[${i}]` }] : []));
      problems.push(...(await this.fileAccess.checkAttachable(p, 'Mutation.draftAnswer', wanted)));
      if (problems.length) throw new ValidationError(problems);
      c.draftAnswer(text, files, p.id, actorOf(p), now);
      files.forEach((fileId, i) => c.attachFile(fileId, `konsep-jawaban-${i + 1}`, 'ANSWER_DRAFT'));
    });
  }

  async addNote(caseId: string, text: string, p: Principal): Promise<CaseProps> {
    return this.change(p, 'Mutation.addNote', caseId, async (c, now) => c.addNote(text, actorOf(p), now));
  }

  /** Sends the answer: the given text, or (fromDraft) the latest draft (NO_DRAFT when none). */
  async answer(
    caseId: string, text: string | null, deliveredVia: DeliveryMethod, answeredAt: Date | null, p: Principal, options: { fromDraft?: boolean } = {},
  ): Promise<CaseProps> {
    if (options.fromDraft && text?.trim()) throw ValidationError.single('answer.text', 'give either a text or fromDraft, not both');
    return this.change(p, 'Mutation.answerCase', caseId, async (c, now) => {
      if (options.fromDraft) c.answerFromDraft(deliveredVia, answeredAt ?? now, actorOf(p), now);
      else c.answer(text ?? '', deliveredVia, answeredAt ?? now, actorOf(p), now);
      // The answer is posted on LAPOR! by the channel's outbox worker, from the ANSWERED event.
      if (deliveredVia === 'LAPOR' && c.snapshot().channel !== 'LAPOR') throw ValidationError.single('answer.deliveredVia', 'the case did not come through SP4N-LAPOR!');
      if (deliveredVia === 'EMAIL') {
        const props = c.snapshot();
        const to = props.requester?.email;
        if (!to) throw ValidationError.single('answer.deliveredVia', 'the requester has no email address');
        const original = props.channelDetails.messageId ?? null;
        c.requestMail('ANSWER', to, answerMail(props, props.answer?.text ?? ''), { inReplyTo: original, references: original ? [original] : [] });
      }
      // The WhatsApp channel sends the answer from its ANSWERED event, after commit, to this number.
      if (deliveredVia === 'WHATSAPP' && !c.snapshot().requester?.phone) throw ValidationError.single('answer.deliveredVia', 'the requester has no phone number');
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
