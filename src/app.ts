import 'reflect-metadata';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Logger } from 'pino';
import { Database, openDatabase } from './adapters/persistence/data-source';
import { OutboxEventBus } from './adapters/persistence/outbox-event-bus';
import { composeCore } from './composition/core';
import { buildServices } from './composition/services';
import { LoketConfig } from './config';
import { FileAccessService } from './domain/files/file-access.service';
import { IntakeService } from './domain/intake/intake.service';
import { Clock, systemClock } from './domain/shared/clock.port';
import { uuidGenerator } from './domain/shared/id-generator.port';
import { statusLookupLimit } from './adapters/http/status-lookup-limit';
import { statusPageUrl } from './domain/notifications/office-info';
import { createLogger } from './logger';
import { ChannelPorts, ModuleContext, RunningModule } from './modules/channel-module';
import { RequestLimits } from './schema/auth/request-limits';
import { buildLoketSchema } from './schema/build-schema';
import { Services } from './schema/context';
import { startWsServer } from './schema/ws-server';
import { startGraphqlServer } from './server/graphql-server';
import { createHttpApp } from './server/http-app';
import { readiness } from './server/readiness';
import { startPeriodicJobs } from './composition/periodic-jobs';

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
    onCommit: (listener) => bus.onCommit(listener),
    statusPageUrl: statusPageUrl(config.publicUrl),
    limits: { uploadMaxBytes: config.uploadMaxBytes },
  };
  const modules: RunningModule[] = [];
  for (const m of config.channels) modules.push(await m.start(context));
  const ports = Object.assign({}, ...modules.map((m) => m.provides ?? {})) as ChannelPorts;

  const limits = new RequestLimits(config.rateLimits);
  let closeCredentials: (ids: string[]) => void = () => undefined;
  const services = buildServices(core, intake, ports, bus, clock, {
    credentialsRevoked: (ids) => closeCredentials(ids),
    limitLogin: (ip, username) => limits.login(ip, username),
    limitStatusLookup: statusLookupLimit(config.statusLookupsPerMinute),
  });
  const jobs = startPeriodicJobs(config, core, modules, clock, log);

  const schema = await buildLoketSchema();
  const web = createHttpApp({
    services,
    fileAccess: new FileAccessService(core.cases, core.files),
    uploadMaxBytes: config.uploadMaxBytes,
    production: config.production,
    trustProxy: config.trustProxy,
    statusPageUrl: statusPageUrl(config.publicUrl),
    log,
    moduleRoutes: modules.flatMap((m) => (m.routes ? [m.routes] : [])),
    readiness: readiness({
      db,
      eventsListening: () => bus.isListening,
      moduleChecks: () => Object.assign({}, ...modules.map((m) => m.readiness?.() ?? {})),
      log,
    }),
  });
  const httpServer = http.createServer(web.app);
  const ws = startWsServer(httpServer, { schema, services, limits, log, trustProxy: config.trustProxy, recheckSeconds: config.wsAuthRecheckSeconds });
  closeCredentials = ws.closeCredentials;
  const graphql = await startGraphqlServer({ schema, httpServer, services, limits, log, production: config.production, trustProxy: config.trustProxy, disposeWs: () => ws.dispose() });
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
        await jobs.stop();
        for (const m of [...modules].reverse()) await m.stop();
        await graphql.stop();
        await bus.stop();
        await db.dataSource.destroy();
      })()),
  };
}
