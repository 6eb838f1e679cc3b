import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { pinoHttp } from 'pino-http';
import { Logger } from 'pino';
import { fileRoutes, loggableUrl } from '../adapters/http/file-routes';
import { receiptRoute } from '../adapters/http/receipt-route';
import { reportRoutes } from '../adapters/http/report-routes';
import { securityHeaders } from '../adapters/http/security-headers';
import { clientIp } from '../adapters/http/client-ip';
import { consoleRoutes, defaultConsoleDir } from '../adapters/http/console-routes';
import { statusPageRoutes } from '../adapters/http/status-page';
import { renderReceiptPdf } from '../adapters/pdf/receipt-pdf';
import { FileAccessService } from '../domain/files/file-access.service';
import { Principal } from '../domain/access/roles';
import { answeredUnavailable } from '../adapters/http/service-unavailable';
import { Services } from '../schema/context';
import { serviceUnavailable } from '../schema/errors/error-mapping';
import { Readiness } from './readiness';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * What the request log says of one request: method, path without the query (it may carry a
 * reference number or an access code; file ids are masked), status, duration and the GraphQL
 * operation name.
 */
function requestLine(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse & { locals?: Record<string, unknown> }, durationMs: unknown): Record<string, unknown> {
  const operation = res.locals?.operationName;
  return {
    method: req.method,
    path: loggableUrl((req.originalUrl ?? req.url ?? '').split('?')[0]),
    status: res.statusCode,
    durationMs: typeof durationMs === 'number' ? durationMs : null,
    ...(typeof operation === 'string' && OPERATION_NAME.test(operation) ? { operation } : {}),
  };
}

export interface HttpAppOptions {
  services: Services;
  /** The caller's principal from its bearer token (null without one), within the failed-authentication budget. */
  authenticate: (req: IncomingMessage) => Promise<Principal | null>;
  fileAccess: FileAccessService;
  uploadMaxBytes: number;
  production: boolean;
  /** Take the client address from X-Forwarded-For (LOKET_TRUST_PROXY), for the status lookup limit. */
  trustProxy: boolean;
  /** `${LOKET_PUBLIC_URL}/status`, printed on receipts. */
  statusPageUrl: string;
  log: Logger;
  /** Routes the channel modules bring (webhooks), mounted before /graphql. */
  moduleRoutes: express.Router[];
  /** The /readyz answer: ready, and each check's outcome (with `?verbose`, the jobs' last runs). */
  readiness: Readiness;
  /** GET /metrics and the HTTP status counter, mounted first. */
  metricsRoutes?: express.Router;
  /** The built console served at `/` (default dist/web of the repository). */
  consoleDir?: string;
}

/**
 * The Express application: security headers, request ids and request logs, the file and
 * receipt routes, the citizen's status page, health and readiness, the modules' routes, then GraphQL (mounted by the
 * caller with `mountGraphql`, once Apollo has started), the console (web/, built into dist/web) and the JSON error handler.
 */
export function createHttpApp(o: HttpAppOptions): { app: express.Express; mountGraphql(handler: express.RequestHandler): void } {
  const { services, log } = o;
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders({ allowLandingPage: !o.production }));
  if (o.metricsRoutes) app.use(o.metricsRoutes);
  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // One flat line per request, bound to its id only: never the request or response headers
      // (the security policy alone is most of a kilobyte; content-disposition names files).
      quietReqLogger: true,
      quietResLogger: true,
      customAttributeKeys: { reqId: 'requestId' },
      customSuccessObject: (req, res, val: { responseTime?: number }) => requestLine(req, res, val.responseTime),
      customErrorObject: (req, res, err, val: { responseTime?: number }) => ({ ...requestLine(req, res, val.responseTime), err: { type: (err as Error).name } }),
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  const authenticate = o.authenticate;
  app.use(fileRoutes({ files: services.files, access: o.fileAccess, authenticate, maxBytes: o.uploadMaxBytes, log }));
  app.use(
    receiptRoute({
      authenticate,
      findCase: (id, p) => services.queries.find({ id }, p),
      recordIdentityViews: (p, ids) => services.privacy.recordIdentityViews(p, ids),
      now: () => services.clock.now(),
      statusPageUrl: o.statusPageUrl,
      officeHours: async () => {
        const cal = await services.calendar.calendar();
        return { slots: cal.officeHours, timeZone: cal.timeZone };
      },
      render: renderReceiptPdf,
      log,
      unavailable: serviceUnavailable,
    }),
  );
  app.use(reportRoutes({ authenticate, caseList: (p, filter) => services.reports.caseList(p, filter), log, unavailable: serviceUnavailable }));
  app.use(
    statusPageRoutes({
      lookup: (reference, accessCode) => services.statusLookup.lookup(reference, accessCode),
      limit: services.limitStatusLookup,
      clientIp: (req) => clientIp(req, { trustProxy: o.trustProxy }),
      log,
      unavailable: serviceUnavailable,
    }),
  );
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (req, res) => {
    const { ready, body } = await o.readiness('verbose' in req.query);
    res.status(ready ? 200 : 503).json(body);
  });
  for (const routes of o.moduleRoutes) app.use(routes);

  const mountGraphql = (handler: express.RequestHandler): void => {
    app.use('/graphql', express.json({ limit: '256kb' }), handler);
    // The console, after every API route: it answers only the GETs nothing else did.
    app.use(consoleRoutes(o.consoleDir ?? defaultConsoleDir()));
    // Body-parser refusals (too large, not JSON) answer as JSON with a stable code, never Express's HTML page with a stack.
    app.use((err: Error & { status?: number; type?: string }, req: express.Request, res: express.Response, next: express.NextFunction) => {
      if (answeredUnavailable(err, req, res, serviceUnavailable, log)) return;
      if (res.headersSent) return next(err);
      const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
      const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
      const message = status === 413 ? 'Permintaan terlalu besar' : status < 500 ? 'Permintaan tidak dapat dibaca' : 'Terjadi kesalahan internal';
      if (status >= 500) log.error({ err: { type: err.name, message: err.message }, requestId: (req as unknown as { id?: string }).id }, 'unexpected error');
      res.status(status).json({ errors: [{ message, extensions: { code } }] });
    });
  };
  return { app, mountGraphql };
}
