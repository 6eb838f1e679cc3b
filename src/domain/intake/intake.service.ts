import { createHash } from 'node:crypto';
import { generateAccessCode } from '../case/access-code';
import { Case, CaseProps } from '../case/case';
import { CaseRepository, DedupeKey } from '../case/case-repository.port';
import { COMPLAINT_CLASSES } from '../case/case-types';
import { ReferenceScope, referenceScope } from '../case/reference-number';
import { parseRequester, Requester } from '../case/requester';
import { NO_REQUIREMENTS, Requirements } from '../case/requirements';
import { Actor } from '../case/timeline-event';
import { CaseNotFoundError, FieldProblem, IdempotencyKeyReusedError, ValidationError } from '../shared/domain-error';
import { Clock } from '../shared/clock.port';
import { IdGenerator } from '../shared/id-generator.port';
import { cryptoRandom, RandomSource } from '../shared/random-source.port';
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
    /** Draws each new case's access code. */
    private readonly random: RandomSource = cryptoRandom,
  ) {}

  /** The case an earlier intake with this dedupe key made, if any. */
  caseIdForKey(key: string): Promise<string | null> {
    return this.cases.findIdByDedupeKey(key);
  }

  /** `decorate` may add to the new case before it is stored (e.g. ask for an acknowledgement mail). */
  async intake(item: IntakeItem, actor: Actor, decorate?: (c: Case) => void): Promise<IntakeResult> {
    const now = this.clock.now();
    const checked = check(item, now, '');
    if (checked.problems.length > 0) throw new ValidationError(checked.problems);
    const deadlineOf = await this.deadlines.calculator();
    const prepared = this.prepare(item, checked.value, actor, now, deadlineOf, decorate);
    const outcome = await this.cases.insertNew(prepared.caseId, prepared.scope, prepared.build, prepared.dedupe);
    if (outcome.created) return { case: outcome.case.snapshot(), created: true };
    if (prepared.dedupe && outcome.fingerprint !== prepared.dedupe.fingerprint) throw new IdempotencyKeyReusedError();
    const existing = await this.cases.findById(outcome.caseId);
    if (!existing) throw new CaseNotFoundError(`dedupe key`);
    return { case: existing.snapshot(), created: false };
  }

  /**
   * Validates every item first (problems named `<path(i)>.<field>`, e.g. `entries[2].subject`)
   * and only then prepares the cases, so that a batch is refused as a whole before anything is
   * stored. The caller inserts the prepared cases (in one transaction).
   */
  async prepareAll(
    items: { item: IntakeItem; decorate?: (c: Case) => void }[],
    actor: Actor,
    path: (i: number) => string,
  ): Promise<PreparedCase[]> {
    const now = this.clock.now();
    const checked = items.map(({ item }, i) => check(item, now, `${path(i)}.`));
    const problems = checked.flatMap((c) => c.problems);
    if (problems.length > 0) throw new ValidationError(problems);
    const deadlineOf = await this.deadlines.calculator();
    return items.map(({ item, decorate }, i) => this.prepare(item, checked[i].value, actor, now, deadlineOf, decorate));
  }

  /**
   * Each item validated and prepared on its own: an item with problems gets its
   * ValidationError in its place and does not hold back the others (intake channels that
   * take many messages at once). The caller inserts the prepared cases.
   */
  async prepareEach(items: { item: IntakeItem; decorate?: (c: Case) => void }[], actor: Actor): Promise<(PreparedCase | ValidationError)[]> {
    const now = this.clock.now();
    const deadlineOf = await this.deadlines.calculator();
    return items.map(({ item, decorate }) => {
      const checked = check(item, now, '');
      if (checked.problems.length > 0) return new ValidationError(checked.problems);
      return this.prepare(item, checked.value, actor, now, deadlineOf, decorate);
    });
  }

  private prepare(
    item: IntakeItem,
    v: Checked,
    actor: Actor,
    now: Date,
    deadlineOf: Awaited<ReturnType<DeadlineService['calculator']>>,
    decorate?: (c: Case) => void,
  ): PreparedCase {
    const id = this.ids.newId();
    // Drawn once, outside `build`: the store may build the case twice (draft, then numbered).
    const accessCode = generateAccessCode(this.random);
    return {
      caseId: id,
      scope: referenceScope(item.kind, officeYear(now, deadlineOf.timeZone)),
      dedupe: v.dedupeKey ? { key: v.dedupeKey, fingerprint: fingerprint(item) } : null,
      build: (reference) => {
        const c = Case.open(
          {
            id,
            reference,
            accessCode,
            kind: item.kind,
            channel: item.channel,
            complaintClass: item.complaintClass ?? null,
            subject: v.subject,
            description: v.description,
            receivedAt: v.receivedAt,
            loggedAt: now,
            requester: v.requester,
            confidential: item.confidential ?? item.kind === 'COMPLAINT',
            requirements: v.requirements,
            channelDetails: item.channelDetails ?? {},
          },
          (clockStart) => deadlineOf.dueAt(item.kind, item.complaintClass ?? null, clockStart),
          actor,
        );
        decorate?.(c);
        return c;
      },
    };
  }
}

