import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { pinoHttp } from 'pino-http';
import { Logger } from 'pino';
import { Argon2PasswordHasher } from './adapters/auth/argon2-password-hasher';
import { PersonalDataCipher } from './adapters/crypto/personal-data-cipher';
import { apolloArmor } from './adapters/http/graphql-armor';
import { clientIp } from './adapters/http/client-ip';
import { securityHeaders } from './adapters/http/security-headers';
import { receiptRoute } from './adapters/http/receipt-route';
import { renderReceiptPdf } from './adapters/pdf/receipt-pdf';
import { TypeormDropItemRepository } from './adapters/persistence/typeorm-drop-item.repository';
import { TypeormDeskRecordRepository } from './adapters/persistence/typeorm-desk-records.repository';
import { DeskService } from './domain/desk/desk.service';
import { fileRoutes, loggableUrl } from './adapters/http/file-routes';
import { FileAccessService } from './domain/files/file-access.service';
import { CaseMapper } from './adapters/persistence/case.mapper';
import { Database, migrationsApplied, openDatabase, pingDatabase } from './adapters/persistence/data-source';
import { OutboxEventBus } from './adapters/persistence/outbox-event-bus';
import { TypeormAccessRepository, TypeormAuditLog } from './adapters/persistence/typeorm-access.repository';
import { TypeormCalendarRepository } from './adapters/persistence/typeorm-calendar.repository';
import { TypeormCaseRepository } from './adapters/persistence/typeorm-case.repository';
import { TypeormCallRecordRepository } from './adapters/persistence/typeorm-call-record.repository';
import { DEFAULT_PHONE_SETTINGS } from './domain/phone/call-record';
import { CallRecordService } from './domain/phone/call-record.service';
import { PhoneCallIntakeService } from './domain/phone/phone-call-intake.service';
import { LoketConfig } from './config';
import { AccessService } from './domain/access/access.service';
import { PrivacyService } from './domain/access/privacy.service';
import { CaseQueryService } from './domain/case/case-query.service';
import { CaseWorkflowService } from './domain/case/case-workflow.service';
import { IntakeService } from './domain/intake/intake.service';
import { Clock, systemClock } from './domain/shared/clock.port';
import { DomainError } from './domain/shared/domain-error';
import { uuidGenerator } from './domain/shared/id-generator.port';
import { CalendarAdminService } from './domain/sla/calendar-admin.service';
import { DeadlineService } from './domain/sla/deadline.service';
import { createLogger } from './logger';
import { EmailChannelAdminAdapter } from './adapters/email/email-channel-admin';
import { ImapInbox } from './adapters/email/imap-inbox.adapter';
import { InboundMailProcessor } from './adapters/email/inbound-mail.processor';
import { SmtpMailSender } from './adapters/email/smtp-mail.sender';
import { LocalFileStore } from './adapters/files/local-file-store';
import { TypeormStoredFileIndex } from './adapters/persistence/typeorm-stored-file.index';
import { TypeormFileReferences } from './adapters/persistence/typeorm-file-references';
import { DropFolders, startDropFolders } from './adapters/drop-folder/drop-folders';
import { DropItemService } from './domain/intake/drop-item.service';
import { TypeormEmailLedger } from './adapters/persistence/typeorm-email-ledger';
import { TypeormOutgoingMailQueue } from './adapters/persistence/typeorm-outgoing-mail.queue';
import { EmailIntakeService } from './domain/intake/email-intake.service';
import { MailDispatchService } from './domain/notifications/mail-dispatch.service';
import { bearerFrom } from './schema/auth/bearer';
import { IdentityViewRecorder } from './schema/auth/identity-view-recorder';
import { operationAuthPlugin } from './schema/auth/operation-auth.plugin';
import { RequestLimits } from './schema/auth/request-limits';
import { buildLoketSchema } from './schema/build-schema';
import { CaseStream } from './schema/case-stream';
import { GraphQLContext, Services } from './schema/context';
import { formatError, isUnexpected, toGraphQLError } from './schema/errors/error-mapping';
import { startWsServer } from './schema/ws-server';

