import { createHash } from 'node:crypto';
import { Case, CaseProps } from '../case/case';
import { CaseRepository } from '../case/case-repository.port';
import { COMPLAINT_CLASSES } from '../case/case-types';
import { referenceScope } from '../case/reference-number';
import { parseRequester } from '../case/requester';
import { NO_REQUIREMENTS, Requirements } from '../case/requirements';
import { Actor } from '../case/timeline-event';
import { CaseNotFoundError, FieldProblem, IdempotencyKeyReusedError, ValidationError } from '../shared/domain-error';
import { Clock } from '../shared/clock.port';
import { IdGenerator } from '../shared/id-generator.port';
import { DeadlineService } from '../sla/deadline.service';
import { officeYear } from '../sla/office-year';
import { IntakeItem } from './intake-item';

const MAX_SUBJECT = 300;
const MAX_DESCRIPTION = 20_000;
const MAX_KEY = 200;
/** Clerks' clocks drift; a receipt a few minutes "in the future" is not an error. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export interface IntakeResult {
  case: CaseProps;
  created: boolean;
}

/** The intake use case: validate, dedupe, number, compute the deadline, store. */
export class IntakeService {
  constructor(
    private readonly cases: CaseRepository,
    private readonly deadlines: DeadlineService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** `decorate` may add to the new case before it is stored (e.g. ask for an acknowledgement mail). */
  async intake(item: IntakeItem, actor: Actor, decorate?: (c: Case) => void): Promise<IntakeResult> {
    const now = this.clock.now();
    const problems: FieldProblem[] = [];
    const subject = item.subject?.trim().replace(/\s+/g, ' ') ?? '';
    if (!subject) problems.push({ field: 'subject', message: 'must not be empty' });
    if (subject.length > MAX_SUBJECT) problems.push({ field: 'subject', message: `must be at most ${MAX_SUBJECT} characters` });
    const description = item.description?.trim() || null;
    if (description && description.length > MAX_DESCRIPTION) {
      problems.push({ field: 'description', message: `must be at most ${MAX_DESCRIPTION} characters` });
    }
    const receivedAt = item.receivedAt ?? now;
    if (Number.isNaN(receivedAt.getTime())) problems.push({ field: 'receivedAt', message: 'is not a valid time' });
    else if (receivedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
      problems.push({ field: 'receivedAt', message: 'must not be in the future' });
    }
    if (item.complaintClass && item.kind !== 'COMPLAINT') {
      problems.push({ field: 'complaintClass', message: 'applies only to complaints' });
    }
    if (item.complaintClass && !COMPLAINT_CLASSES.includes(item.complaintClass)) {
      problems.push({ field: 'complaintClass', message: 'is not a known complaint class' });
    }
    let requirements: Requirements | null = null;
    if (item.kind === 'INFORMATION_REQUEST') {
      requirements = { ...NO_REQUIREMENTS };
      for (const [k, v] of Object.entries(item.requirements ?? {}) as [keyof Requirements, boolean | null][]) {
        if (v !== undefined && v !== null) requirements[k] = v;
      }
    } else if (item.requirements && Object.values(item.requirements).some(Boolean)) {
      problems.push({ field: 'requirements', message: 'apply only to information requests' });
    }
    const { requester, problems: requesterProblems } = parseRequester(item.requester);
    problems.push(...requesterProblems);
    const dedupeKey = item.dedupeKey?.trim() || null;
    if (dedupeKey && dedupeKey.length > MAX_KEY) problems.push({ field: 'idempotencyKey', message: `must be at most ${MAX_KEY} characters` });
    if (problems.length > 0) throw new ValidationError(problems);

    const dedupe = dedupeKey ? { key: dedupeKey, fingerprint: fingerprint(item) } : null;
    const deadlineOf = await this.deadlines.calculator();
    const calendarYear = officeYear(now, deadlineOf.timeZone);
    const id = this.ids.newId();
    const outcome = await this.cases.insertNew(
      id,
      referenceScope(item.kind, calendarYear),
      (reference) => {
        const c = Case.open(
          {
            id,
            reference,
            kind: item.kind,
            channel: item.channel,
            complaintClass: item.complaintClass ?? null,
            subject,
            description,
            receivedAt,
            loggedAt: now,
            requester,
            confidential: item.confidential ?? item.kind === 'COMPLAINT',
            requirements,
            channelDetails: item.channelDetails ?? {},
          },
          (clockStart) => deadlineOf.dueAt(item.kind, item.complaintClass ?? null, clockStart),
          actor,
        );
        decorate?.(c);
        return c;
      },
      dedupe,
    );
    if (outcome.created) return { case: outcome.case.snapshot(), created: true };
    if (dedupe && outcome.fingerprint !== dedupe.fingerprint) throw new IdempotencyKeyReusedError();
    const existing = await this.cases.findById(outcome.caseId);
    if (!existing) throw new CaseNotFoundError(`dedupe key`);
    return { case: existing.snapshot(), created: false };
  }
}

/** A stable hash of what was asked, so that a reused key with other content is caught. */
function fingerprint(item: IntakeItem): string {
  const canonical = JSON.stringify(item, (_k, v: unknown) => {
    if (v instanceof Date) return v.toISOString();
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined && x !== null).sort(([a], [b]) => a.localeCompare(b)));
    }
    return v;
  });
  return createHash('sha256').update(canonical).digest('hex');
}
