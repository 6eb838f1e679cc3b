import { mayReadReports } from '../access/access-policy';
import { Principal } from '../access/roles';
import { WorkingTime } from '../case/case';
import { Clock } from '../shared/clock.port';
import { ForbiddenError } from '../shared/domain-error';
import { AnsweredClock, CaseReportRecord, CaseReportRepository, GroupCounts, GroupKey, ReportCursor, ReportPage } from './case-report-repository.port';
import { percentile } from './percentile';
import { assertReportRange, normalizeGroupBy, ReportDimension, ReportFilter } from './report-filter';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** Working time on the office calendar, and its time zone (for MONTH). */
export interface ReportCalendar {
  calculator(): Promise<WorkingTime & { timeZone: string }>;
}

/** One group of caseStatistics; see the GraphQL descriptions for each figure's definition. */
export interface CaseStatisticsGroup {
  key: GroupKey;
  received: number;
  answered: number;
  answeredOnTime: number;
  openNow: number;
  overdueNow: number;
  /** Over the answered cases with a started clock; null when there are none. */
  medianHandlingHours: number | null;
  p90HandlingHours: number | null;
  pausedHours: number;
}

export interface CaseStatistics {
  from: Date;
  to: Date;
  generatedAt: Date;
  groupBy: ReportDimension[];
  groups: CaseStatisticsGroup[];
  total: CaseStatisticsGroup;
}

/** A case of the case list with what the report derives from it. */
export interface CaseReportLine extends CaseReportRecord {
  /** Answered at or before the deadline in force; null while not answered or without a deadline. */
  answeredOnTime: boolean | null;
  /** Working hours from clock start to answer, less the paused working time; null while not answered. */
  handlingHours: number | null;
}

/**
 * Handling time of one answered case in working milliseconds: office time from clock start to
 * the answer, less the working time the clock stood still; never negative. Null without a clock.
 */
export function handlingMs(time: WorkingTime, c: { clockStartedAt: Date | null; answeredAt: Date; pausedWorkingMinutes: number }): number | null {
  if (!c.clockStartedAt) return null;
  return Math.max(0, time.workingMsBetween(c.clockStartedAt, c.answeredAt) - c.pausedWorkingMinutes * MINUTE_MS);
}

/** Rounded to hundredths of an hour for people (36 seconds). */
const hours = (ms: number): number => Math.round((ms / HOUR_MS) * 100) / 100;

const keyOf = (groupBy: readonly ReportDimension[], key: GroupKey): string => {
  const field: Record<ReportDimension, keyof GroupKey> = { CHANNEL: 'channel', KIND: 'kind', COMPLAINT_CLASS: 'complaintClass', STATUS: 'status', TEAM: 'team', MONTH: 'month' };
  return JSON.stringify(groupBy.map((d) => key[field[d]] ?? null));
};

/**
 * Reports on the bureau's promises, for supervisors and admins: counts come from SQL, handling
 * times are computed here on the office calendar from answered cases read page by page (only
 * one number per answered case is kept, for exact percentiles).
 */
export class CaseReportService {
  constructor(
    private readonly repo: CaseReportRepository,
    private readonly calendar: ReportCalendar,
    private readonly clock: Clock,
    private readonly pageSize = 500,
  ) {}

  async statistics(p: Principal, filter: ReportFilter, groupByIn: readonly ReportDimension[]): Promise<CaseStatistics> {
    this.assertMayReport(p, 'Query.caseStatistics');
    assertReportRange(filter.from, filter.to);
    const groupBy = normalizeGroupBy(groupByIn);
    const now = this.clock.now();
    const time = await this.calendar.calculator();
    const counts = await this.repo.countGroups(filter, groupBy, now, time.timeZone);
    const handling = new Map<string, number[]>();
    const all: number[] = [];
    let after: ReportCursor | null = null;
    for (;;) {
      const page: ReportPage<AnsweredClock> = await this.repo.answeredClocks(filter, groupBy, time.timeZone, after, this.pageSize);
      for (const row of page.rows) {
        const ms = handlingMs(time, row);
        if (ms === null) continue;
        const k = keyOf(groupBy, row.key);
        const list = handling.get(k) ?? [];
        list.push(ms);
        handling.set(k, list);
        all.push(ms);
      }
      if (page.rows.length < this.pageSize || !page.last) break;
      after = page.last;
    }
    const groups = counts.map((c) => this.group(c, handling.get(keyOf(groupBy, c.key)) ?? []));
    const sum = (f: (g: GroupCounts) => number): number => counts.reduce((s, g) => s + f(g), 0);
    const total = this.group(
      {
        key: {},
        received: sum((g) => g.received),
        answered: sum((g) => g.answered),
        answeredOnTime: sum((g) => g.answeredOnTime),
        openNow: sum((g) => g.openNow),
        overdueNow: sum((g) => g.overdueNow),
        pausedWorkingMinutes: sum((g) => g.pausedWorkingMinutes),
      },
      all,
    );
    return { from: filter.from, to: filter.to, generatedAt: now, groupBy, groups, total };
  }

  /**
   * The case list of a report, checked (role, range) and with the calendar loaded before the
   * first row is read, so a refusal comes before any output. Rows are read `pageSize` at a time
   * as the consumer pulls them: a consumer that waits (a slow download) stops the reading.
   */
  async caseList(p: Principal, filter: ReportFilter): Promise<{ timeZone: string; lines: AsyncIterable<CaseReportLine> }> {
    this.assertMayReport(p, 'GET /reports/cases.csv');
    assertReportRange(filter.from, filter.to);
    const time = await this.calendar.calculator();
    const { repo, pageSize } = this;
    async function* lines(): AsyncGenerator<CaseReportLine> {
      let after: ReportCursor | null = null;
      for (;;) {
        const page: ReportPage<CaseReportRecord> = await repo.casePage(filter, after, pageSize);
        for (const r of page.rows) yield toLine(time, r);
        if (page.rows.length < pageSize || !page.last) return;
        after = page.last;
      }
    }
    return { timeZone: time.timeZone, lines: lines() };
  }

  private assertMayReport(p: Principal, operation: string): void {
    if (!mayReadReports(p)) throw new ForbiddenError(operation);
  }

  private group(c: GroupCounts, handling: number[]): CaseStatisticsGroup {
    const sorted = Float64Array.from(handling).sort();
    const q = (p: number): number | null => {
      const v = percentile(sorted, p);
      return v === null ? null : hours(v);
    };
    return {
      key: c.key,
      received: c.received,
      answered: c.answered,
      answeredOnTime: c.answeredOnTime,
      openNow: c.openNow,
      overdueNow: c.overdueNow,
      medianHandlingHours: q(0.5),
      p90HandlingHours: q(0.9),
      pausedHours: hours(c.pausedWorkingMinutes * MINUTE_MS),
    };
  }
}

function toLine(time: WorkingTime, r: CaseReportRecord): CaseReportLine {
  const ms = r.answeredAt ? handlingMs(time, { clockStartedAt: r.clockStartedAt, answeredAt: r.answeredAt, pausedWorkingMinutes: r.pausedWorkingMinutes }) : null;
  return {
    ...r,
    answeredOnTime: r.answeredAt && r.dueAt ? r.answeredAt.getTime() <= r.dueAt.getTime() : null,
    handlingHours: ms === null ? null : hours(ms),
  };
}
