import express, { Request, Response } from 'express';
import { Logger } from 'pino';
import { Principal } from '../../domain/access/roles';
import { CASE_KINDS, CASE_STATUSES, CHANNELS, COMPLAINT_CLASSES } from '../../domain/case/case-types';
import { CaseReportLine } from '../../domain/reports/case-report.service';
import { ReportFilter } from '../../domain/reports/report-filter';
import { DomainError, ForbiddenError, RateLimitedError, ValidationError } from '../../domain/shared/domain-error';
import { localDateOf, toZonedParts } from '../../domain/sla/time-zone';
import { csvLine, UTF8_BOM } from './csv';
import { tooManyRequests } from './too-many-requests';
import { answeredUnavailable, UnavailableCheck } from './service-unavailable';

export interface ReportRoutesDeps {
  authenticate: (req: Request) => Promise<Principal | null>;
  /** The checked case list (role, range), read page by page as it is pulled. */
  caseList: (p: Principal, filter: ReportFilter) => Promise<{ timeZone: string; lines: AsyncIterable<CaseReportLine> }>;
  log: Logger;
  /** Whether an error means the database is away for now (answered 503 with Retry-After). */
  unavailable?: UnavailableCheck;
}

/** The columns, in Bahasa Indonesia; times in the office time zone (WIB), hours as decimals with a point. */
export const CASE_CSV_HEADERS = [
  'Nomor Referensi', 'Jenis', 'Kanal', 'Klasifikasi', 'Status', 'Tim', 'Perihal', 'Diterima', 'Mulai Dihitung', 'Batas Waktu', 'Dijawab',
  'Tepat Waktu', 'Jam Kerja Penanganan', 'Jam Jeda',
] as const;

export const UNASSIGNED_TEAM = '(belum ditugaskan)';

/** Flushed to the socket in chunks of about this many characters. */
const CHUNK_CHARS = 16 * 1024;

const pad = (n: number): string => String(n).padStart(2, '0');

/** "2026-12-07 16:00" on the office's wall clock: a date-time every spreadsheet program reads as one. */
export function wallTime(at: Date | null, timeZone: string): string | null {
  if (!at) return null;
  const p = toZonedParts(at, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

const hours = (h: number | null): string | null => (h === null ? null : h.toFixed(2));

/** One case as a CSV record: no requester, contact, NIK, channel details, notes or access code, ever. */
export function caseCsvLine(l: CaseReportLine, timeZone: string): string {
  return csvLine([
    l.reference,
    l.kind,
    l.channel,
    l.complaintClass,
    l.status,
    l.team ?? UNASSIGNED_TEAM,
    l.subject,
    wallTime(l.receivedAt, timeZone),
    wallTime(l.clockStartedAt, timeZone),
    wallTime(l.dueAt, timeZone),
    wallTime(l.answeredAt, timeZone),
    l.answeredOnTime === null ? null : l.answeredOnTime ? 'Ya' : 'Tidak',
    hours(l.handlingHours),
    hours(l.pausedWorkingMinutes / 60),
  ]);
}

const fail = (res: Response, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void => {
  res.status(status).json({ errors: [{ message, extensions: { code, ...extra } }] });
};

/** A query parameter's values: repeated (`kind=A&kind=B`) or comma-separated (`kind=A,B`). */
function listParam(req: Request, name: string): string[] | undefined {
  const raw = req.query[name];
  if (raw === undefined) return undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [null]));
  if (parts.some((v) => v === null)) throw ValidationError.single(name, 'is not a list of values');
  const values = (parts as string[]).map((v) => v.trim()).filter((v) => v.length > 0);
  return values.length ? values : undefined;
}

function enumParam<T extends string>(req: Request, name: string, allowed: readonly T[]): T[] | undefined {
  const values = listParam(req, name);
  const wrong = values?.find((v) => !allowed.includes(v as T));
  if (wrong !== undefined) throw ValidationError.single(name, `must be one of ${allowed.join(', ')}`);
  return values as T[] | undefined;
}

function instantParam(req: Request, name: string): Date {
  const raw = req.query[name];
  // An instant with its offset (2026-01-01T00:00:00+07:00), as the GraphQL DateTime takes it.
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw ValidationError.single(name, 'must be an ISO 8601 instant with offset');
  }
  return new Date(raw);
}

