import { CaseKind, CaseStatus, Channel, ComplaintClass } from '../case/case-types';
import { ReportDimension, ReportFilter } from './report-filter';

/** The value of each grouped dimension; a dimension not grouped by is absent. */
export interface GroupKey {
  channel?: Channel;
  kind?: CaseKind;
  complaintClass?: ComplaintClass | null;
  status?: CaseStatus;
  /** Team code; null for cases not assigned. */
  team?: string | null;
  /** Month of receipt in the office time zone, "2026-11". */
  month?: string;
}

/** What SQL counts per group. */
export interface GroupCounts {
  key: GroupKey;
  received: number;
  answered: number;
  answeredOnTime: number;
  openNow: number;
  overdueNow: number;
  pausedWorkingMinutes: number;
}

/** An answered case's clock, for its handling time in working hours. */
export interface AnsweredClock {
  key: GroupKey;
  clockStartedAt: Date | null;
  answeredAt: Date;
  pausedWorkingMinutes: number;
}

/** One case of the case list (GET /reports/cases.csv): no personal data at all. */
export interface CaseReportRecord {
  id: string;
  reference: string;
  kind: CaseKind;
  channel: Channel;
  complaintClass: ComplaintClass | null;
  status: CaseStatus;
  team: string | null;
  subject: string;
  receivedAt: Date;
  clockStartedAt: Date | null;
  dueAt: Date | null;
  answeredAt: Date | null;
  pausedWorkingMinutes: number;
}

/**
 * Keyset position in the (receivedAt, id) order reports read in; opaque to the domain (the
 * store keeps the exact stored instant, finer than a Date, so no row is skipped or read twice).
 */
export interface ReportCursor {
  receivedAt: string;
  id: string;
}

/** One page of a paged read, and where the next one starts (null: nothing read). */
export interface ReportPage<T> {
  rows: T[];
  last: ReportCursor | null;
}

/** Paged reads over the cases a report covers; a page never holds more than `limit` rows. */
export interface CaseReportRepository {
  /** Counts per group (groupBy [] gives one group). `timeZone` decides MONTH. */
  countGroups(filter: ReportFilter, groupBy: readonly ReportDimension[], now: Date, timeZone: string): Promise<GroupCounts[]>;
  /** The answered cases' clocks after `after`, in (receivedAt, id) order, with the cursor of the last one. */
  answeredClocks(
    filter: ReportFilter,
    groupBy: readonly ReportDimension[],
    timeZone: string,
    after: ReportCursor | null,
    limit: number,
  ): Promise<ReportPage<AnsweredClock>>;
  /** The cases after `after`, in (receivedAt, id) order. */
  casePage(filter: ReportFilter, after: ReportCursor | null, limit: number): Promise<ReportPage<CaseReportRecord>>;
}
