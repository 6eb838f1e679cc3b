import { ApolloServerPlugin } from '@apollo/server';
import { DomainError } from '../../domain/shared/domain-error';
import { GraphQLContext } from '../context';
import { toGraphQLError } from '../errors/error-mapping';
import { authorizeOperation, mutationCount, rootOperations } from './operation-guard';
import { RequestLimits } from './request-limits';

/**
 * Checks every HTTP operation before execution: the caller may call each root field
 * (default deny), and mutations stay within their rate limits (each top-level mutation field counts). Refusals carry their HTTP
 * status (401, 403, 429 with Retry-After).
 */
export function operationAuthPlugin(limits: RequestLimits): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, contextValue }) {
          if (!operation) return; // Apollo itself refuses a request without a resolvable operation.
          try {
            const ops = rootOperations(document, operation);
            authorizeOperation(contextValue.principal, ops);
            await limits.mutation(contextValue.principal, contextValue.ip, mutationCount(document, operation));
          } catch (err) {
            if (err instanceof DomainError) throw toGraphQLError(err);
            throw err;
          }
        },
      };
    },
  };
}
