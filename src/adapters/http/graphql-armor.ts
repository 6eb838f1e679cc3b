import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  ArgumentNode,
  DocumentNode,
  ExecutionArgs,
  FieldNode,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  parse,
  specifiedRules,
  TypeInfo,
  validate,
  ValidationContext,
  ValidationRule,
  ValueNode,
  visit,
  visitWithTypeInfo,
} from 'graphql';

/** The query-shape limits enforced on every GraphQL operation, over HTTP and over WebSocket. */
export interface ArmorLimits {
  /** Deepest field nesting; fragment spreads do not count as a level. */
  readonly maxDepth: number;
  /** Aliased fields per operation (`__typename` aliases are free). */
  readonly maxAliases: number;
  /**
   * graphql-armor's static cost estimate, weighted here as 1 per field, multiplied by the
   * `first:`/`last:` values (literal, from variables, or the schema default): roughly the field values a
   * response holds when every page is full.
   */
  readonly costLimit: number;
  /** Lexical tokens per document, enforced by graphql-js's parser before any AST is built. */
  readonly maxTokens: number;
  /** Directives (`@include`, `@skip`, ...) per operation. */
  readonly maxDirectives: number;
  /** Hide graphql-js's "Did you mean ...?" hints, which would leak the schema when introspection is off. */
  readonly blockFieldSuggestions: boolean;
}

/**
 * Limits sized from the queries real clients send, with headroom, not from graphql-armor's defaults:
 * - maxDepth 10: the deepest screen query, `cases { edges { node { timeline { edges { node { at } } } } } }`,
 *   is 7 levels; today's schema has no cycles, so anything past ~8 is a crafted query. 3 levels of headroom.
 * - maxAliases 15: clients alias at most a handful of fields (e.g. `open: cases(...)`, `overdue: cases(...)`
 *   on a dashboard); 100 aliases of one expensive field is the classic batching amplification.
 * - costLimit 5000 with every field weighing 1 and no per-level factor (graphql-armor's defaults, objects 2
 *   and x1.5 per level, already price a plain `cases(first: 100)` page at ~14,000): measured costs are
 *   case list `cases(first: 20)` with requester, requirements, channel details ~700, plus `timeline(first: 5)`
 *   per case ~1,800; a full `cases(first: 100)` page ~3,500; a case detail with `timeline(first: 100)` ~1,100.
 *   Rejected: 100 cases x `timeline(first: 5)` ~9,000, 50 x 50 events ~15,000, 100 x 100 ~60,000.
 *   graphql-armor's rule multiplies only literal `first:` values; {@link costLimitErrors} applies the same
 *   limit once the variables are known, counting `first: $n` and an omitted `first` (the schema's default
 *   page size) at the value they will have. The resolvers' own page caps (cases: 0..100) still apply.
 * - maxTokens 2000: graphql-js's full introspection query is ~160 tokens, the case list query above ~90;
 *   2000 leaves room for fragment-heavy client documents and still stops a 1 MB token flood (~500k tokens)
 *   before the parser builds an AST for it.
 * - maxDirectives 10: `@include`/`@skip` on a few optional blocks; hundreds is a parser/validator DoS.
 */
export const armorLimits: ArmorLimits = Object.freeze({
  maxDepth: 10,
  maxAliases: 15,
  costLimit: 5000,
  maxTokens: 2000,
  maxDirectives: 10,
  blockFieldSuggestions: true,
});

/** Which limit an armor validation error is about: `extensions.limit` of the error. */
export type ArmorLimitName = 'maxDepth' | 'maxAliases' | 'costLimit' | 'maxDirectives' | 'maxTokens';

/** What the Apollo Server constructor takes from {@link apolloArmor}. */
export interface ApolloArmorOptions {
  readonly plugins: ApolloServerPlugin<BaseContext>[];
  readonly validationRules: ValidationRule[];
  /** Token limit, enforced by Apollo's own `parse` (answers 400 GRAPHQL_PARSE_FAILED). */
  readonly parseOptions: { readonly maxTokens: number };
}

/** The payload of a graphql-ws `subscribe` message, as far as these helpers need it. */
export interface OperationPayload {
  readonly query: string;
  readonly operationName?: string | null;
  readonly variables?: Record<string, unknown> | null;
}

type ArmorConfig = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;

/** Same text graphql-armor's Apollo plugin uses, so both transports mask suggestions identically. */
const SUGGESTION_MASK = '[Suggestion hidden]';
/** graphql-js's hints: `Did you mean "x"?`, `Did you mean the enum value "X"?`, `... "a", "b", or "c"?`. */
const SUGGESTION = /Did you mean [^?]*\?/g;
/** Arguments whose value multiplies the cost of a field's selection (graphql-armor's convention). */
const PAGE_ARGS = new Set(['first', 'last']);

