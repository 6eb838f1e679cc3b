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
import { isUnexpected, toGraphQLError } from '../schema/errors/error-mapping';
import { RequestRules } from '../schema/request-rules';

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
      ApolloServerPluginDrainHttpServer({ httpServer: o.httpServer }),
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
  const { services, log } = o;
  const middleware = expressMiddleware(apollo, {
    context: async ({ req, res }): Promise<GraphQLContext> => {
      const requestId = String((req as unknown as { id: string }).id);
      let principal = null;
      try {
        principal = await o.authenticate(req);
      } catch (err) {
        // An invalid credential is refused outright, even for public operations.
        if (err instanceof DomainError) throw toGraphQLError(err);
        throw err;
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
