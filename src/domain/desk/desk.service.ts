import { Principal } from '../access/roles';
import { actorOf } from '../access/access.service';
import { maySeeCase } from '../access/access-policy';
import { Case, CaseProps } from '../case/case';
import { CaseRepository } from '../case/case-repository.port';
import { CaseWorkflowService } from '../case/case-workflow.service';
import { RequesterInput } from '../case/requester';
import { Requirements } from '../case/requirements';
import { FileAccessService } from '../files/file-access.service';
import { fingerprint, IntakeService } from '../intake/intake.service';
import { Clock } from '../shared/clock.port';
import { FieldProblem, IdempotencyKeyReusedError, ValidationError } from '../shared/domain-error';
import { IdGenerator } from '../shared/id-generator.port';
import { DeadlineService } from '../sla/deadline.service';
import { parseLocalDate, zonedTimeToInstant } from '../sla/time-zone';
import { BoxOpening, DeskRecordRepository, Visit } from './desk-records.port';
import { parseRequirementTicks, REQUIREMENT_FILENAMES, RequirementTicks } from './requirement-scans';

const MAX_ENTRIES = 500;
const MAX_NAME = 200;
const MAX_PURPOSE = 2000;
const MAX_KEY = 200;
const FUTURE_TOLERANCE_MS = 5 * 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface BoxEntryInput {
  subject: string;
  description?: string | null;
  scanFileIds?: string[] | null;
  requester?: RequesterInput | null;
  confidential?: boolean | null;
}

export interface BoxOpeningInput {
  openedAt: Date;
  openedBy: string;
  witnesses?: string[] | null;
  entries: BoxEntryInput[];
  idempotencyKey?: string | null;
}

export interface VisitInput {
  name: string;
  institution?: string | null;
  purpose: string;
  visitedAt?: Date | null;
  caseId?: string | null;
}

const clean = (s: string | null | undefined): string => s?.trim().replace(/\s+/g, ' ') ?? '';

