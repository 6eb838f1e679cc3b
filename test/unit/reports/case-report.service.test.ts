import { Principal, Role } from '../../../src/domain/access/roles';
import {
  AnsweredClock,
  CaseReportRecord,
  CaseReportRepository,
  GroupCounts,
  ReportCursor,
  ReportPage,
} from '../../../src/domain/reports/case-report-repository.port';
import { CaseReportService } from '../../../src/domain/reports/case-report.service';
import { ReportFilter } from '../../../src/domain/reports/report-filter';
import { ForbiddenError, ValidationError } from '../../../src/domain/shared/domain-error';

const H = 3_600_000;
const principal = (role: Role): Principal => ({ id: `u-${role}`, name: role, kind: 'USER', role, scopes: [], team: null, credentialId: 'c' });
const t0 = new Date('2026-11-02T00:00:00Z');
const at = (h: number): Date => new Date(t0.getTime() + h * H);
/** Working time is wall time in this fake (the real calendar is tested with the integration fixture). */
const calendar = { calculator: async () => ({ timeZone: 'Asia/Pontianak', workingMsBetween: (a: Date, b: Date) => b.getTime() - a.getTime(), addWorkingMs: (a: Date, ms: number) => new Date(a.getTime() + ms) }) };
const clock = { now: () => new Date('2026-12-01T00:00:00Z') };
const filter: ReportFilter = { from: new Date('2026-11-01T00:00:00+07:00'), to: new Date('2026-12-01T00:00:00+07:00') };

/** Answered clocks and cases in memory, served in pages; records every page asked for. */
class FakeRepo implements CaseReportRepository {
  readonly pages: { after: ReportCursor | null; limit: number; returned: number }[] = [];
  constructor(
    private readonly counts: GroupCounts[],
    private readonly clocks: (AnsweredClock & { id: string })[],
    private readonly records: CaseReportRecord[] = [],
  ) {}
  async countGroups(): Promise<GroupCounts[]> {
    return this.counts;
  }
  private page<T extends { id: string }>(all: T[], after: ReportCursor | null, limit: number): ReportPage<T> {
    const start = after ? all.findIndex((r) => r.id === after.id) + 1 : 0;
    const rows = all.slice(start, start + limit);
    this.pages.push({ after, limit, returned: rows.length });
    const last = rows[rows.length - 1];
    return { rows, last: last ? { receivedAt: 'x', id: last.id } : null };
  }
  async answeredClocks(_f: ReportFilter, _g: unknown, _tz: string, after: ReportCursor | null, limit: number): Promise<ReportPage<AnsweredClock>> {
    return this.page(this.clocks, after, limit);
  }
  async casePage(_f: ReportFilter, after: ReportCursor | null, limit: number): Promise<ReportPage<CaseReportRecord>> {
    return this.page(this.records, after, limit);
  }
}

const counts = (key: GroupCounts['key'], n: Partial<GroupCounts>): GroupCounts => ({
  key, received: 0, answered: 0, answeredOnTime: 0, openNow: 0, overdueNow: 0, pausedWorkingMinutes: 0, ...n,
});

