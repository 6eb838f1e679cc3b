import express from 'express';
import { Logger } from 'pino';
import { mayCall, mayReadAccessCode, maySeeIdentity } from '../../domain/access/access-policy';
import { Principal } from '../../domain/access/roles';
import { CaseProps } from '../../domain/case/case';
import { ReceiptContent, receiptContent, ReceiptExtras } from '../../domain/notifications/receipt-text';
import { DomainError, RateLimitedError } from '../../domain/shared/domain-error';
import { tooManyRequests } from './too-many-requests';
import { answeredUnavailable, UnavailableCheck } from './service-unavailable';

export interface ReceiptRouteDeps {
  authenticate: (req: express.Request) => Promise<Principal | null>;
  /** The case if it exists and `p` may see it (a handler's other teams' cases are not found). */
  findCase: (id: string, p: Principal) => Promise<CaseProps | null>;
  recordIdentityViews: (p: Principal, caseIds: string[]) => Promise<void>;
  now: () => Date;
  /** Where the citizen looks up the status (`${LOKET_PUBLIC_URL}/status`). */
  statusPageUrl: string;
  /** The office hours of the working calendar. */
  officeHours: () => Promise<ReceiptExtras['officeHours']>;
  /** Renders the receipt (the PDF adapter), injected so this route stays about HTTP. */
  render: (content: ReceiptContent) => Promise<Buffer>;
  log: Logger;
  /** Whether an error means the database is away for now (answered 503 with Retry-After). */
  unavailable?: UnavailableCheck;
}

const fail = (res: express.Response, status: number, code: string, message: string): void => {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
};

/**
 * GET /cases/:id/receipt.pdf: the printable receipt (Tanda Terima). Same credentials and
 * reading rule as `Query.case`; the requester's name is printed only for callers who may see
 * the identity, and printing it is recorded like any other view of personal data; the access
 * code only for callers who may read it.
 */
export function receiptRoute(deps: ReceiptRouteDeps): express.Router {
  const router = express.Router();
  router.get('/cases/:id/receipt.pdf', async (req, res) => {
    let p: Principal | null;
    try {
      p = await deps.authenticate(req);
    } catch (err) {
      if (err instanceof RateLimitedError) return tooManyRequests(res, err.retryAfterSeconds);
      if (err instanceof DomainError && err.code === 'UNAUTHENTICATED') return fail(res, 401, 'UNAUTHENTICATED', 'Autentikasi diperlukan atau tidak berlaku');
      if (answeredUnavailable(err, req, res, deps.unavailable, deps.log)) return;
      throw err;
    }
    if (!p) return fail(res, 401, 'UNAUTHENTICATED', 'Autentikasi diperlukan atau tidak berlaku');
    if (!mayCall(p, 'Query.case')) return fail(res, 403, 'FORBIDDEN', 'Anda tidak berwenang melakukan ini');
    try {
      const c = await deps.findCase(String(req.params.id), p);
      if (!c) return fail(res, 404, 'CASE_NOT_FOUND', 'Kasus tidak ditemukan');
      const showIdentity = !!c.requester && maySeeIdentity(p, c);
      const extras: ReceiptExtras = { showAccessCode: mayReadAccessCode(p), statusPageUrl: deps.statusPageUrl, officeHours: await deps.officeHours() };
      const pdf = await deps.render(receiptContent(c, showIdentity, deps.now(), extras));
      if (showIdentity) await deps.recordIdentityViews(p, [c.id]);
      res
        .status(200)
        .type('application/pdf')
        .setHeader('content-disposition', `inline; filename="tanda-terima-${c.reference}.pdf"`)
        .setHeader('cache-control', 'no-store')
        .send(pdf);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'VALIDATION_FAILED') return fail(res, 404, 'CASE_NOT_FOUND', 'Kasus tidak ditemukan');
      if (answeredUnavailable(err, req, res, deps.unavailable, deps.log)) return;
      deps.log.error({ err: { type: (err as Error).name, message: (err as Error).message } }, 'receipt failed');
      return fail(res, 500, 'INTERNAL_SERVER_ERROR', 'Terjadi kesalahan internal');
    }
  });
  return router;
}
