import { ApolloServer, HeaderMap } from '@apollo/server';
import {
  buildSchema,
  ExecutionArgs,
  getIntrospectionQuery,
  GraphQLError,
  GraphQLInt,
  GraphQLList,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
} from 'graphql';
import {
  apolloArmor,
  armorLimits,
  armoredExecutionArgs,
  armorValidationRules,
  costLimitErrors,
  maskSuggestions,
  parseWithTokenLimit,
  validateWithArmor,
} from '../../../src/adapters/http/graphql-armor';

/** The shape of Loket's schema that matters for limits, plus one cycle (Case.mergedInto) to build depth bombs. */
const schema = buildSchema(`
  type Query { cases(first: Int, after: String): CaseConnection!  case(id: ID): Case }
  type CaseConnection { edges: [CaseEdge!]!  pageInfo: PageInfo!  totalCount: Int! }
  type CaseEdge { cursor: String!  node: Case! }
  type PageInfo { hasNextPage: Boolean!  endCursor: String }
  type Case {
    id: ID!  reference: String!  kind: String!  channel: String!  status: String!  subject: String!
    receivedAt: String!  dueAt: String  overdue: Boolean!  deadlineWarnings: [String!]!
    requester: Requester  requirements: Requirements  channelDetails: [ChannelDetail!]!
    assignee: String  mergedInto: Case
    timeline(first: Int, after: String): TimelineConnection!
  }
  type Requester { name: String  nik: String  organization: String  phone: String  email: String  address: String }
  type Requirements { assignmentLetter: Boolean!  requestLetter: Boolean!  identityDocument: Boolean!  complete: Boolean!  missing: [String!]! }
  type ChannelDetail { name: String!  value: String! }
  type TimelineConnection { edges: [TimelineEdge!]!  pageInfo: PageInfo!  totalCount: Int! }
  type TimelineEdge { cursor: String!  node: TimelineEvent! }
  type TimelineEvent { id: ID!  cursor: String!  type: String!  actor: String!  at: String!  text: String }
`);

/** What the case list screen sends: depth 7 (cases > edges > node > timeline > edges > node > at). */
const CASES_QUERY = `
  query CaseList($after: String) {
    cases(first: 20, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          id reference kind channel status subject receivedAt dueAt overdue deadlineWarnings assignee
          requester { name nik organization phone email address }
          requirements { assignmentLetter requestLetter identityDocument complete missing }
          channelDetails { name value }
          timeline(first: 5) {
            totalCount
            edges { cursor node { id cursor type actor at text } }
          }
        }
      }
    }
  }
`;

/** A query `levels` fields deep: case { mergedInto { ... { id } } }. */
function nested(levels: number): string {
  return `{ case { ${'mergedInto { '.repeat(levels - 2)}id${' }'.repeat(levels - 1)} }`;
}

function errorsFor(query: string): readonly GraphQLError[] {
  return validateWithArmor(schema, parse(query));
}

describe('armorLimits', () => {
  it('has the documented values', () => {
    expect(armorLimits).toEqual({ maxDepth: 10, maxAliases: 15, costLimit: 5000, maxTokens: 2000, maxDirectives: 10, blockFieldSuggestions: true });
    expect(Object.isFrozen(armorLimits)).toBe(true);
  });
});