export interface LoketApp {
  url: string;
  port: number;
  db: Database;
  services: Services;
  log: Logger;
  /** The scanner and fax drop folders (watchers null when not configured). */
  dropFolders: DropFolders;
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  log?: Logger;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const DAY_MS = 24 * 3_600_000;
/** Outbox rows serve catch-up after a lost LISTEN connection; a week is ample. */
const OUTBOX_KEEP_MS = 7 * DAY_MS;

/** Wires adapters to the core: the services every entry point (HTTP, WebSocket, CLI) uses. */
export async function composeServices(config: LoketConfig, db: Database, clock: Clock, log: Logger) {
  const cipher = new PersonalDataCipher(config.dataKeys);
  if (config.dataKeys.generated) log.warn({ source: config.dataKeys.source }, 'generated a new personal-data key; set LOKET_DATA_KEY in production');
  const cases = new TypeormCaseRepository(db.dataSource, new CaseMapper(cipher));
  const sealed = await cases.sealPlainNiks();
  if (sealed > 0) log.info({ cases: sealed }, 'encrypted NIKs stored before encryption');
  const calendars = new TypeormCalendarRepository(db.dataSource);
  const deadlines = new DeadlineService(calendars, clock);
  const audit = new TypeormAuditLog(db.dataSource);
  const access = new AccessService(new TypeormAccessRepository(db.dataSource), audit, new Argon2PasswordHasher(), clock, uuidGenerator);
  const files = new LocalFileStore(config.filesDir, new TypeormStoredFileIndex(db.dataSource), config.filesInlineMaxBytes);
  const emailLedger = new TypeormEmailLedger(db.dataSource, cases);
  const privacy = new PrivacyService(cases, audit, clock, emailLedger, files);
  const callRecords = new TypeormCallRecordRepository(db.dataSource);
  const fileAccess = new FileAccessService(cases, files, new TypeormFileReferences(db.dataSource), audit, clock);
  return { cases, calendars, deadlines, audit, access, privacy, callRecords, files, fileAccess, emailLedger };
}

/** Composition root: opens the database, wires adapters to the core, starts HTTP and WebSocket. */
export async function startLoket(config: LoketConfig, options: StartOptions = {}): Promise<LoketApp> {
  const log = options.log ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const db = await openDatabase(config.database);
  const core = await composeServices(config, db, clock, log);
  if (await core.access.bootstrap(config.bootstrapToken)) log.warn('LOKET_BOOTSTRAP_TOKEN installed as an admin token; create named tokens and unset it');
  else if (!config.bootstrapToken && !(await core.access.hasAdmin())) {
    log.warn('no administrator yet: set LOKET_BOOTSTRAP_TOKEN, or stop the server and run `npm run --silent loket -- token create --role ADMIN --name admin`');
  }
  const bus = new OutboxEventBus(
    core.cases,
    db.pglite ? { kind: 'pglite', pglite: db.pglite } : { kind: 'postgres', url: (config.database as { url: string }).url },
    log,
  );
  await bus.start();
  const limits = new RequestLimits(config.rateLimits);
  const intake = new IntakeService(core.cases, core.deadlines, clock, uuidGenerator);
  const files = core.files;
  const email = startEmailChannel(config, db, core.cases, core.emailLedger, intake, files, clock, log, bus);
  const dropFolders = startDropFolders(config, new TypeormDropItemRepository(db.dataSource), files, clock, log);
  let closeCredentials: (ids: string[]) => void = () => undefined;
  const services: Services = {
    intake,
    files,
    email: email.admin,
    drops: new DropItemService(dropFolders.items, intake, clock),
    workflow: new CaseWorkflowService(core.cases, core.deadlines, clock),
    desk: new DeskService(
      intake,
      new CaseWorkflowService(core.cases, core.deadlines, clock),
      core.cases,
      new TypeormDeskRecordRepository(db.dataSource, core.cases),
      core.fileAccess,
      core.deadlines,
      clock,
      uuidGenerator,
    ),
    callRecords: new CallRecordService(core.callRecords, files, core.fileAccess, config.phone ?? DEFAULT_PHONE_SETTINGS, clock, uuidGenerator),
    phoneIntake: new PhoneCallIntakeService(intake, core.callRecords),
    queries: new CaseQueryService(core.cases, clock),
    stream: new CaseStream(bus, core.cases),
    calendar: new CalendarAdminService(core.calendars, core.deadlines),
    access: core.access,
    privacy: core.privacy,
    clock,
    credentialsRevoked: (ids) => closeCredentials(ids),
    limitLogin: (ip, username) => limits.login(ip, username),
  };

  const pruneOutbox = (): void => {
    core.cases.pruneOutbox(new Date(clock.now().getTime() - OUTBOX_KEEP_MS)).then(
      (n) => n > 0 && log.info({ rows: n }, 'pruned old outbox rows'),
      (err: Error) => log.warn({ err: err.message }, 'outbox pruning failed'),
    );
  };
  pruneOutbox();
  const pruneTimer = setInterval(pruneOutbox, DAY_MS);
  pruneTimer.unref();

  let retentionTimer: NodeJS.Timeout | null = null;
  if (config.retentionMonths) {
    const months = config.retentionMonths;
    const run = (): void => {
      services.privacy.runRetention(months).then(
        (n) => n > 0 && log.info({ cases: n, months }, 'retention anonymized requesters'),
        (err: Error) => log.error({ err: err.message }, 'retention run failed'),
      );
    };
    run();
    retentionTimer = setInterval(run, DAY_MS);
    retentionTimer.unref();
  }

  const schema = await buildLoketSchema();
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders({ allowLandingPage: !config.production }));
  const httpServer = http.createServer(app);
  const ws = startWsServer(httpServer, { schema, services, limits, log, trustProxy: config.trustProxy, recheckSeconds: config.wsAuthRecheckSeconds });
  closeCredentials = ws.closeCredentials;

