import { CaseKind, CaseStatus, Channel, ComplaintClass } from '../case/case-types';
import { ValidationError } from '../shared/domain-error';

/** What a report may be grouped by (any combination, in the order given). */
export const REPORT_DIMENSIONS = ['CHANNEL', 'KIND', 'COMPLAINT_CLASS', 'STATUS', 'TEAM', 'MONTH'] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

/** The cases a report covers: received in [from, to), narrowed by the optional lists. */
export interface ReportFilter {
  from: Date;
  to: Date;
  kinds?: readonly CaseKind[];
  channels?: readonly Channel[];
  statuses?: readonly CaseStatus[];
  complaintClasses?: readonly ComplaintClass[];
  /** Team codes (cases.assignee). */
  teams?: readonly string[];
}

/** The longest range one report covers (five years, leap days included). */
export const MAX_REPORT_RANGE_MS = (5 * 365 + 2) * 24 * 3_600_000;

/** Refuses a range that is empty, reversed, invalid or longer than five years (BAD_USER_INPUT with the field). */
export function assertReportRange(from: Date, to: Date): void {
  if (Number.isNaN(from.getTime())) throw ValidationError.single('from', 'is not a valid instant');
  if (Number.isNaN(to.getTime())) throw ValidationError.single('to', 'is not a valid instant');
  if (to.getTime() <= from.getTime()) throw ValidationError.single('to', 'must be after from');
  if (to.getTime() - from.getTime() > MAX_REPORT_RANGE_MS) throw ValidationError.single('to', 'the range may cover at most five years');
}

/** Each dimension once, in the order first given. */
export function normalizeGroupBy(groupBy: readonly ReportDimension[]): ReportDimension[] {
  return [...new Set(groupBy)];
}
