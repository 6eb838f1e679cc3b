import { Clock } from '../shared/clock.port';
import { CaseNotFoundError, ValidationError } from '../shared/domain-error';
import { CaseProps } from './case';
import { CaseFilter, CaseRepository, CountResult, Page, Slice, TOTAL_COUNT_CAP } from './case-repository.port';
import { TimelineEvent } from './timeline-event';
import { parseReference } from './reference-number';
import { maySeeCase } from '../access/access-policy';
import { Principal } from '../access/roles';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw ValidationError.single('first', `must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  return first;
}

/**
 * A page of cases and, on request, how many cases match: `total()` counts (capped at
 * TOTAL_COUNT_CAP) the first time it is called and answers the same afterwards; a caller that
 * does not ask for the total costs the database no count at all.
 */
export interface CaseList extends Slice<CaseProps> {
  total(): Promise<CountResult>;
}

const EMPTY: CaseList = { edges: [], hasNextPage: false, total: async () => ({ count: 0, capped: false }) };

/** Read use cases: one case, a filtered page of cases, a case's timeline. */
export class CaseQueryService {
  constructor(
    private readonly cases: CaseRepository,
    private readonly clock: Clock,
  ) {}

  /** Finds a case by id or by reference number; exactly one of them must be given. */
  /** Finds a case by id or by reference number; a case the caller may not see is not found. */
  async find(by: { id?: string | null; reference?: string | null }, p: Principal): Promise<CaseProps | null> {
    if (!!by.id === !!by.reference) throw ValidationError.single('id', 'give exactly one of id or reference');
    let found: CaseProps | null;
    if (by.id) {
      found = UUID.test(by.id) ? ((await this.cases.findById(by.id))?.snapshot() ?? null) : null;
    } else {
      const parsed = parseReference(by.reference ?? '');
      if (!parsed) throw ValidationError.single('reference', 'is not a reference number such as ADU-2026-000123');
      found = (await this.cases.findByReference(parsed.reference))?.snapshot() ?? null;
    }
    return found && maySeeCase(p, found) ? found : null;
  }

  /** A page of cases; a handler only ever gets the cases of their team. */
  async list(filter: CaseFilter, first: number | null | undefined, after: string | null | undefined, p: Principal): Promise<CaseList> {
    if (p.role === 'HANDLER') {
      if (!p.team || (filter.assignee && filter.assignee !== p.team)) return EMPTY;
      filter = { ...filter, assignee: p.team };
    }
    if (filter.assignedToMe) {
      // Only staff users are assigned cases in person; a token's own queue is empty.
      if (p.kind !== 'USER') return EMPTY;
      filter = { ...filter, assignedUserId: p.id };
    }
    if (filter.receivedFrom && filter.receivedTo && filter.receivedFrom > filter.receivedTo) {
      throw ValidationError.single('filter.receivedTo', 'must not be before receivedFrom');
    }
    if (filter.text && filter.text.length > 500) throw ValidationError.single('filter.text', 'must be at most 500 characters');
    // Asking for cases at risk or breached means asking which deadline comes first.
    if (filter.deadlineStates?.length && !filter.order) filter = { ...filter, order: 'DUE_AT' };
    const now = this.clock.now();
    const slice = await this.cases.search(filter, { first: pageSize(first), after: after ?? null }, now);
    const scoped = filter;
    let counted: Promise<CountResult> | null = null;
    // Counted at the same `now` as the page, so deadline states agree between the two.
    return { ...slice, total: () => (counted ??= this.cases.count(scoped, now, TOTAL_COUNT_CAP)) };
  }

  async timeline(caseId: string, first: number | null | undefined, after: string | null | undefined): Promise<Page<TimelineEvent>> {
    return this.cases.timeline(caseId, { first: pageSize(first), after: after ?? null });
  }

  /** Fails with CASE_NOT_FOUND unless the case exists and the caller may see it. */
  async require(caseId: string, p: Principal): Promise<CaseProps> {
    const c = await this.find({ id: caseId }, p);
    if (!c) throw new CaseNotFoundError(`id ${caseId}`);
    return c;
  }
}
