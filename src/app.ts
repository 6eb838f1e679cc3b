import 'reflect-metadata';
import http, { IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import { Logger } from 'pino';
import { Database, openDatabase } from './adapters/persistence/data-source';
import { OutboxEventBus } from './adapters/persistence/outbox-event-bus';
import { PostgresRateLimitStore } from './adapters/persistence/postgres-rate-limit-store';
import { composeCore } from './composition/core';
import { buildServices } from './composition/services';
import { LoketConfig } from './config';
import { IntakeService } from './domain/intake/intake.service';
import { Clock, systemClock } from './domain/shared/clock.port';
import { uuidGenerator } from './domain/shared/id-generator.port';
import { statusLookupLimit } from './adapters/http/status-lookup-limit';
import { statusPageUrl } from './domain/notifications/office-info';
import { createLogger } from './logger';
import { ChannelPorts, ModuleContext, RunningModule } from './modules/channel-module';
import { clientIp } from './adapters/http/client-ip';
import { bearerFrom } from './schema/auth/bearer';
import { RequestLimits } from './schema/auth/request-limits';
import { buildLoketSchema } from './schema/build-schema';
import { Services } from './schema/context';
import { requestRules } from './schema/request-rules';
import { startWsServer } from './schema/ws-server';
import { startGraphqlServer } from './server/graphql-server';
import { createHttpApp } from './server/http-app';
import { readiness } from './server/readiness';
import { startScheduler } from './composition/scheduler';
import { calendarReadinessDetail } from './composition/calendar-jobs';
import { composeMetrics } from './composition/metrics';

export interface LoketApp {
  url: string;
  port: number;
  db: Database;
  services: Services;
  log: Logger;
  /** The scanner and fax drop folders (null when not configured). */
  dropFolders: ChannelPorts['dropFolders'];
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  log?: Logger;
}

/** Composition root: opens the database, wires the core, starts the channel modules, HTTP and WebSocket. */
export async function startLoket(config: LoketConfig, options: StartOptions = {}): Promise<LoketApp> {
  const log = options.log ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const db = await openDatabase(config.database);
  const core = await composeCore(config, db, clock, log);
  const observed = composeMetrics(config, db, core, clock, log);
  const boot = await core.access.bootstrap(config.bootstrapToken);
  if (boot.revoked.length) log.warn({ tokenIds: boot.revoked }, 'revoked the earlier bootstrap admin token: LOKET_BOOTSTRAP_TOKEN is unset or changed');
  if (boot.installed) log.warn('LOKET_BOOTSTRAP_TOKEN installed as an admin token; create named tokens and unset it');
  else if (!config.bootstrapToken && !(await core.access.hasAdmin())) {
    log.warn('no administrator yet: set LOKET_BOOTSTRAP_TOKEN, or stop the server and run `npm run --silent loket -- token create --role ADMIN --name admin`');
  }
  const bus = new OutboxEventBus(
    core.cases,
    db.pglite ? { kind: 'pglite', pglite: db.pglite } : { kind: 'postgres', url: (config.database as { url: string }).url },
    log,
  );
  await bus.start();
  const intake = new IntakeService(core.cases, core.deadlines, clock, uuidGenerator);

  const context: ModuleContext = {
    log,
    clock,
    dataSource: db.dataSource,
    cases: core.cases,
    intake,
    files: core.files,
    emailLedger: core.emailLedger,
    outgoingMail: core.outgoingMail,
    dropItems: core.dropItems,
    deadlines: core.deadlines,
    fileAccess: core.fileAccess,
    onCommit: (listener) => bus.onCommit(listener),
    statusPageUrl: statusPageUrl(config.publicUrl),
    limits: { uploadMaxBytes: config.uploadMaxBytes },
  };
  const modules: RunningModule[] = [];
  for (const m of config.channels) modules.push(await m.start(context));
  const ports = Object.assign({}, ...modules.map((m) => m.provides ?? {})) as ChannelPorts;

  const sharedLimits = new PostgresRateLimitStore(db.dataSource);
  const limits = new RequestLimits(config.rateLimits, config.authFailuresPerMinute, sharedLimits);
  const scheduler = startScheduler(config, db.dataSource, core, modules, clock, log, observed.jobFinished);
  let closeCredentials: (ids: string[]) => void = () => undefined;
  const services = buildServices(core, intake, ports, bus, clock, scheduler, {
    credentialsRevoked: (ids) => closeCredentials(ids),
    limitLogin: (ip, username) => limits.login(ip, username),
    limitStatusLookup: statusLookupLimit(config.statusLookupsPerMinute, { shared: sharedLimits }),
  });

  // Every HTTP entry point authenticates through the per-address budget of failed authentications.
  const authenticate = (req: IncomingMessage) =>
    limits.authenticate(clientIp(req, { trustProxy: config.trustProxy }), () => services.access.authenticate(bearerFrom(req.headers.authorization)));

  const schema = await buildLoketSchema();
  const web = createHttpApp({
    services,
    authenticate,
    fileAccess: core.fileAccess,
    uploadMaxBytes: config.uploadMaxBytes,
    production: config.production,
    trustProxy: config.trustProxy,
    statusPageUrl: statusPageUrl(config.publicUrl),
    log,
    moduleRoutes: modules.flatMap((m) => (m.routes ? [m.routes] : [])),
    metricsRoutes: observed.routes,
    readiness: readiness({
      db,
      eventsListening: () => bus.isListening,
      moduleChecks: () => Object.assign({}, ...modules.map((m) => m.readiness?.() ?? {})),
      jobs: () => scheduler.readinessDetail(),
      channels: () => modules.map((m, i) => ({ name: config.channels[i].name, checks: m.readiness?.() ?? {}, detail: m.readinessDetail?.() ?? {} })),
      details: async () => ({
        ...(await calendarReadinessDetail(core.calendarAlarms)()),
        ...Object.assign({}, ...modules.map((m) => m.readinessDetail?.() ?? {})),
      }),
      log,
    }),
  });
  const httpServer = http.createServer(web.app);
  const rules = requestRules(schema, { production: config.production });
  const ws = startWsServer(httpServer, { schema, rules, services, limits, log, trustProxy: config.trustProxy, recheckSeconds: config.wsAuthRecheckSeconds });
  closeCredentials = ws.closeCredentials;
  observed.observeSubscriptions(ws.openSubscriptions);
  const graphql = await startGraphqlServer({ schema, rules, httpServer, services, authenticate, limits, log, production: config.production, trustProxy: config.trustProxy, disposeWs: () => ws.dispose(), plugins: [observed.graphqlPlugin] });
  web.mountGraphql(graphql.middleware);

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
    dropFolders: ports.dropFolders ?? { scan: null, fax: null },
    stop: () =>
      (stopping ??= (async () => {
        // First stop accepting and let requests in flight finish; then the workers.
        await graphql.stop();
        await scheduler.stop();
        for (const m of [...modules].reverse()) await m.stop();
        await bus.stop();
        await db.dataSource.destroy();
      })()),
  };
}
