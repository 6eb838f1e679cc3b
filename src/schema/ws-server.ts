import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocket, WebSocketServer } from 'ws';
import { Logger } from 'pino';
import { clientIp } from '../adapters/http/client-ip';
import { Principal } from '../domain/access/roles';
import { DomainError, RateLimitedError, UnauthenticatedError } from '../domain/shared/domain-error';
import { IdentityViewRecorder } from './auth/identity-view-recorder';
import { bearerFrom } from './auth/bearer';
import { authorizeOperation, mutationCount, rootOperations, selectOperation } from './auth/operation-guard';
import { RequestLimits } from './auth/request-limits';
import { GraphQLContext, Services } from './context';
import { serviceUnavailable, toGraphQLError } from './errors/error-mapping';
import { RequestRules } from './request-rules';

const MAX_PAYLOAD = 256 * 1024;
const INIT_TIMEOUT_MS = 10_000;
/** Close codes: 4401 when the credential is missing, invalid, revoked or expired. */
const CLOSE_UNAUTHORIZED = 4401;
/** 4429 when the address made too many failed authentications (the reason says when to retry). */
const CLOSE_RATE_LIMITED = 4429;
/** 1012 Service Restart when the server shuts down: graphql-ws clients reconnect on it (to another instance). */
const CLOSE_SERVICE_RESTART = 1012;
/** 1013 Try Again Later when the database is away at connect: graphql-ws clients retry on it. */
const CLOSE_TRY_AGAIN_LATER = 1013;
/** setTimeout's largest delay (about 24.8 days); a later expiry is waited for in steps. */
const MAX_TIMER_MS = 2_147_483_647;

export interface WsOptions {
  schema: GraphQLSchema;
  /** The validation rules and error formatting HTTP uses too. */
  rules: RequestRules;
  services: Services;
  limits: RequestLimits;
  log: Logger;
  trustProxy: boolean;
  recheckSeconds: number;
}

/**
 * GraphQL over WebSocket (graphql-ws) on /graphql: the credential comes in connectionParams
 * (`authorization: "Bearer ..."`) and is checked at connection init; every operation is
 * checked with the same request rules as HTTP (src/schema/request-rules.ts: graphql-ws does not
 * go through Apollo's validation) and authorized like HTTP. Connections whose credential is
 * revoked or expires are closed.
 */
