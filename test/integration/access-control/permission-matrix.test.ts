import { randomUUID } from 'node:crypto';
import {
  getNamedType, GraphQLArgument, GraphQLField, GraphQLInputType, GraphQLObjectType, GraphQLSchema, isCompositeType, isEnumType,
  isInputObjectType, isListType, isNonNullType, isScalarType,
} from 'graphql';
import { LoketApp } from '../../../src/app';
import { OPERATION_RULES, OperationRule } from '../../../src/domain/access/access-policy';
import { Role, Scope } from '../../../src/domain/access/roles';
import { buildLoketSchema } from '../../../src/schema/build-schema';
import { createTestDatabase } from '../../support/database';
import { anonymous, as, gqlResponse, startTestApp, Target } from '../../support/test-app';
import { codes, streamsOpened, subscribe, trackedWsClient, waitFor } from './support';

const ROLES: Role[] = ['CLERK', 'COMPLAINT_OFFICER', 'HANDLER', 'SUPERVISOR', 'ADMIN', 'INTEGRATION'];
/** The scopes startTestApp gives the INTEGRATION token. */
const INTEGRATION_SCOPES: Scope[] = ['CASES_READ', 'CASES_INTAKE'];
/** An extra INTEGRATION token with CASES_READ only, so that a missing scope is exercised too. */
const READ_ONLY_SCOPES: Scope[] = ['CASES_READ'];
type Caller = Role | 'INTEGRATION_READ_ONLY' | 'NO_TOKEN';
const CALLERS: Caller[] = [...ROLES, 'INTEGRATION_READ_ONLY', 'NO_TOKEN'];
const ROOTS = ['Query', 'Mutation', 'Subscription'] as const;

/** What the matrix says, computed from the rule itself (not through mayCall). */
function expectedOutcome(rule: OperationRule, caller: Caller): 'PUBLIC' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'ALLOWED' {
  if (rule.public) return 'PUBLIC';
  if (caller === 'NO_TOKEN') return 'UNAUTHENTICATED';
  const role: Role = caller === 'INTEGRATION_READ_ONLY' ? 'INTEGRATION' : caller;
  if (!rule.roles.includes(role)) return 'FORBIDDEN';
  // A tool needs the rule's scope; a rule without a scope (such as `me`) needs only the role.
  const scopes = caller === 'INTEGRATION_READ_ONLY' ? READ_ONLY_SCOPES : INTEGRATION_SCOPES;
  if (role === 'INTEGRATION' && rule.scope && !scopes.includes(rule.scope)) return 'FORBIDDEN';
  return 'ALLOWED';
}

/** A type-correct dummy value for an input type (required input fields only, recursively). */
function dummyValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return dummyValue(type.ofType);
  if (isListType(type)) return [dummyValue(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) if (isNonNullType(f.type) && f.defaultValue === undefined) out[f.name] = dummyValue(f.type);
    return out;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return randomUUID();
      case 'String':
        return 'xxxxxxxx';
      case 'Int':
        return 1;
      case 'Float':
        return 1.5;
      case 'Boolean':
        return false;
      case 'DateTime':
        return '2020-01-02T03:04:05.000Z';
      case 'JSONObject':
        return {};
      default:
        throw new Error(`no dummy value for scalar ${type.name}`);
    }
  }
  throw new Error(`unexpected input type ${String(type)}`);
}

/** A syntactically valid operation for one root field, with its variables. */
function operationFor(schema: GraphQLSchema, key: string): { query: string; variables: Record<string, unknown> } {
  const [typeName, fieldName] = key.split('.');
  const root = schema.getType(typeName) as GraphQLObjectType | undefined;
  const field: GraphQLField<unknown, unknown> | undefined = root?.getFields()[fieldName];
  if (!field) throw new Error(`${key} is not a field of the schema`);
  const required = field.args.filter((a: GraphQLArgument) => isNonNullType(a.type) && a.defaultValue === undefined);
  const variables: Record<string, unknown> = {};
  const defs: string[] = [];
  const args: string[] = [];
  for (const a of required) {
    defs.push(`$${a.name}: ${String(a.type)}`);
    args.push(`${a.name}: $${a.name}`);
    variables[a.name] = dummyValue(a.type);
  }
  const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
  const keyword = typeName.toLowerCase();
  const query = `${keyword} Probe${defs.length ? `(${defs.join(', ')})` : ''} { ${fieldName}${args.length ? `(${args.join(', ')})` : ''}${selection} }`;
  return { query, variables };
}

