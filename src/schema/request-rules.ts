import { ApolloServerPlugin } from '@apollo/server';
import {
  DocumentNode,
  ExecutionArgs,
  GraphQLError,
  GraphQLFormattedError,
  GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  ValidationRule,
} from 'graphql';
import {
  armorLimits,
  ArmorLimits,
  armoredExecutionArgs,
  armorValidationRules,
  costLimitErrors,
  maskSuggestions,
  OperationPayload,
} from '../adapters/http/graphql-armor';
import { ValidationError } from '../domain/shared/domain-error';
import { GraphQLContext } from './context';
import { formatError, toGraphQLError } from './errors/error-mapping';
import { nulCharacterArgument } from './text-input-guard';

export interface RequestRulesOptions {
  /** Production: no introspection. */
  readonly production: boolean;
  readonly limits?: ArmorLimits;
}

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** What every GraphQL request meets, over HTTP (Apollo) and over WebSocket (graphql-ws) alike. */
export interface RequestRules {
  /** Spread into the ApolloServer constructor. */
  readonly apolloOptions: {
    readonly introspection: boolean;
    readonly validationRules: ValidationRule[];
    readonly parseOptions: { readonly maxTokens: number };
    /**
     * Automatic persisted queries off: no client uses them, and the shared hash cache answered
     * anonymous probes differently before and after someone ran a query (PERSISTED_QUERY_NOT_FOUND,
     * then UNAUTHENTICATED). Every persisted-query request now gets PERSISTED_QUERY_NOT_SUPPORTED.
     */
    readonly persistedQueries: false;
    readonly formatError: FormatError;
  };
  /**
   * Apollo plugins checking what needs the variables (cost, text inputs). Listed after the
   * operation-auth plugin, so that a caller who may not run the operation hears that first.
   */
  readonly apolloPlugins: ApolloServerPlugin<GraphQLContext>[];
  /** For graphql-ws `onSubscribe`: the operation parsed, validated and checked, or its errors. */
  executionArgs(payload: OperationPayload): ExecutionArgs | GraphQLError[];
  /** Error formatting (domain error mapping, suggestions masked) for both transports. */
  readonly formatError: FormatError;
}

/**
 * The request rules in one place: graphql-armor's limits (depth, aliases, directives, cost, tokens),
 * introspection refused in production, the cost limit again with the variables' values, no NUL
 * character in any text input, and "Did you mean ...?" hints masked in every error.
 */
export function requestRules(schema: GraphQLSchema, options: RequestRulesOptions): RequestRules {
  const limits = options.limits ?? armorLimits;
  const introspection = !options.production;
  // Apollo adds graphql-js's NoSchemaIntrospectionCustomRule itself when `introspection` is false.
  const wsRules: ValidationRule[] = introspection ? [] : [NoSchemaIntrospectionCustomRule];

  const checkWithVariables = (document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): GraphQLError[] => {
    const cost = costLimitErrors(schema, document, operationName, variables, limits);
    if (cost.length > 0) return [...cost];
    const field = nulCharacterArgument(schema, document, operationName, variables);
    return field ? [nulError(field)] : [];
  };

  const format: FormatError = (formatted, error) => {
    const f = formatError(formatted, error);
    return { ...f, message: maskSuggestions(f.message, limits) };
  };

  const variablesPlugin: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const [error] = checkWithVariables(document, request.operationName, request.variables);
          // Refused before execution, like a validation error: HTTP 400.
          if (error) throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400 } } });
        },
      };
    },
  };

  return {
    apolloOptions: {
      introspection,
      validationRules: armorValidationRules(limits),
      parseOptions: { maxTokens: limits.maxTokens },
      persistedQueries: false,
      formatError: format,
    },
    apolloPlugins: [variablesPlugin],
    executionArgs(payload) {
      // Parse, validation (suggestions masked) and the cost limit with variables, as over HTTP.
      const args = armoredExecutionArgs(schema, payload, limits, wsRules);
      if (isErrorList(args)) return [...args];
      const field = nulCharacterArgument(schema, args.document, args.operationName, args.variableValues);
      return field ? [nulError(field)] : args;
    },
    formatError: format,
  };
}

/** BAD_USER_INPUT naming the argument, as the domain's own input validation answers. */
function nulError(field: string): GraphQLError {
  return toGraphQLError(ValidationError.single(field, 'must not contain the NUL character (U+0000)'));
}

function isErrorList(x: ExecutionArgs | readonly GraphQLError[]): x is readonly GraphQLError[] {
  return Array.isArray(x);
}