describe('validateWithArmor (graphql-ws path)', () => {
  it('accepts the realistic cases query', () => {
    expect(errorsFor(CASES_QUERY)).toEqual([]);
  });

  it('measures the realistic query as depth 7', () => {
    const depthErrors = (maxDepth: number) => validateWithArmor(schema, parse(CASES_QUERY), { ...armorLimits, maxDepth }).length;
    expect(depthErrors(7)).toBe(0);
    expect(depthErrors(6)).toBe(1);
  });

  it('accepts the introspection query (depth and cost ignore __schema; within token limit)', () => {
    expect(() => parseWithTokenLimit(getIntrospectionQuery())).not.toThrow();
    expect(errorsFor(getIntrospectionQuery())).toEqual([]);
  });

  it('accepts depth 10 and rejects depth 11 (depth bomb) with the limit in the message', () => {
    expect(nested(10)).toContain('case { mergedInto');
    expect(errorsFor(nested(10))).toEqual([]);
    const errors = errorsFor(nested(11));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toBe('Query depth limit of 10 exceeded, found 11.');
    expect(errors[0]?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxDepth' });
  });

  it('counts depth through fragments', () => {
    const query = `{ ...Deep } fragment Deep on Query { ${nested(12).slice(2, -2)} }`;
    expect(errorsFor(query).map((e) => e.extensions.limit)).toContain('maxDepth');
  });

  it('rejects an alias bomb of 100 aliases', () => {
    const aliases = Array.from({ length: 100 }, (_, i) => `a${i}: case(id: "${i}") { id }`).join(' ');
    const errors = errorsFor(`{ ${aliases} }`);
    const alias = errors.find((e) => e.extensions.limit === 'maxAliases');
    expect(alias?.message).toBe('Aliases limit of 15 exceeded, found 100.');
    expect(alias?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('accepts 15 aliases', () => {
    const aliases = Array.from({ length: 15 }, (_, i) => `a${i}: case(id: "${i}") { id }`).join(' ');
    expect(errorsFor(`{ ${aliases} }`)).toEqual([]);
  });

  it('rejects too many directives', () => {
    const fields = Array.from({ length: 11 }, () => 'id @include(if: true)').join(' ');
    const errors = errorsFor(`{ case { ${fields} } }`);
    expect(errors.map((e) => [e.extensions.limit, e.message])).toEqual([['maxDirectives', 'Directives limit of 10 exceeded, found 11.']]);
  });

  it('rejects a query whose estimated cost explodes (100 cases x 100 events)', () => {
    const errors = errorsFor('{ cases(first: 100) { edges { node { timeline(first: 100) { edges { node { id at text } } } } } } }');
    expect(errors.map((e) => e.extensions.limit)).toEqual(['costLimit']);
    expect(errors[0]?.message).toMatch(/^Query Cost limit of 5000 exceeded, found \d+/);
  });

  it('reports each violation once however many times the rules are built', () => {
    armorValidationRules();
    armorValidationRules();
    expect(errorsFor(nested(11))).toHaveLength(1);
  });

  it('hides field suggestions and gives plain graphql-js errors the Apollo code', () => {
    const errors = errorsFor('{ casez { totalCount } }');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).not.toMatch(/Did you mean/);
    expect(errors[0]?.message).toContain('[Suggestion hidden]');
    expect(errors[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('honours custom limits', () => {
    expect(validateWithArmor(schema, parse(nested(5)), { ...armorLimits, maxDepth: 4 }).map((e) => e.extensions.limit)).toEqual(['maxDepth']);
  });
});

describe('costLimitErrors (the cost limit with the variables known)', () => {
  /** The pen-test's request: 15 aliases x `cases(first: $n) { ... timeline(first: $n) }`. */
  const ATTACK = `query($n: Int) { ${Array.from(
    { length: 15 },
    (_, i) => `a${i}: cases(first: $n) { edges { node { id subject timeline(first: $n) { edges { node { id at text } } } } } }`,
  ).join(' ')} }`;
  const costOf = (query: string, variables?: Record<string, unknown>, s = schema, limits = armorLimits) => costLimitErrors(s, parse(query), undefined, variables, limits);

  it('refuses page sizes passed as variables that the static rule counts as 1', () => {
    expect(errorsFor(ATTACK)).toEqual([]); // what validation alone lets through
    const errors = costOf(ATTACK, { n: 100 });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/^Query Cost limit of 5000 exceeded, found \d+\.$/);
    expect(errors[0]?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'costLimit' });
  });

  it('counts a variable exactly as the same literal', () => {
    const literal = '{ cases(first: 100) { edges { node { timeline(first: 100) { edges { node { id at text } } } } } } }';
    const found = (errors: readonly GraphQLError[]) => /found (\d+)/.exec(errors[0]?.message ?? '')?.[1];
    const viaVariables = costOf('query($a: Int, $b: Int!) { cases(first: $a) { edges { node { timeline(first: $b) { edges { node { id at text } } } } } } }', { a: 100, b: 100 });
    expect(found(viaVariables)).toBeDefined();
    expect(found(viaVariables)).toBe(found(errorsFor(literal)));
  });

  it("uses the variable's default when no value is sent", () => {
    expect(costOf('query($n: Int = 100) { cases(first: $n) { edges { node { timeline(first: $n) { edges { node { id } } } } } } }')).toHaveLength(1);
  });

  it("uses the argument's schema default when first is left out", () => {
    const withDefaults = buildSchema(`
      type Query { cases(first: Int = 20): CaseConnection! }
      type CaseConnection { edges: [CaseEdge!]! }
      type CaseEdge { node: Case! }
      type Case { id: ID!  timeline(first: Int = 100): TimelineConnection! }
      type TimelineConnection { edges: [TimelineEdge!]! }
      type TimelineEdge { node: TimelineEvent! }
      type TimelineEvent { id: ID!  at: String!  text: String }
    `);
    const query = (timeline: string) => `{ a: cases { edges { node { id timeline${timeline} { edges { node { id at text } } } } } } b: cases { edges { node { id } } } }`;
    expect(costOf(query(''), undefined, withDefaults).map((e) => e.extensions.limit)).toEqual(['costLimit']);
    expect(costOf(query('(first: 5)'), undefined, withDefaults)).toEqual([]);
  });

  it("prices a page size at most at the field's extensions.maxPageSize (a larger page is refused or cut by the resolver)", () => {
    const capped = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: {
          items: {
            type: new GraphQLList(new GraphQLObjectType({ name: 'Item', fields: { a: { type: GraphQLString }, b: { type: GraphQLString }, c: { type: GraphQLString } } })),
            args: { first: { type: GraphQLInt, defaultValue: 10 } },
            extensions: { maxPageSize: 100 },
          },
        },
      }),
    });
    const query = 'query($n: Int) { items(first: $n) { a b c } }';
    // 1000 x 4 would be over the limit; the resolver serves at most 100 (x 4 = 400).
    expect(costOf(query, { n: 1000 }, capped)).toEqual([]);
    expect(costOf(query, { n: 1000 }, capped, { ...armorLimits, costLimit: 399 }).map((e) => e.extensions.limit)).toEqual(['costLimit']);
  });

  it('lets ordinary operations with variables through', () => {
    const list = CASES_QUERY.replace('query CaseList($after: String)', 'query CaseList($after: String, $first: Int, $events: Int)')
      .replace('cases(first: 20', 'cases(first: $first')
      .replace('timeline(first: 5)', 'timeline(first: $events)');
    expect(costOf(list, { first: 20, events: 5, after: null })).toEqual([]);
    expect(costOf('query($n: Int) { cases(first: $n) { totalCount edges { node { id subject } } } }', { n: 100 })).toEqual([]);
    expect(costOf('query($id: ID) { case(id: $id) { id timeline(first: 100) { edges { node { id at text } } } } }', { id: 'x' })).toEqual([]);
  });

  it('only prices the operation that runs', () => {
    const doc = `query Small($n: Int) { cases(first: $n) { totalCount } } query Big($n: Int) { cases(first: $n) { edges { node { timeline(first: $n) { edges { node { id } } } } } } }`;
    expect(costLimitErrors(schema, parse(doc), 'Small', { n: 100 })).toEqual([]);
    expect(costLimitErrors(schema, parse(doc), 'Big', { n: 100 })).toHaveLength(1);
  });

  it('leaves variables that do not coerce to execution, which refuses them', () => {
    expect(costOf('query($n: Int) { cases(first: $n) { totalCount } }', { n: 'many' })).toEqual([]);
  });

  it('is applied by armoredExecutionArgs (graphql-ws path)', () => {
    const refused = armoredExecutionArgs(schema, { query: ATTACK, variables: { n: 100 } });
    expect((refused as readonly GraphQLError[]).map((e) => e.extensions.limit)).toEqual(['costLimit']);
    expect(Array.isArray(armoredExecutionArgs(schema, { query: ATTACK, variables: { n: 2 } }))).toBe(false);
  });
});

describe('maskSuggestions', () => {
  it('hides every kind of graphql-js hint', () => {
    expect(maskSuggestions('Cannot query field "rol" on type "Principal". Did you mean "role"?')).toBe('Cannot query field "rol" on type "Principal". [Suggestion hidden]');
    expect(maskSuggestions('Value "OPNE" does not exist in "CaseStatus" enum. Did you mean the enum value "OPEN"?')).not.toMatch(/OPEN|Did you mean/);
    expect(maskSuggestions('Unknown type "Cse". Did you mean "Case", "CaseEdge", or "CaseKind"?')).toBe('Unknown type "Cse". [Suggestion hidden]');
  });

  it('keeps the hints when the limits allow them', () => {
    expect(maskSuggestions('Did you mean "role"?', { ...armorLimits, blockFieldSuggestions: false })).toBe('Did you mean "role"?');
  });
});

describe('parseWithTokenLimit', () => {
  const flood = `{ ${Array.from({ length: 2100 }, () => '__typename').join(' ')} }`;

  it('rejects a token flood with GRAPHQL_PARSE_FAILED and the limit in the message', () => {
    let thrown: unknown;
    try {
      parseWithTokenLimit(flood);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(GraphQLError);
    const error = thrown as GraphQLError;
    expect(error.message).toMatch(/more that 2000 tokens/);
    expect(error.extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED', limit: 'maxTokens' });
    expect(JSON.stringify(error.toJSON())).not.toMatch(/stack|\.js:\d+/);
  });

  it('gives ordinary syntax errors the parse code without a limit', () => {
    expect(() => parseWithTokenLimit('{ cases {')).toThrow(expect.objectContaining({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } }));
  });

  it('parses the realistic query', () => {
    expect(parseWithTokenLimit(CASES_QUERY).definitions).toHaveLength(1);
  });

  it('is used by armoredExecutionArgs, which returns errors instead of throwing', () => {
    const result = armoredExecutionArgs(schema, { query: flood });
    expect(Array.isArray(result)).toBe(true);
    expect((result as readonly GraphQLError[])[0]?.extensions.limit).toBe('maxTokens');
  });
});

describe('armoredExecutionArgs', () => {
  it('returns execution args for a valid operation', () => {
    const result = armoredExecutionArgs(schema, { query: CASES_QUERY, operationName: 'CaseList', variables: { after: 'x' } });
    expect(Array.isArray(result)).toBe(false);
    const args = result as ExecutionArgs;
    expect(args.schema).toBe(schema);
    expect(args.operationName).toBe('CaseList');
    expect(args.variableValues).toEqual({ after: 'x' });
    expect(args.document.definitions).toHaveLength(1);
  });

  it('returns the validation errors for a depth bomb', () => {
    const result = armoredExecutionArgs(schema, { query: nested(30) });
    expect((result as readonly GraphQLError[]).map((e) => e.extensions.limit)).toEqual(['maxDepth']);
  });
});

describe('apolloArmor (Apollo Server path)', () => {
  let server: ApolloServer;

  beforeAll(async () => {
    const armor = apolloArmor();
    server = new ApolloServer({
      schema,
      rootValue: { cases: () => ({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } }) },
      includeStacktraceInErrorResponses: false,
      plugins: [...armor.plugins],
      validationRules: armor.validationRules,
      parseOptions: armor.parseOptions,
    });
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
  });

  async function post(query: string): Promise<{ status: number; body: { data?: unknown; errors?: { message: string; extensions: Record<string, unknown> }[] } }> {
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: { query } },
      context: async () => ({}),
    });
    if (response.body.kind !== 'complete') throw new Error('expected a complete body');
    return { status: response.status ?? 200, body: JSON.parse(response.body.string) };
  }

  it('runs the realistic cases query', async () => {
    const { status, body } = await post(CASES_QUERY);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(body.data).toEqual({ cases: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] } });
  });

  it('answers a depth bomb with 400, a stable code and the limit, no stack trace', async () => {
    const { status, body } = await post(nested(11));
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      { message: 'Query depth limit of 10 exceeded, found 11.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxDepth' } },
    ]);
  });

  it('answers an alias bomb with 400', async () => {
    const aliases = Array.from({ length: 100 }, (_, i) => `a${i}: cases { totalCount }`).join(' ');
    const { status, body } = await post(`{ ${aliases} }`);
    expect(status).toBe(400);
    expect(body.errors?.map((e) => e.extensions.limit)).toContain('maxAliases');
  });

  it('answers a token flood with 400 GRAPHQL_PARSE_FAILED (not 500)', async () => {
    const { status, body } = await post(`{ ${Array.from({ length: 2100 }, () => '__typename').join(' ')} }`);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(body.errors?.[0]?.message).toMatch(/2000 tokens/);
    expect(body.errors?.[0]?.extensions.stacktrace).toBeUndefined();
  });

  it('hides field suggestions', async () => {
    const { status, body } = await post('{ casez { totalCount } }');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });
});
