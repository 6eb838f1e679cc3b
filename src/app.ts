import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { GraphQLError } from 'graphql';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { pinoHttp } from 'pino-http';
import { Logger } from 'pino';
import { Database, migrationsApplied, openDatabase } from './adapters/persistence/data-source';
import { OutboxEventBus } from './adapters/persistence/outbox-event-bus';
import { TypeormCalendarRepository } from './adapters/persistence/typeorm-calendar.repository';
import { TypeormCaseRepository } from './adapters/persistence/typeorm-case.repository';
import { LoketConfig } from './config';
import { CaseQueryService } from './domain/case/case-query.service';
import { CaseWorkflowService } from './domain/case/case-workflow.service';
import { Actor } from './domain/case/timeline-event';
import { IntakeService } from './domain/intake/intake.service';
import { Clock, systemClock } from './domain/shared/clock.port';
import { uuidGenerator } from './domain/shared/id-generator.port';
import { CalendarAdminService } from './domain/sla/calendar-admin.service';
import { DeadlineService } from './domain/sla/deadline.service';
import { createLogger } from './logger';
import { buildLoketSchema } from './schema/build-schema';
import { CaseStream } from './schema/case-stream';
import { GraphQLContext, Services } from './schema/context';
import { formatError, isUnexpected } from './schema/errors/error-mapping';

export interface LoketApp {
  url: string;
  port: number;
  db: Database;
  services: Services;
  log: Logger;
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  log?: Logger;
}

/** Until access control lands, every API call acts as this client. */
const API_ACTOR: Actor = { id: 'api', kind: 'USER' };
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Composition root: opens the database, wires adapters to the core, starts HTTP and WebSocket. */
export async function startLoket(config: LoketConfig, options: StartOptions = {}): Promise<LoketApp> {
  const log = options.log ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const db = await openDatabase(config.database);
  const cases = new TypeormCaseRepository(db.dataSource);
  const bus = new OutboxEventBus(
    cases,
    db.pglite ? { kind: 'pglite', pglite: db.pglite } : { kind: 'postgres', url: (config.database as { url: string }).url },
    log,
  );
  await bus.start();
  const calendars = new TypeormCalendarRepository(db.dataSource);
  const deadlines = new DeadlineService(calendars, clock);
  const services: Services = {
    intake: new IntakeService(cases, deadlines, clock, uuidGenerator),
    workflow: new CaseWorkflowService(cases, deadlines, clock),
    queries: new CaseQueryService(cases, clock),
    stream: new CaseStream(bus, cases),
    calendar: new CalendarAdminService(calendars, deadlines),
    clock,
  };

  const schema = await buildLoketSchema();
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: 1024 * 1024 });
  const wsCleanup = useServer<Record<string, unknown>>(
    {
      schema,
      context: (): GraphQLContext => {
        const requestId = randomUUID();
        return { services, actor: API_ACTOR, requestId, log: log.child({ requestId }) };
      },
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!('errors' in result) || !result.errors) return result;
        return { ...result, errors: result.errors.map((e) => formatError(e instanceof GraphQLError ? e.toJSON() : { message: String(e) }, e)) } as unknown as typeof result;
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: !config.production,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { async serverWillStart() { return { async drainServer() { await wsCleanup.dispose(); } }; } },
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
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
      serializers: { req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }) },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks: Record<string, boolean> = { database: false, migrations: false, events: bus.isListening };
    try {
      await db.dataSource.query('SELECT 1');
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
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = String((req as unknown as { id: string }).id);
        return { services, actor: API_ACTOR, requestId, log: log.child({ requestId }) };
      },
    }),
  );

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
    stop: () =>
      (stopping ??= (async () => {
        await apollo.stop();
        await bus.stop();
        await db.dataSource.destroy();
      })()),
  };
}