/** The walk-in desk and the complaint box: batches of box entries, the guest book, requirement scans. */
export class DeskService {
  constructor(
    private readonly intake: IntakeService,
    private readonly workflow: CaseWorkflowService,
    private readonly cases: CaseRepository,
    private readonly records: DeskRecordRepository,
    private readonly fileAccess: FileAccessService,
    private readonly deadlines: DeadlineService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /**
   * Records a box opening: every entry becomes a COMPLAINT_BOX case received at the opening
   * time, all in one transaction or none. Atomicity: everything is validated first (problems
   * named `entries[i].field`), then the cases and the opening row are written in ONE
   * transaction by the repository (the group-commit insert run inside it). We chose this over
   * per-entry dedupe keys because a half-stored batch then never exists, not even until a
   * retry; the opening's idempotency key is claimed in the same transaction, so a retry (or a
   * concurrent duplicate, which waits on the key) gets the stored opening and creates nothing.
   */
  async recordBoxOpening(input: BoxOpeningInput, p: Principal): Promise<{ created: boolean; opening: BoxOpening }> {
    const now = this.clock.now();
    const problems: FieldProblem[] = [];
    const openedBy = clean(input.openedBy);
    if (!openedBy) problems.push({ field: 'openedBy', message: 'must not be empty' });
    if (openedBy.length > MAX_NAME) problems.push({ field: 'openedBy', message: `must be at most ${MAX_NAME} characters` });
    const witnesses = (input.witnesses ?? []).map(clean);
    witnesses.forEach((w, i) => {
      if (!w) problems.push({ field: `witnesses[${i}]`, message: 'must not be empty' });
      if (w.length > MAX_NAME) problems.push({ field: `witnesses[${i}]`, message: `must be at most ${MAX_NAME} characters` });
    });
    const openedAt = input.openedAt;
    const openedAtValid = openedAt instanceof Date && !Number.isNaN(openedAt.getTime());
    if (!openedAtValid) problems.push({ field: 'openedAt', message: 'is not a valid time' });
    else if (openedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) problems.push({ field: 'openedAt', message: 'must not be in the future' });
    if (input.entries.length === 0) problems.push({ field: 'entries', message: 'must contain at least one entry' });
    if (input.entries.length > MAX_ENTRIES) problems.push({ field: 'entries', message: `must contain at most ${MAX_ENTRIES} entries` });
    const key = input.idempotencyKey?.trim() || null;
    if (key && key.length > MAX_KEY) problems.push({ field: 'idempotencyKey', message: `must be at most ${MAX_KEY} characters` });
    const scans = input.entries.map((e) => [...new Set((e.scanFileIds ?? []).map((id) => id.trim()))]);
    const wanted = scans.flatMap((ids, i) => ids.map((fileId, j) => ({ fileId, field: `entries[${i}].scanFileIds[${j}]` })));
    problems.push(...(await this.fileAccess.checkAttachable(p, 'Mutation.recordComplaintBoxOpening', wanted)));
    if (!openedAtValid) throw new ValidationError(problems);

    const actor = actorOf(p);
    let prepared;
    try {
      prepared = await this.intake.prepareAll(
        input.entries.map((e, i) => ({
          item: {
            kind: 'COMPLAINT' as const,
            channel: 'COMPLAINT_BOX' as const,
            subject: e.subject,
            description: e.description,
            receivedAt: openedAt,
            requester: e.requester,
            confidential: e.confidential,
            channelDetails: { boxOpenedBy: openedBy },
          },
          decorate: (c: Case) => scans[i].forEach((fileId, j) => c.attachFile(fileId, `kotak-pengaduan-${i + 1}-${j + 1}`, 'COMPLAINT_BOX')),
        })),
        actor,
        (i) => `entries[${i}]`,
      );
    } catch (e) {
      if (e instanceof ValidationError) throw new ValidationError([...problems, ...e.problems]);
      throw e;
    }
    if (problems.length > 0) throw new ValidationError(problems);

    const asked = fingerprint({ ...input, openedBy, witnesses, openedAt: openedAt.toISOString() });
    const result = await this.records.recordBoxOpening(
      { id: this.ids.newId(), idempotencyKey: key ? `box:${key}` : null, fingerprint: asked, openedAt, openedBy, witnesses, recordedBy: actor.id, recordedAt: now },
      prepared,
    );
    if (!result.created && result.opening.fingerprint !== asked) throw new IdempotencyKeyReusedError();
    return result;
  }

  /** Writes a visitor into the guest book; a named case must exist and be visible to the clerk. */
  async recordVisit(input: VisitInput, p: Principal): Promise<Visit> {
    const now = this.clock.now();
    const problems: FieldProblem[] = [];
    const name = clean(input.name);
    const institution = clean(input.institution) || null;
    const purpose = input.purpose?.trim() ?? '';
    if (!name) problems.push({ field: 'name', message: 'must not be empty' });
    if (name.length > MAX_NAME) problems.push({ field: 'name', message: `must be at most ${MAX_NAME} characters` });
    if (institution && institution.length > MAX_NAME) problems.push({ field: 'institution', message: `must be at most ${MAX_NAME} characters` });
    if (!purpose) problems.push({ field: 'purpose', message: 'must not be empty' });
    if (purpose.length > MAX_PURPOSE) problems.push({ field: 'purpose', message: `must be at most ${MAX_PURPOSE} characters` });
    const visitedAt = input.visitedAt ?? now;
    if (Number.isNaN(visitedAt.getTime())) problems.push({ field: 'visitedAt', message: 'is not a valid time' });
    else if (visitedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) problems.push({ field: 'visitedAt', message: 'must not be in the future' });
    let caseId: string | null = null;
    if (input.caseId) {
      const c = UUID.test(input.caseId) ? await this.cases.findById(input.caseId) : null;
      if (!c || !maySeeCase(p, c.snapshot())) problems.push({ field: 'caseId', message: 'is not a known case' });
      else caseId = c.id;
    }
    if (problems.length > 0) throw new ValidationError(problems);
    return this.records.insertVisit({ id: this.ids.newId(), name, institution, purpose, visitedAt, caseId, recordedBy: actorOf(p).id, recordedAt: now });
  }

  /** The visitors of one office day (`YYYY-MM-DD`, read in the office time zone). */
  async guestBook(date: string): Promise<Visit[]> {
    if (!parseLocalDate(date)) throw ValidationError.single('date', 'must be a date such as 2026-03-17');
    const { timeZone } = await this.deadlines.calculator();
    return this.records.visitsBetween(zonedTimeToInstant(date, 0, timeZone), zonedTimeToInstant(date, 1440, timeZone));
  }

  /** Ticks requirements, each optionally with the scan of the document, attached in the same transaction. */
  async updateRequirements(caseId: string, ticks: RequirementTicks, p: Principal): Promise<CaseProps> {
    const { changes, scans } = await this.checkTicks(ticks, 'requirements.', p, 'Mutation.updateRequirements');
    return this.workflow.updateRequirements(caseId, changes, p, (c) =>
      scans.forEach((s) => c.attachFile(s.fileId, REQUIREMENT_FILENAMES[s.requirement], 'REQUIREMENT')),
    );
  }

  /**
   * Requirement ticks of a walk-in: the booleans for the intake, and a decoration attaching the
   * scans to the new case (stored in the intake's transaction).
   */
  async walkInRequirements(
    ticks: RequirementTicks | null | undefined,
    p: Principal,
  ): Promise<{ requirements: Partial<Requirements> | null; decorate: (c: Case) => void }> {
    if (!ticks) return { requirements: null, decorate: () => undefined };
    const { changes, scans } = await this.checkTicks(ticks, 'requirements.', p, 'Mutation.logWalkIn');
    return {
      requirements: changes,
      decorate: (c) => scans.forEach((s) => c.attachFile(s.fileId, REQUIREMENT_FILENAMES[s.requirement], 'REQUIREMENT')),
    };
  }

  /** The ticks, with their scans checked: stored, and files `p` may attach (FileAccessService). */
  private async checkTicks(ticks: RequirementTicks, prefix: string, p: Principal, operation: string) {
    const parsed = parseRequirementTicks(ticks, prefix);
    const wanted = parsed.scans.map((s) => ({ fileId: s.fileId, field: `${prefix}${s.requirement}FileId` }));
    parsed.problems.push(...(await this.fileAccess.checkAttachable(p, operation, wanted)));
    if (parsed.problems.length > 0) throw new ValidationError(parsed.problems);
    return parsed;
  }
}