/**
 * Reports a rejected operation as a validation error whose code Apollo keeps
 * (GRAPHQL_VALIDATION_FAILED) and whose `limit` says which limit was hit. graphql-armor's own
 * messages ("Query depth limit of 10 exceeded, found 12.") carry a misleading "Syntax Error: " prefix.
 */
function reportLimit(limit: ArmorLimitName) {
  return (ctx: ValidationContext | null, error: GraphQLError): void => {
    ctx?.reportError(
      new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit },
      }),
    );
  };
}

/**
 * A fresh graphql-armor config per call: ApolloArmor mutates the config it is given (it appends
 * its reporter to `onReject`), so a shared object would collect duplicate reporters.
 */
function armorConfig(limits: ArmorLimits, withSuggestionPlugin: boolean): ArmorConfig {
  const rejectWith = (limit: ArmorLimitName) => ({ exposeLimits: true, propagateOnRejection: false, onReject: [reportLimit(limit)] });
  return {
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: true, ...rejectWith('maxDepth') },
    maxAliases: { n: limits.maxAliases, ...rejectWith('maxAliases') },
    maxDirectives: { n: limits.maxDirectives, ...rejectWith('maxDirectives') },
    costLimit: {
      maxCost: limits.costLimit,
      objectCost: 1,
      scalarCost: 1,
      depthCostFactor: 1,
      flattenFragments: true,
      ignoreIntrospection: true,
      ...rejectWith('costLimit'),
    },
    // graphql-armor's token plugin throws from an Apollo hook, which Apollo 5 answers with HTTP 500;
    // graphql-js's parser has the same limit built in (`parse(source, { maxTokens })`), used instead.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: withSuggestionPlugin && limits.blockFieldSuggestions, mask: SUGGESTION_MASK },
  };
}

/**
 * graphql-armor for Apollo Server: spread into the constructor,
 * `new ApolloServer({ ..., plugins: [...armor.plugins, ...], validationRules: armor.validationRules, parseOptions: armor.parseOptions })`.
 * Limit violations answer HTTP 400 with `extensions.code` GRAPHQL_VALIDATION_FAILED (token flood:
 * GRAPHQL_PARSE_FAILED).
 */
export function apolloArmor(limits: ArmorLimits = armorLimits): ApolloArmorOptions {
  const { plugins, validationRules } = new ApolloArmor(armorConfig(limits, true)).protect();
  return { plugins, validationRules, parseOptions: { maxTokens: limits.maxTokens } };
}

/**
 * The same depth, alias, directive and cost limits as graphql-js validation rules, for transports that
 * validate without Apollo (graphql-ws). Tokens are limited at parse time: {@link parseWithTokenLimit}.
 */
export function armorValidationRules(limits: ArmorLimits = armorLimits): ValidationRule[] {
  return new ApolloArmor(armorConfig(limits, false)).protect().validationRules;
}

/**
 * Parses with the token limit. Throws a GraphQLError with `extensions.code` GRAPHQL_PARSE_FAILED
 * (as Apollo answers) for syntax errors and token floods ("Document contains more that N tokens").
 */
export function parseWithTokenLimit(source: string, limits: ArmorLimits = armorLimits): DocumentNode {
  try {
    return parse(source, { maxTokens: limits.maxTokens });
  } catch (err) {
    if (!(err instanceof GraphQLError)) throw err;
    const limit: Record<string, unknown> = /tokens\. Parsing aborted/.test(err.message) ? { limit: 'maxTokens' } : {};
    throw new GraphQLError(err.message, {
      source: err.source,
      positions: err.positions,
      extensions: { ...err.extensions, code: 'GRAPHQL_PARSE_FAILED', ...limit },
    });
  }
}

/**
 * Hides graphql-js's "Did you mean ...?" hints (fields, arguments, types, enum values) when the limits
 * say so: they would name parts of the schema that introspection no longer shows.
 */
export function maskSuggestions(message: string, limits: ArmorLimits = armorLimits): string {
  return limits.blockFieldSuggestions ? message.replace(SUGGESTION, SUGGESTION_MASK) : message;
}

/**
 * graphql-js validation (all specified rules) plus the armor limits and any `extraRules`, shaped like
 * Apollo's answer: every error has `extensions.code` GRAPHQL_VALIDATION_FAILED, suggestions masked
 * when configured.
 */