function rootFieldKeys(schema: GraphQLSchema): string[] {
  const keys: string[] = [];
  for (const t of ROOTS) {
    const type = schema.getType(t) as GraphQLObjectType | undefined;
    for (const f of Object.keys(type?.getFields() ?? {})) keys.push(`${t}.${f}`);
  }
  return keys.sort();
}

describe('permission matrix: every root operation × every role (real server)', () => {
  let schema: GraphQLSchema;
  let app: LoketApp;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    schema = await buildLoketSchema();
    const db = await createTestDatabase('acl_matrix');
    drop = db.drop;
    // A long re-check interval: nothing closes a subscription except what a test does.
    app = await startTestApp(db.url, undefined, { wsAuthRecheckSeconds: 3600 });
    const created = await gqlResponse(as(app, 'ADMIN'), `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token apiToken { scopes } } }`, {
      i: { name: 'read-only tool', role: 'INTEGRATION', scopes: READ_ONLY_SCOPES },
    });
    expect(created.body.data?.createApiToken.apiToken.scopes).toEqual(READ_ONLY_SCOPES);
    readOnlyToken = created.body.data!.createApiToken.token;
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  let readOnlyToken: string;
  const target = (caller: Caller): Target =>
    caller === 'NO_TOKEN' ? anonymous(app) : caller === 'INTEGRATION_READ_ONLY' ? { url: app.url, token: readOnlyToken } : as(app, caller);
  const tokenOf = (caller: Caller): string | null => target(caller).token;

  describe('(a) the matrix and the schema agree', () => {
    it('every root field of Query, Mutation and Subscription has a rule', () => {
      const missing = rootFieldKeys(schema).filter((k) => !Object.prototype.hasOwnProperty.call(OPERATION_RULES, k));
      expect(missing).toEqual([]);
    });

    it('every rule names a real root field (no stale rules)', () => {
      const fields = new Set(rootFieldKeys(schema));
      const stale = Object.keys(OPERATION_RULES).filter((k) => !fields.has(k));
      expect(stale).toEqual([]);
    });

    it('the schema really has operations of all three kinds (the walk is not vacuous)', () => {
      const keys = rootFieldKeys(schema);
      for (const t of ROOTS) expect(keys.filter((k) => k.startsWith(`${t}.`)).length).toBeGreaterThan(0);
    });

    it('only `me` is open to every INTEGRATION token whatever its scopes (every other tool operation names a scope)', () => {
      const scopeless = Object.entries(OPERATION_RULES).filter(([, r]) => r.roles.includes('INTEGRATION') && !r.scope).map(([k]) => k);
      expect(scopeless).toEqual(['Query.me']);
    });

    it('only login and the status lookup are public', () => {
      expect(Object.entries(OPERATION_RULES).filter(([, r]) => r.public).map(([k]) => k).sort()).toEqual(['Mutation.login', 'Query.caseStatus']);
    });
  });

  describe('(b) queries and mutations over HTTP', () => {
    const keys = Object.keys(OPERATION_RULES).filter((k) => !k.startsWith('Subscription.')).sort();

    describe.each(keys)('%s', (key) => {
      const rule = OPERATION_RULES[key];

      it.each(CALLERS)('as %s', async (caller) => {
        const { query, variables } = operationFor(schema, key);
        const r = await gqlResponse(target(caller), query, variables);
        const got = codes(r.body);
        const expected = expectedOutcome(rule, caller);
        const context = `${caller} ${query} ${JSON.stringify(variables)} -> ${r.status} ${JSON.stringify(r.body.errors ?? r.body.data)}`;
        switch (expected) {
          case 'UNAUTHENTICATED':
            expect({ context, codes: got, reason: r.body.errors?.[0]?.extensions?.reason, status: r.status }).toEqual({
              context, codes: ['UNAUTHENTICATED'], reason: 'MISSING', status: 401,
            });
            expect(r.body.data ?? null).toBeNull();
            break;
          case 'FORBIDDEN':
            expect({ context, codes: got, status: r.status }).toEqual({ context, codes: ['FORBIDDEN'], status: 403 });
            expect(r.body.errors?.[0]?.extensions?.operation).toBe(key);
            expect(r.body.data ?? null).toBeNull();
            break;
          case 'ALLOWED':
            expect({ context, forbidden: got.filter((c) => c === 'FORBIDDEN' || c === 'UNAUTHENTICATED') }).toEqual({ context, forbidden: [] });
            // The operation got past the guard: it executed (data or a resolver error at its path) or failed on its input.
            expect({ context, ok: got.length === 0 || got.every((c) => c !== 'GRAPHQL_VALIDATION_FAILED' && c !== 'GRAPHQL_PARSE_FAILED') }).toEqual({ context, ok: true });
            break;
          case 'PUBLIC':
            // A dummy login fails as a bad login (UNAUTHENTICATED with reason BAD_LOGIN), never as a missing credential or a refusal.
            expect({ context, forbidden: got.includes('FORBIDDEN') }).toEqual({ context, forbidden: false });
            for (const e of r.body.errors ?? []) {
              if (e.extensions?.code === 'UNAUTHENTICATED') expect({ context, reason: e.extensions?.reason }).toEqual({ context, reason: 'BAD_LOGIN' });
            }
            expect(got.length).toBeGreaterThan(0); // no such user: the dummy login must not succeed
            break;
        }
      });
    });
  });

  describe('(b) subscriptions over graphql-ws', () => {
    const keys = Object.keys(OPERATION_RULES).filter((k) => k.startsWith('Subscription.')).sort();

    it('there are subscriptions in the matrix', () => {
      expect(keys.length).toBeGreaterThan(0);
    });

    describe.each(keys)('%s', (key) => {
      const rule = OPERATION_RULES[key];

      it.each(CALLERS)('as %s', async (caller) => {
        const { query, variables } = operationFor(schema, key);
        const counter = streamsOpened(app);
        const before = counter.count;
        const ws = trackedWsClient(app.url, tokenOf(caller));
        const sub = subscribe(ws.client, query, variables);
        try {
          // The first outcome: the stream opened on the server (the operation passed the guard), an error, or a close.
          await waitFor(
            () => counter.count > before || sub.errors.length > 0 || sub.completed || ws.closes.length > 0 || sub.items.length > 0,
            `an outcome of ${key} as ${caller}`,
          );
          const errorCodes = sub.errors.map((e: any) => e?.extensions?.code ?? (typeof e?.code === 'number' ? `CLOSE_${e.code}` : String(e)));
          const context = `${caller} ${query} -> errors ${JSON.stringify(errorCodes)} closes ${JSON.stringify(ws.closes)}`;
          const expected = expectedOutcome(rule, caller);
          switch (expected) {
            case 'UNAUTHENTICATED': {
              await waitFor(() => ws.closes.length > 0, 'the socket to be closed');
              expect({ context, close: [4401, 4403].includes(ws.closes[0].code) }).toEqual({ context, close: true });
              expect(counter.count).toBe(before);
              expect(sub.items).toEqual([]);
              break;
            }
            case 'FORBIDDEN':
              expect({ context, errorCodes }).toEqual({ context, errorCodes: ['FORBIDDEN'] });
              expect(counter.count).toBe(before);
              break;
            case 'ALLOWED':
            case 'PUBLIC':
              expect({ context, errorCodes, closes: ws.closes }).toEqual({ context, errorCodes: [], closes: [] });
              expect(counter.count).toBeGreaterThan(before);
              break;
          }
        } finally {
          sub.dispose();
          await ws.client.dispose();
        }
      });
    });

    it('the subscriptions of this file were all released on the server', async () => {
      await waitFor(() => app.services.stream.subscriberCount === 0, 'all subscriptions to be released');
      expect(app.services.stream.subscriberCount).toBe(0);
    });
  });
});