  const armor = apolloArmor();
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: !config.production,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    validationRules: armor.validationRules,
    parseOptions: armor.parseOptions,
    plugins: [
      ...(armor.plugins as never[]),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { async serverWillStart() { return { async drainServer() { await ws.dispose(); } }; } },
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
      operationAuthPlugin(limits),
      {
        async requestDidStart() {
          return {
            async didEncounterErrors({ errors, contextValue }) {
              for (const err of errors) {
                if (!isUnexpected(err)) continue;
                const original = (err.originalError ?? err) as Error & { correlationId?: string };
                original.correlationId = contextValue.requestId;
                contextValue.log.error({ err: { type: original.name, message: original.message, stack: original.stack } }, 'unexpected error');
              }
            },
          };
        },
      },
    ],
  });
  await apollo.start();

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
  app.use(
    fileRoutes({
      files,
      access: core.fileAccess,
      authenticate: (req) => services.access.authenticate(bearerFrom(req.headers.authorization)),
      maxBytes: config.uploadMaxBytes,
      log,
    }),
  );
  app.use(
    receiptRoute({
      authenticate: (req) => services.access.authenticate(bearerFrom(req.headers.authorization)),
      findCase: (id, p) => services.queries.find({ id }, p),
      recordIdentityViews: (p, ids) => services.privacy.recordIdentityViews(p, ids),
      now: () => clock.now(),
      render: renderReceiptPdf,
      log,
    }),
  );
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks: Record<string, boolean> = { database: false, migrations: false, events: bus.isListening };
    if (config.imap) checks.emailInbox = email.admin.status().state === 'CONNECTED';
    try {
      await pingDatabase(db);
      checks.database = true;
      checks.migrations = await migrationsApplied(db);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'readiness check failed');
    }
    const ready = Object.values(checks).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  app.use(
    '/graphql',
    express.json({ limit: '256kb' }),
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<GraphQLContext> => {
        const requestId = String((req as unknown as { id: string }).id);
        let principal = null;
        try {
          principal = await services.access.authenticate(bearerFrom(req.headers.authorization));
        } catch (err) {
          // An invalid credential is refused outright, even for public operations.
          if (err instanceof DomainError) throw toGraphQLError(err);
          throw err;
        }
        return {
          services,
          principal,
          identityViews: principal ? new IdentityViewRecorder(principal, (p, ids) => services.privacy.recordIdentityViews(p, ids)) : null,
          requestId,
          ip: clientIp(req, { trustProxy: config.trustProxy }),
          log: log.child({ requestId }),
        };
      },
    }),
  );

  // Body-parser refusals (too large, not JSON) answer as JSON with a stable code, never Express's HTML page with a stack.
  app.use((err: Error & { status?: number; type?: string }, req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err);
    const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
    const message = status === 413 ? 'Permintaan terlalu besar' : status < 500 ? 'Permintaan tidak dapat dibaca' : 'Terjadi kesalahan internal';
    if (status >= 500) log.error({ err: { type: err.name, message: err.message }, requestId: (req as unknown as { id?: string }).id }, 'unexpected error');
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/graphql`;
  log.info({ port, database: config.database.kind }, 'loket started');

  let stopping: Promise<void> | null = null;
  return {
    url,
    port,
    db,
    services,
    log,
    dropFolders,
    stop: () =>
      (stopping ??= (async () => {
        if (retentionTimer) clearInterval(retentionTimer);
        clearInterval(pruneTimer);
        await email.stop();
        await dropFolders.stop();
        await apollo.stop();
        await bus.stop();
        await db.dataSource.destroy();
      })()),
  };
}

/**
 * The email channel: the inbox (when LOKET_IMAP_URL is set) and the outgoing-mail worker
 * (when LOKET_SMTP_URL is set; until then mails wait in their outbox). The worker runs on a
 * short timer and right after any case change commits.
 */
function startEmailChannel(
  config: LoketConfig,
  db: Database,
  cases: TypeormCaseRepository,
  ledger: TypeormEmailLedger,
  intake: IntakeService,
  files: LocalFileStore,
  clock: Clock,
  log: Logger,
  bus: OutboxEventBus,
) {
  const emailIntake = new EmailIntakeService(intake, cases, ledger, clock);
  const ownAddresses = config.smtp ? [addressOf(config.smtp.from)] : ['kesra@kalbarprov.go.id'];
  const processor = new InboundMailProcessor(emailIntake, files, { ownAddresses, maxBytes: config.emailMaxBytes }, log.child({ channel: 'email' }));
  const inbox = config.imap
    ? new ImapInbox(
        config.imap,
        async (messages) => (await processor.processBatch(messages)).map((r) => (r.ok ? null : r.error)),
        (raw, receivedAt, reason) => processor.quarantineRaw(raw, receivedAt, reason),
        log.child({ channel: 'email' }),
      )
    : null;
  inbox?.start();

  let stopWorker = async (): Promise<void> => undefined;
  if (config.smtp) {
    const sender = new SmtpMailSender(config.smtp);
    const dispatch = new MailDispatchService(new TypeormOutgoingMailQueue(db.dataSource), sender, cases, clock, addressOf(config.smtp.from).split('@')[1] ?? 'loket');
    let running: Promise<void> | null = null;
    let again = false;
    const run = (): void => {
      if (running) {
        again = true;
        return;
      }
      running = dispatch
        .dispatchDue()
        .then(
          () => undefined,
          (err: Error) => log.error({ err: err.message }, 'mail dispatch failed'),
        )
        .finally(() => {
          running = null;
          if (again) {
            again = false;
            run();
          }
        });
    };
    const timer = setInterval(run, 5_000);
    timer.unref();
    const unsubscribe = bus.onCommit(run);
    run();
    stopWorker = async () => {
      clearInterval(timer);
      unsubscribe();
      // A send in flight may finish; an SMTP server that stopped answering must not hold the shutdown.
      if (running) await Promise.race([running, new Promise((r) => setTimeout(r, 5_000).unref())]);
      sender.close();
    };
  }
  return {
    admin: new EmailChannelAdminAdapter(inbox, ledger, files, processor, clock),
    stop: async () => {
      await inbox?.stop();
      await stopWorker();
    },
  };
}

function addressOf(from: string): string {
  const m = /<([^>]+)>/.exec(from);
  return (m ? m[1] : from).trim().toLowerCase();
}