/** A validated intake, ready to be stored: the id, numbering scope, dedupe key and builder. */
export interface PreparedCase {
  caseId: string;
  scope: ReferenceScope;
  build: (reference: string) => Case;
  dedupe: DedupeKey | null;
}

interface Checked {
  subject: string;
  description: string | null;
  receivedAt: Date;
  requirements: Requirements | null;
  requester: Requester | null;
  dedupeKey: string | null;
}

/** Validates and normalizes one item; problems are named under `prefix` (e.g. `entries[2].`). */
function check(item: IntakeItem, now: Date, prefix: string): { problems: FieldProblem[]; value: Checked } {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string): void => void problems.push({ field: `${prefix}${field}`, message });
  const subject = item.subject?.trim().replace(/\s+/g, ' ') ?? '';
  if (!subject) problem('subject', 'must not be empty');
  if (subject.length > MAX_SUBJECT) problem('subject', `must be at most ${MAX_SUBJECT} characters`);
  const description = item.description?.trim() || null;
  if (description && description.length > MAX_DESCRIPTION) problem('description', `must be at most ${MAX_DESCRIPTION} characters`);
  const receivedAt = item.receivedAt ?? now;
  if (Number.isNaN(receivedAt.getTime())) problem('receivedAt', 'is not a valid time');
  else if (receivedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) problem('receivedAt', 'must not be in the future');
  if (item.complaintClass && item.kind !== 'COMPLAINT') problem('complaintClass', 'applies only to complaints');
  if (item.complaintClass && !COMPLAINT_CLASSES.includes(item.complaintClass)) problem('complaintClass', 'is not a known complaint class');
  let requirements: Requirements | null = null;
  if (item.kind === 'INFORMATION_REQUEST') {
    requirements = { ...NO_REQUIREMENTS };
    for (const k of Object.keys(NO_REQUIREMENTS) as (keyof Requirements)[]) {
      const v = item.requirements?.[k];
      if (v !== undefined && v !== null) requirements[k] = v;
    }
  } else if (item.requirements && Object.values(item.requirements).some(Boolean)) {
    problem('requirements', 'apply only to information requests');
  }
  const { requester, problems: requesterProblems } = parseRequester(item.requester, `${prefix}requester`);
  problems.push(...requesterProblems);
  const dedupeKey = item.dedupeKey?.trim() || null;
  if (dedupeKey && dedupeKey.length > MAX_KEY) problem('idempotencyKey', `must be at most ${MAX_KEY} characters`);
  return { problems, value: { subject, description, receivedAt, requirements, requester, dedupeKey } };
}

/** A stable hash of what was asked, so that a reused key with other content is caught. */
export function fingerprint(item: unknown): string {
  const canonical = JSON.stringify(item, (_k, v: unknown) => {
    if (v instanceof Date) return v.toISOString();
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined && x !== null).sort(([a], [b]) => a.localeCompare(b)));
    }
    return v;
  });
  return createHash('sha256').update(canonical).digest('hex');
}
