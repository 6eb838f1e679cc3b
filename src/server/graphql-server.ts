import http from 'node:http';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLSchema } from 'graphql';
import { Logger } from 'pino';
import { clientIp } from '../adapters/http/client-ip';
import { DomainError } from '../domain/shared/domain-error';
import { Principal } from '../domain/access/roles';
import { IdentityViewRecorder } from '../schema/auth/identity-view-recorder';
import { operationAuthPlugin } from '../schema/auth/operation-auth.plugin';
import { RequestLimits } from '../schema/auth/request-limits';
import { GraphQLContext, Services } from '../schema/context';
import { GraphQLError } from 'graphql';
import { isUnexpected, serviceUnavailable, toGraphQLError } from '../schema/errors/error-mapping';
import { RequestRules } from '../schema/request-rules';

const DRAIN_GRACE_MS = 5_000;

export interface GraphqlServerOptions {
  schema: GraphQLSchema;
  /** The validation, cost and masking rules shared with the WebSocket transport. */
  rules: RequestRules;
  httpServer: http.Server;
  services: Services;
  /** The caller's principal from its bearer token, within the failed-authentication budget. */
  authenticate: (req: http.IncomingMessage) => Promise<Principal | null>;
  limits: RequestLimits;
  log: Logger;
  production: boolean;
  trustProxy: boolean;
  /** Closes the WebSocket server when Apollo drains. */
  disposeWs: () => Promise<void>;
  /** More plugins (the operation metrics). */
  plugins?: ApolloServerPlugin<GraphQLContext>[];
}

/**
 * GraphQL over HTTP (Apollo): the armor limits, production hardening, the credential check
 * of every operation, and unexpected errors logged with the request id as correlation id.
 */
export async function startGraphqlServer(o: GraphqlServerOptions): Promise<{ middleware: express.RequestHandler; stop(): Promise<void> }> {
  /** Each HTTP operation's response by request id, so that the request log line can name the operation. */
  const responses = new Map<string, express.Response>();
  const apollo = new ApolloServer<GraphQLContext>({
    schema: o.schema,
    ...o.rules.apolloOptions,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    plugins: [
      // Stop: no new connections, requests in flight finish (within 5 s, so that a SIGTERM exits within 10 s).
      ApolloServerPluginDrainHttpServer({ httpServer: o.httpServer, stopGracePeriodMillis: DRAIN_GRACE_MS }),
      { async serverWillStart() { return { async drainServer() { await o.disposeWs(); } }; } },
      ...(o.production ? [ApolloServerPluginLandingPageDisabled()] : []),
      ...(o.plugins ?? []),
      operationAuthPlugin(o.limits),
      ...o.rules.apolloPlugins,
      {
        async requestDidStart() {
          return {
            async didResolveOperation({ operationName, contextValue }) {
              const res = responses.get(contextValue.requestId);
              if (res && operationName) res.locals.operationName = operationName;
            },
            async didEncounterErrors({ errors, contextValue, response }) {
              let outage = false;
              for (const err of errors) {
                const unavailable = serviceUnavailable(err);
                if (unavailable) {
                  // One English line, without the driver's stack; the client gets 503 and the id.
                  (err.originalError as (Error & { correlationId?: string }) | undefined ?? (err as Error & { correlationId?: string })).correlationId = contextValue.requestId;
                  if (!outage) contextValue.log.warn({ err: { message: (unavailable.cause as Error | undefined)?.message ?? unavailable.message } }, 'database unavailable; answered SERVICE_UNAVAILABLE');
                  outage = true;
                  // Also on the GraphQLError itself: a wrapped non-Error has no original to carry it.
                  (err.extensions as Record<string, unknown>).correlationId = contextValue.requestId;
                  response.http.status = 503;
                  response.http.headers.set('retry-after', String(unavailable.retryAfterSeconds));
                  continue;
                }
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
  const { services, log } = o;
  const middleware = expressMiddleware(apollo, {
    context: async ({ req, res }): Promise<GraphQLContext> => {
      const requestId = String((req as unknown as { id: string }).id);
      let principal = null;
      try {
        principal = await o.authenticate(req);
      } catch (err) {
        // Thrown as GraphQLErrors: Apollo would prefix anything else with "Context creation
        // failed:" and show its text (a driver's host and port) with a 500.
        const unavailable = serviceUnavailable(err);
        if (unavailable) {
          log.warn({ requestId, err: { message: (err as Error).message } }, 'database unavailable; answered SERVICE_UNAVAILABLE');
          const e = toGraphQLError(unavailable);
          throw new GraphQLError(e.message, { extensions: { ...e.extensions, correlationId: requestId } });
        }
        // An invalid credential is refused outright, even for public operations.
        if (err instanceof DomainError) throw toGraphQLError(err);
        log.error({ requestId, err: { type: (err as Error).name, message: (err as Error).message } }, 'unexpected error');
        throw new GraphQLError('Terjadi kesalahan internal', { extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: requestId, http: { status: 500 } } });
      }
      const context: GraphQLContext = {
        services,
        principal,
        identityViews: principal ? new IdentityViewRecorder(principal, (p, ids) => services.privacy.recordIdentityViews(p, ids)) : null,
        requestId,
        ip: clientIp(req, { trustProxy: o.trustProxy }),
        log: log.child({ requestId }),
      };
      responses.set(requestId, res);
      res.once('close', () => responses.delete(requestId));
      return context;
    },
  });
  return { middleware, stop: () => apollo.stop() };
}