export function startWsServer(server: http.Server, o: WsOptions): { closeCredentials(ids: string[]): void; openSubscriptions(): number; dispose(): Promise<void> } {
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: MAX_PAYLOAD });
  const principals = new WeakMap<WebSocket, { principal: Principal; ip: string }>();
  const byCredential = new Map<string, Set<WebSocket>>();
  /** graphql-ws's own record of each live connection's operations, for the open-subscriptions gauge. */
  const live = new Set<{ subscriptions: Record<string, unknown> }>();

  const forget = (socket: WebSocket): void => {
    const entry = principals.get(socket);
    if (!entry) return;
    const set = byCredential.get(entry.principal.credentialId);
    set?.delete(socket);
    if (set && set.size === 0) byCredential.delete(entry.principal.credentialId);
  };
  /** The expiry is known at connect: the socket is closed right then, not at the next re-check. */
  const closeAtExpiry = (socket: WebSocket, expiresAt: Date | null): (() => void) => {
    if (!expiresAt) return () => undefined;
    let timer: NodeJS.Timeout | null = null;
    const arm = (): void => {
      const left = expiresAt.getTime() - o.services.clock.now().getTime();
      if (left <= 0) {
        timer = null;
        socket.close(CLOSE_UNAUTHORIZED, 'Credential expired');
        return;
      }
      timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
      timer.unref();
    };
    arm();
    return () => {
      if (timer) clearTimeout(timer);
    };
  };
  const closeCredentials = (ids: string[]): void => {
    for (const id of ids) {
      for (const socket of byCredential.get(id) ?? []) socket.close(CLOSE_UNAUTHORIZED, 'Credential revoked');
      byCredential.delete(id);
    }
  };

  const cleanup = useServer(
    {
      schema: o.schema,
      connectionInitWaitTimeout: INIT_TIMEOUT_MS,
      onConnect: async (ctx) => {
        const token = bearerFrom(ctx.connectionParams?.authorization ?? ctx.connectionParams?.token);
        const ip = clientIp(ctx.extra.request, { trustProxy: o.trustProxy });
        let principal: Principal | null = null;
        try {
          principal = await o.limits.authenticate(ip, () => o.services.access.authenticate(token));
        } catch (err) {
          if (err instanceof RateLimitedError) {
            ctx.extra.socket.close(CLOSE_RATE_LIMITED, `Rate limited; retry after ${err.retryAfterSeconds} s`);
            return false;
          }
          if (serviceUnavailable(err)) {
            o.log.warn({ err: { message: (err as Error).message } }, 'database unavailable; WebSocket connection asked to retry');
            ctx.extra.socket.close(CLOSE_TRY_AGAIN_LATER, 'Service unavailable; retry shortly');
            return false;
          }
          if (!(err instanceof UnauthenticatedError)) throw err;
        }
        if (!principal) {
          ctx.extra.socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized');
          return false;
        }
        const socket = ctx.extra.socket;
        principals.set(socket, { principal, ip });
        const set = byCredential.get(principal.credentialId) ?? new Set<WebSocket>();
        set.add(socket);
        byCredential.set(principal.credentialId, set);
        const stopExpiry = closeAtExpiry(socket, principal.expiresAt ?? null);
        live.add(ctx);
        socket.once('close', () => {
          live.delete(ctx);
          stopExpiry();
          forget(socket);
        });
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const entry = principals.get(ctx.extra.socket);
        const args = o.rules.executionArgs(payload);
        if (Array.isArray(args)) return args as GraphQLError[];
        const execution = args as Exclude<typeof args, readonly GraphQLError[]>;
        const operation = selectOperation(execution.document, execution.operationName) as OperationDefinitionNode | null;
        if (!operation) return [new GraphQLError('Operasi tidak ditemukan', { extensions: { code: 'BAD_USER_INPUT' } })];
        try {
          authorizeOperation(entry?.principal ?? null, rootOperations(execution.document, operation));
          await o.limits.mutation(entry?.principal ?? null, entry?.ip ?? 'unknown', mutationCount(execution.document, operation));
        } catch (err) {
          if (err instanceof DomainError) return [toGraphQLError(err)];
          throw err;
        }
        const requestId = randomUUID();
        const principal = entry?.principal ?? null;
        const contextValue: GraphQLContext = {
          services: o.services,
          principal,
          identityViews: principal ? new IdentityViewRecorder(principal, (p, ids) => o.services.privacy.recordIdentityViews(p, ids)) : null,
          requestId,
          ip: entry?.ip ?? 'unknown',
          log: o.log.child({ requestId }),
        };
        return { ...execution, contextValue };
      },
      onNext: (_ctx, _id, _payload, args, result) => {
        if (!('errors' in result) || !result.errors) return result;
        const requestId = (args.contextValue as GraphQLContext | undefined)?.requestId;
        for (const e of result.errors) {
          if (!serviceUnavailable(e)) continue;
          // The client sees SERVICE_UNAVAILABLE with this id; the log one line without the driver's stack.
          const original = ((e as GraphQLError).originalError ?? e) as Error & { correlationId?: string };
          original.correlationId = requestId;
          o.log.warn({ requestId, err: { message: original.message } }, 'database unavailable; answered SERVICE_UNAVAILABLE');
        }
        return {
          ...result,
          errors: result.errors.map((e) => o.rules.formatError(e instanceof GraphQLError ? e.toJSON() : { message: String(e) }, e)),
        } as unknown as typeof result;
      },
    },
    wss,
  );

  // Revocations made on another instance, and expiries, are found by re-checking.
  const timer = setInterval(() => {
    void (async () => {
      for (const [id, sockets] of [...byCredential]) {
        const first = sockets.values().next().value;
        const entry = first ? principals.get(first) : undefined;
        if (!entry) continue;
        try {
          if (!(await o.services.access.stillValid(entry.principal))) closeCredentials([id]);
        } catch (err) {
          o.log.warn({ err: (err as Error).message }, 'credential re-check failed');
        }
      }
    })();
  }, o.recheckSeconds * 1000);
  timer.unref();

  return {
    closeCredentials,
    openSubscriptions: () => {
      let n = 0;
      for (const ctx of live) n += Object.keys(ctx.subscriptions).length;
      return n;
    },
    dispose: async () => {
      clearInterval(timer);
      // Before graphql-ws's own dispose, which would say 1001 Going Away.
      for (const socket of wss.clients) socket.close(CLOSE_SERVICE_RESTART, 'Server restarting; reconnect');
      await cleanup.dispose();
    },
  };
}
