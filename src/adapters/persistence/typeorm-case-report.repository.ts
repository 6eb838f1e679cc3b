import { DataSource } from 'typeorm';
import { CaseKind, CaseStatus, Channel, ComplaintClass } from '../../domain/case/case-types';
import {
  AnsweredClock,
  CaseReportRecord,
  CaseReportRepository,
  GroupCounts,
  GroupKey,
  ReportCursor,
  ReportPage,
} from '../../domain/reports/case-report-repository.port';
import { ReportDimension, ReportFilter } from '../../domain/reports/report-filter';

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- raw rows, mapped right below

/** Not terminal: the clock may still run (WAITING: stopped for now). */
const OPEN_NOW = `('INCOMPLETE', 'RECEIVED', 'IN_PROGRESS', 'WAITING')`;
const ANSWERED = `(c.status IN ('ANSWERED', 'CLOSED') AND c.answer IS NOT NULL)`;
const ANSWERED_AT = `(c.answer ->> 'answeredAt')::timestamptz`;
/** The stored instant to the microsecond, as the keyset cursor keeps it. */
const CURSOR_AT = `to_char(c.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** SQL of each dimension (MONTH uses the parameter holding the office time zone). */
const DIMENSION_SQL: Record<ReportDimension, (tz: string) => string> = {
  CHANNEL: () => 'c.channel',
  KIND: () => 'c.kind',
  COMPLAINT_CLASS: () => 'c.complaint_class',
  STATUS: () => 'c.status',
  TEAM: () => 'c.assignee',
  MONTH: (tz) => `to_char(c.received_at AT TIME ZONE ${tz}, 'YYYY-MM')`,
};

const DIMENSION_COLUMN: Record<ReportDimension, string> = {
  CHANNEL: 'd_channel', KIND: 'd_kind', COMPLAINT_CLASS: 'd_complaint_class', STATUS: 'd_status', TEAM: 'd_team', MONTH: 'd_month',
};

/** Positional parameters collected while the SQL is built. */
class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** The grouped columns; the time zone becomes a parameter only when MONTH uses it (an unused one has no type). */
function dimensions(groupBy: readonly ReportDimension[], timeZone: string, p: Params): string[] {
  let tz: string | null = null;
  const tzParam = (): string => (tz ??= `${p.add(timeZone)}::text`);
  return groupBy.map((d) => `${d === 'MONTH' ? DIMENSION_SQL.MONTH(tzParam()) : DIMENSION_SQL[d]('')} AS ${DIMENSION_COLUMN[d]}`);
}

function where(f: ReportFilter, p: Params): string {
  const w = [`c.received_at >= ${p.add(f.from.toISOString())}::timestamptz`, `c.received_at < ${p.add(f.to.toISOString())}::timestamptz`];
  const list = (column: string, values: readonly string[] | undefined): void => {
    if (values?.length) w.push(`${column} = ANY(${p.add([...values])}::text[])`);
  };
  list('c.kind', f.kinds);
  list('c.channel', f.channels);
  list('c.status', f.statuses);
  list('c.complaint_class', f.complaintClasses);
  list('c.assignee', f.teams);
  return w.join(' AND ');
}

function after(cursor: ReportCursor | null, p: Params): string {
  if (!cursor) return '';
  return ` AND (c.received_at, c.id) > (${p.add(cursor.receivedAt)}::timestamptz, ${p.add(cursor.id)}::uuid)`;
}

function keyOf(groupBy: readonly ReportDimension[], r: Row): GroupKey {
  const key: GroupKey = {};
  for (const d of groupBy) {
    const v = r[DIMENSION_COLUMN[d]] as string | null;
    switch (d) {
      case 'CHANNEL': key.channel = v as Channel; break;
      case 'KIND': key.kind = v as CaseKind; break;
      case 'COMPLAINT_CLASS': key.complaintClass = v as ComplaintClass | null; break;
      case 'STATUS': key.status = v as CaseStatus; break;
      case 'TEAM': key.team = v; break;
      case 'MONTH': key.month = v as string; break;
    }
  }
  return key;
}

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));

/** Report queries over `cases`: GROUP BY for the counts, keyset pages in (received_at, id) order for rows. */
export class TypeormCaseReportRepository implements CaseReportRepository {
  constructor(private readonly ds: DataSource) {}

  async countGroups(filter: ReportFilter, groupBy: readonly ReportDimension[], now: Date, timeZone: string): Promise<GroupCounts[]> {
    const p = new Params();
    const dims = dimensions(groupBy, timeZone, p);
    const nowParam = p.add(now.toISOString());
    const sql = `SELECT ${[...dims, ''].join(', ')}
        count(*)::int AS received,
        count(*) FILTER (WHERE ${ANSWERED})::int AS answered,
        count(*) FILTER (WHERE ${ANSWERED} AND c.due_at IS NOT NULL AND ${ANSWERED_AT} <= c.due_at)::int AS answered_on_time,
        count(*) FILTER (WHERE c.status IN ${OPEN_NOW})::int AS open_now,
        count(*) FILTER (WHERE c.status IN ${OPEN_NOW} AND c.due_at < ${nowParam}::timestamptz)::int AS overdue_now,
        COALESCE(sum(c.paused_working_minutes), 0)::bigint AS paused_minutes
      FROM cases c WHERE ${where(filter, p)}
      ${groupBy.length ? `GROUP BY ${groupBy.map((_, i) => i + 1).join(', ')} ORDER BY ${groupBy.map((_, i) => `${i + 1} NULLS LAST`).join(', ')}` : ''}`;
    const rows = (await this.ds.query(sql, p.values)) as Row[];
    return rows
      .filter((r) => groupBy.length > 0 || Number(r.received) > 0)
      .map((r) => ({
        key: keyOf(groupBy, r),
        received: Number(r.received),
        answered: Number(r.answered),
        answeredOnTime: Number(r.answered_on_time),
        openNow: Number(r.open_now),
        overdueNow: Number(r.overdue_now),
        pausedWorkingMinutes: Number(r.paused_minutes),
      }));
  }

  async answeredClocks(
    filter: ReportFilter,
    groupBy: readonly ReportDimension[],
    timeZone: string,
    cursor: ReportCursor | null,
    limit: number,
  ): Promise<ReportPage<AnsweredClock>> {
    const p = new Params();
    const dims = dimensions(groupBy, timeZone, p);
    const sql = `SELECT ${[...dims, ''].join(', ')} c.id::text AS id, ${CURSOR_AT} AS cursor_at,
        c.clock_started_at, ${ANSWERED_AT} AS answered_at, c.paused_working_minutes
      FROM cases c WHERE ${where(filter, p)} AND ${ANSWERED}${after(cursor, p)}
      ORDER BY c.received_at, c.id LIMIT ${p.add(limit)}::int`;
    const rows = (await this.ds.query(sql, p.values)) as Row[];
    return {
      rows: rows.map((r) => ({
        key: keyOf(groupBy, r),
        clockStartedAt: date(r.clock_started_at),
        answeredAt: date(r.answered_at) as Date,
        pausedWorkingMinutes: Number(r.paused_working_minutes),
      })),
      last: lastCursor(rows),
    };
  }

  async casePage(filter: ReportFilter, cursor: ReportCursor | null, limit: number): Promise<ReportPage<CaseReportRecord>> {
    const p = new Params();
    // Only what the report shows: never the requester, channel details, notes or the access code.
    const sql = `SELECT c.id::text AS id, ${CURSOR_AT} AS cursor_at, c.reference, c.kind, c.channel, c.complaint_class, c.status, c.assignee,
        c.subject, c.received_at, c.clock_started_at, c.due_at, CASE WHEN ${ANSWERED} THEN ${ANSWERED_AT} END AS answered_at,
        c.paused_working_minutes
      FROM cases c WHERE ${where(filter, p)}${after(cursor, p)}
      ORDER BY c.received_at, c.id LIMIT ${p.add(limit)}::int`;
    const rows = (await this.ds.query(sql, p.values)) as Row[];
    return {
      rows: rows.map((r) => ({
        id: r.id,
        reference: r.reference,
        kind: r.kind,
        channel: r.channel,
        complaintClass: r.complaint_class,
        status: r.status,
        team: r.assignee,
        subject: r.subject,
        receivedAt: date(r.received_at) as Date,
        clockStartedAt: date(r.clock_started_at),
        dueAt: date(r.due_at),
        answeredAt: date(r.answered_at),
        pausedWorkingMinutes: Number(r.paused_working_minutes),
      })),
      last: lastCursor(rows),
    };
  }
}

function lastCursor(rows: Row[]): ReportCursor | null {
  const last = rows[rows.length - 1];
  return last ? { receivedAt: String(last.cursor_at), id: String(last.id) } : null;
}
