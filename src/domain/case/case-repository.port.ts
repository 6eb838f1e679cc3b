import { Case, CaseProps } from './case';
import { CaseKind, CaseStatus, Channel, ComplaintClass } from './case-types';
import { ReferenceScope } from './reference-number';
import { TimelineEvent } from './timeline-event';
import type { DeadlineState } from '../sla/time-remaining';

/** How a page of cases is ordered: newest received first (default), or nearest deadline first (no deadline last). */
export type CaseOrder = 'RECEIVED_AT' | 'DUE_AT';

export interface CaseFilter {
  kinds?: CaseKind[];
  channels?: Channel[];
  statuses?: CaseStatus[];
  complaintClasses?: ComplaintClass[];
  /** Open cases whose deadline has passed (true), or everything else (false). */
  overdue?: boolean;
  receivedFrom?: Date;
  receivedTo?: Date;
  /** Full-text search over subject, description and timeline text. */
  text?: string;
  /** Team code. */
  assignee?: string;
  /** Cases in any of these deadline states at `now` (see timeRemaining). */
  deadlineStates?: DeadlineState[];
  order?: CaseOrder;
  /** The staff user the case is assigned to. */
  assignedUserId?: string;
  /** Only the cases assigned to the caller in person (resolved to assignedUserId by the query use case). */
  assignedToMe?: boolean;
  /** The case of this SP4N-LAPOR! tracking ID (canonical form). */
  laporTrackingId?: string;
}

export interface PageRequest {
  first: number;
  after: string | null;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  hasNextPage: boolean;
  totalCount: number;
}

/** A page without its total (the total of a case list is counted apart, only when asked for). */
export type Slice<T> = Omit<Page<T>, 'totalCount'>;

/**
 * How many cases match a filter, counted up to `cap`: exact while at most `cap` match; when more
 * match, `count` is `cap` and `capped` is true ("more than cap").
 */
export interface CountResult {
  count: number;
  capped: boolean;
}

/** An exact count of millions of rows is a scan of millions of rows: totals are counted up to this. */
export const TOTAL_COUNT_CAP = 10_000;

/** A dedupe key: the same key with the same fingerprint is the same intake. */
export interface DedupeKey {
  key: string;
  fingerprint: string;
}

export type InsertOutcome =
  | { created: true; case: Case }
  | { created: false; caseId: string; fingerprint: string };

export interface CaseRepository {
  /**
   * In ONE transaction: claims the dedupe key (if any), draws the next reference number of
   * `scope`, stores the case built by `build`, its timeline events and an outbox row. When the
   * key is already taken, nothing is written and the existing case is named instead.
   */
  insertNew(caseId: string, scope: ReferenceScope, build: (reference: string) => Case, dedupe: DedupeKey | null): Promise<InsertOutcome>;

  findById(id: string): Promise<Case | null>;
  /** The case an intake dedupe key (idempotency key) made, if any. */
  findIdByDedupeKey(key: string): Promise<string | null>;
  findByReference(reference: string): Promise<Case | null>;

  /**
   * Stores the changes and pending events of the given cases in one transaction. Throws
   * ConcurrentModificationError when any of them was changed since it was loaded.
   */
  save(cases: Case[]): Promise<void>;

  /**
   * Like save, and claims the dedupe key for this case in the same transaction. When the key
   * is already claimed, nothing is stored and the answer is false (the change was made before).
   */
  saveClaiming(c: Case, claim: DedupeKey): Promise<boolean>;

  /** Cases whose requester has the same NIK, email or phone as given (for erasure). */
  findByRequester(identity: { nik: string | null; email: string | null; phone: string | null }): Promise<Case[]>;
  /** Finished cases (closed, rejected, merged) last changed before `before` that still carry identity. */
  findForRetention(before: Date, limit: number): Promise<Case[]>;

  /** Cases a stored file is attached to. */
  findByAttachment(fileId: string): Promise<CaseProps[]>;

  search(filter: CaseFilter, page: PageRequest, now: Date): Promise<Slice<CaseProps>>;
  /** How many cases match `filter` at `now`, counted up to `cap` (see CountResult). */
  count(filter: CaseFilter, now: Date, cap: number): Promise<CountResult>;
  timeline(caseId: string, page: PageRequest): Promise<Page<TimelineEvent>>;
  /** Events with id above `afterId` (all cases, or one) and, when given, at most `upTo`, oldest first. */
  eventsAfter(afterId: string | null, caseId: string | null, limit: number, upTo?: string | null): Promise<TimelineEvent[]>;
}