export function validateWithArmor(
  schema: GraphQLSchema,
  document: DocumentNode,
  limits: ArmorLimits = armorLimits,
  extraRules: readonly ValidationRule[] = [],
): readonly GraphQLError[] {
  const errors = validate(schema, document, [...specifiedRules, ...armorValidationRules(limits), ...extraRules]);
  return errors.map(
    (e) =>
      new GraphQLError(maskSuggestions(e.message, limits), {
        nodes: e.nodes,
        source: e.source,
        positions: e.positions,
        extensions: { ...e.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
      }),
  );
}

/**
 * For graphql-ws `onSubscribe`: parses (token limit) and validates (specified rules + armor + `extraRules`)
 * the operation, then applies the cost limit with its variables ({@link costLimitErrors}). Returns
 * execution args (graphql-ws then still applies `context`, `roots`, `onNext`) or the errors, which
 * graphql-ws sends as an `error` message for that operation without closing the socket.
 */
export function armoredExecutionArgs(
  schema: GraphQLSchema,
  payload: OperationPayload,
  limits: ArmorLimits = armorLimits,
  extraRules: readonly ValidationRule[] = [],
): ExecutionArgs | readonly GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parseWithTokenLimit(payload.query, limits);
  } catch (err) {
    if (err instanceof GraphQLError) return [err];
    throw err;
  }
  const errors = validateWithArmor(schema, document, limits, extraRules);
  if (errors.length > 0) return errors;
  const cost = costLimitErrors(schema, document, payload.operationName, payload.variables, limits);
  if (cost.length > 0) return cost;
  return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
}

/**
 * The page size a `first:`/`last:` argument will really have: its literal, the variable's value
 * (or the variable's default), else the argument's schema default; at most the field's
 * `extensions.maxPageSize` (the largest page its resolver serves: a larger one is refused there, or
 * served as that many). Null when none is known.
 */
function effectivePageSize(node: ValueNode | undefined, argDefault: unknown, variables: Record<string, unknown>, maxPageSize: unknown): number | null {
  let value: unknown = argDefault;
  if (node?.kind === Kind.INT) value = Number.parseInt(node.value, 10);
  else if (node?.kind === Kind.VARIABLE) value = variables[node.name.value] ?? argDefault;
  if (typeof value !== 'number' || !Number.isInteger(value)) return null;
  return typeof maxPageSize === 'number' ? Math.min(value, maxPageSize) : value;
}

/**
 * The document as graphql-armor's cost rule must see it: the operation that runs (and the fragments)
 * with every `first:`/`last:` written as the integer it will have. graphql-armor only multiplies
 * literal integers, so `cases(first: $n)` and `cases` (page size by default 20) would count as 1.
 */
function withPageSizes(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): DocumentNode {
  const only: DocumentNode = {
    ...document,
    definitions: document.definitions.filter((d) => d === operation || d.kind === Kind.FRAGMENT_DEFINITION),
  };
  const typeInfo = new TypeInfo(schema);
  return visit(
    only,
    visitWithTypeInfo(typeInfo, {
      Field(node: FieldNode): FieldNode | undefined {
        const def = typeInfo.getFieldDef();
        const pageArgs = def?.args.filter((a) => PAGE_ARGS.has(a.name)) ?? [];
        if (pageArgs.length === 0) return undefined;
        const others = (node.arguments ?? []).filter((a) => !PAGE_ARGS.has(a.name.value));
        const sized: ArgumentNode[] = [];
        for (const arg of pageArgs) {
          const n = effectivePageSize(node.arguments?.find((a) => a.name.value === arg.name)?.value, arg.defaultValue, variables, def?.extensions.maxPageSize);
          if (n !== null) sized.push({ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: arg.name }, value: { kind: Kind.INT, value: String(n) } });
        }
        return { ...node, arguments: [...sized, ...others] };
      },
    }),
  );
}

/**
 * The cost limit with the values the operation will run with (variables, defaults), for use once the
 * variables are known (Apollo's `didResolveOperation`, graphql-ws's `onSubscribe`): validation rules
 * never see variables, so `cases(first: $n) { timeline(first: $n) }` with `{"n": 100}` passes them.
 * Returns the costLimit error (as the validation rule reports it), or none. Variables that do not
 * coerce are left to execution, which refuses them before anything runs.
 */
export function costLimitErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  limits: ArmorLimits = armorLimits,
): readonly GraphQLError[] {
  const operation = getOperationAST(document, operationName);
  if (!operation) return [];
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  if (coerced.errors) return [];
  const costOnly = new ApolloArmor({
    ...armorConfig(limits, false),
    maxDepth: { enabled: false },
    maxAliases: { enabled: false },
    maxDirectives: { enabled: false },
  }).protect().validationRules;
  return validate(schema, withPageSizes(schema, document, operation, coerced.coerced), costOnly, { maxErrors: 1 });
}
