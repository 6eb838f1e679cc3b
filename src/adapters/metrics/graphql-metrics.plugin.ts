import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { LoketMetrics } from './loket-metrics';

/** Times every GraphQL operation over HTTP, from request start to response, by (bounded) operation name. */
export function graphqlMetricsPlugin<T extends BaseContext>(metrics: LoketMetrics): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      let name: string | null | undefined = null;
      let type = 'unknown';
      return {
        async didResolveOperation({ operationName, operation }) {
          name = operationName;
          type = operation?.operation ?? 'unknown';
        },
        async willSendResponse() {
          metrics.graphqlOperation(name, type, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