/** The filter of GET /reports/cases.csv: the same as caseStatistics (from, to, kind, channel, status, complaintClass, team). */
export function reportFilterFrom(req: Request): ReportFilter {
  return {
    from: instantParam(req, 'from'),
    to: instantParam(req, 'to'),
    kinds: enumParam(req, 'kind', CASE_KINDS),
    channels: enumParam(req, 'channel', CHANNELS),
    statuses: enumParam(req, 'status', CASE_STATUSES),
    complaintClasses: enumParam(req, 'complaintClass', COMPLAINT_CLASSES),
    teams: listParam(req, 'team'),
  };
}

/** Resolves when the response can take more (or is gone: then `closed` says so). */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * GET /reports/cases.csv?from=&to=[&kind=&channel=&status=&complaintClass=&team=]: the cases of a
 * report for supervisors and admins, streamed as they are read in pages (a slow download stops
 * the reading: res.write() returning false waits for 'drain'), UTF-8 with a BOM, Indonesian
 * headers. It carries no personal data for anyone, so nothing here is an identity view.
 */
export function reportRoutes(deps: ReportRoutesDeps): express.Router {
  const router = express.Router();
  router.get('/reports/cases.csv', async (req, res) => {
    let p: Principal | null;
    try {
      p = await deps.authenticate(req);
    } catch (err) {
      if (err instanceof RateLimitedError) return tooManyRequests(res, err.retryAfterSeconds);
      if (answeredUnavailable(err, req, res, deps.unavailable, deps.log)) return;
      if (err instanceof DomainError) return fail(res, 401, 'UNAUTHENTICATED', 'Autentikasi diperlukan atau tidak berlaku');
      throw err;
    }
    if (!p) return fail(res, 401, 'UNAUTHENTICATED', 'Autentikasi diperlukan atau tidak berlaku');
    let list: Awaited<ReturnType<ReportRoutesDeps['caseList']>>;
    let filter: ReportFilter;
    try {
      filter = reportFilterFrom(req);
      list = await deps.caseList(p, filter);
    } catch (err) {
      if (err instanceof ForbiddenError) return fail(res, 403, 'FORBIDDEN', 'Anda tidak berwenang melakukan ini');
      if (err instanceof ValidationError) {
        return fail(res, 400, 'BAD_USER_INPUT', `Data tidak valid: ${err.problems.map((x) => x.field).join(', ')}`, { field: err.problems[0]?.field, problems: err.problems });
      }
      if (answeredUnavailable(err, req, res, deps.unavailable, deps.log)) return;
      deps.log.error({ err: { type: (err as Error).name, message: (err as Error).message } }, 'case report failed');
      return fail(res, 500, 'INTERNAL_SERVER_ERROR', 'Terjadi kesalahan internal');
    }
    const { timeZone, lines } = list;
    const name = `laporan-kasus-${localDateOf(filter.from, timeZone)}-sd-${localDateOf(new Date(filter.to.getTime() - 1), timeZone)}.csv`;
    res.status(200);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${name}"`);
    res.setHeader('cache-control', 'private, no-store');
    let closed = false;
    res.on('close', () => (closed = true));
    let chunk = UTF8_BOM + csvLine(CASE_CSV_HEADERS);
    try {
      for await (const line of lines) {
        if (closed) break; // the client went away: stop reading pages
        chunk += caseCsvLine(line, timeZone);
        if (chunk.length < CHUNK_CHARS) continue;
        const more = res.write(chunk);
        chunk = '';
        if (!more) await drained(res);
      }
      if (!closed) res.end(chunk);
    } catch (err) {
      // Headers are out: the download is cut off, which the client sees as an incomplete file.
      if (answeredUnavailable(err, req, res, deps.unavailable, deps.log)) return;
      deps.log.error({ err: { type: (err as Error).name, message: (err as Error).message } }, 'case report stream failed');
      res.destroy();
    }
  });
  return router;
}