describe('CaseReportService', () => {
  it('computes handling hours per group and in total from answered clocks read in pages, less the paused time', async () => {
    // PHONE: 1 h, 2 h, 4 h (the 4 h one paused 60 min of 5 h); EMAIL: 10 h; one without a clock is left out.
    const clocks = [
      { id: 'a', key: { channel: 'PHONE' as const }, clockStartedAt: at(0), answeredAt: at(1), pausedWorkingMinutes: 0 },
      { id: 'b', key: { channel: 'EMAIL' as const }, clockStartedAt: at(0), answeredAt: at(10), pausedWorkingMinutes: 0 },
      { id: 'c', key: { channel: 'PHONE' as const }, clockStartedAt: at(0), answeredAt: at(5), pausedWorkingMinutes: 60 },
      { id: 'd', key: { channel: 'PHONE' as const }, clockStartedAt: at(0), answeredAt: at(2), pausedWorkingMinutes: 0 },
      { id: 'e', key: { channel: 'PHONE' as const }, clockStartedAt: null, answeredAt: at(2), pausedWorkingMinutes: 0 },
    ];
    const repo = new FakeRepo(
      [counts({ channel: 'EMAIL' }, { received: 2, answered: 1, answeredOnTime: 1, openNow: 1 }), counts({ channel: 'PHONE' }, { received: 5, answered: 4, answeredOnTime: 2, openNow: 1, overdueNow: 1, pausedWorkingMinutes: 90 })],
      clocks,
    );
    const service = new CaseReportService(repo, calendar, clock, 2);
    const s = await service.statistics(principal('SUPERVISOR'), filter, ['CHANNEL', 'CHANNEL']);
    expect(s.groupBy).toEqual(['CHANNEL']);
    expect(s.groups.map((g) => [g.key.channel, g.medianHandlingHours, g.p90HandlingHours, g.pausedHours])).toEqual([
      ['EMAIL', 10, 10, 0],
      // sorted 1, 2, 4: median 2; p90 rank 1.8 -> 2 + 0.8 * 2 = 3.6
      ['PHONE', 2, 3.6, 1.5],
    ]);
    // total: 1, 2, 4, 10: median 3; p90 rank 2.7 -> 4 + 0.7 * 6 = 8.2
    expect(s.total).toMatchObject({ received: 7, answered: 5, answeredOnTime: 3, openNow: 2, overdueNow: 1, medianHandlingHours: 3, p90HandlingHours: 8.2, pausedHours: 1.5 });
    // Pages of 2: 2, 2, 1, each starting after the previous page's last row.
    expect(repo.pages.map((p) => [p.after?.id ?? null, p.limit, p.returned])).toEqual([[null, 2, 2], ['b', 2, 2], ['d', 2, 1]]);
  });

  it('no answered cases: no handling figures', async () => {
    const s = await new CaseReportService(new FakeRepo([], []), calendar, clock).statistics(principal('ADMIN'), filter, []);
    expect(s.groups).toEqual([]);
    expect(s.total).toMatchObject({ received: 0, medianHandlingHours: null, p90HandlingHours: null, pausedHours: 0 });
  });

  it('refuses other roles and a bad range, before reading anything', async () => {
    const repo = new FakeRepo([], []);
    const service = new CaseReportService(repo, calendar, clock);
    for (const role of ['CLERK', 'HANDLER', 'COMPLAINT_OFFICER', 'INTEGRATION'] as Role[]) {
      await expect(service.statistics(principal(role), filter, [])).rejects.toBeInstanceOf(ForbiddenError);
      await expect(service.caseList(principal(role), filter)).rejects.toBeInstanceOf(ForbiddenError);
    }
    const refused = async (f: ReportFilter): Promise<string | undefined> => {
      try {
        await service.statistics(principal('ADMIN'), f, []);
      } catch (err) {
        if (err instanceof ValidationError) return err.problems[0]?.field;
        throw err;
      }
      return undefined;
    };
    expect(await refused({ from: filter.to, to: filter.from })).toBe('to');
    expect(await refused({ from: filter.from, to: filter.from })).toBe('to');
    expect(await refused({ from: new Date('2020-01-01T00:00:00Z'), to: new Date('2025-01-02T00:00:00Z') })).toBe('to');
    expect(await refused({ from: new Date('x'), to: filter.to })).toBe('from');
    expect(repo.pages).toEqual([]);
    // Five years exactly is allowed.
    expect(await refused({ from: new Date('2021-01-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z') })).toBeUndefined();
  });

  it('the case list reads page by page as it is consumed, and stops reading when the consumer stops', async () => {
    const record = (id: string, h: number, answered: boolean): CaseReportRecord => ({
      id, reference: `R-${id}`, kind: 'COMPLAINT', channel: 'PHONE', complaintClass: 'LIGHT', status: answered ? 'ANSWERED' : 'RECEIVED', team: null, subject: 's',
      receivedAt: at(0), clockStartedAt: at(0), dueAt: at(3), answeredAt: answered ? at(h) : null, pausedWorkingMinutes: answered ? 30 : 0,
    });
    const records = [record('1', 2, true), record('2', 4, true), record('3', 0, false), record('4', 1, true), record('5', 1, true)];
    const repo = new FakeRepo([], [], records);
    const { lines } = await new CaseReportService(repo, calendar, clock, 2).caseList(principal('SUPERVISOR'), filter);
    expect(repo.pages).toEqual([]); // nothing read before the first row is pulled
    const seen: unknown[] = [];
    for await (const l of lines) {
      seen.push([l.id, l.answeredOnTime, l.handlingHours]);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([['1', true, 1.5], ['2', false, 3.5], ['3', null, null]]);
    expect(repo.pages.map((p) => p.after?.id ?? null)).toEqual([null, '2']);
  });
});
