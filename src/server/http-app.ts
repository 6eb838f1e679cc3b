import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import express from 'express';
import { pinoHttp } from 'pino-http';
import { Logger } from 'pino';
import { fileRoutes, loggableUrl } from '../adapters/http/file-routes';
import { receiptRoute } from '../adapters/http/receipt-route';
import { reportRoutes } from '../adapters/http/report-routes';
import { securityHeaders } from '../adapters/http/security-headers';
import { clientIp } from '../adapters/http/client-ip';
import { statusPageRoutes } from '../adapters/http/status-page';
import { renderReceiptPdf } from '../adapters/pdf/receipt-pdf';
import { FileAccessService } from '../domain/files/file-access.service';
import { Principal } from '../domain/access/roles';
import { answeredUnavailable } from '../adapters/http/service-unavailable';
import { Services } from '../schema/context';
import { serviceUnavailable } from '../schema/errors/error-mapping';
import { Readiness } from './readiness';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

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
}

/**
 * The Express application: security headers, request ids and request logs, the file and
 * receipt routes, the citizen's status page, health and readiness, the modules' routes, then GraphQL (mounted by the
 * caller with `mountGraphql`, once Apollo has started) and the JSON error handler.
 */
export function createHttpApp(o: HttpAppOptions): { app: express.Express; mountGraphql(handler: express.RequestHandler): void } {
  const { services, log } = o;
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders({ allowLandingPage: !o.production }));
  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: loggableUrl(req.url) }),
        // Response headers name files (content-disposition) and are of no use in the log.
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
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
