import type { Pool } from 'pg';
import { Logger } from 'pino';
import { graphqlMetricsPlugin } from '../adapters/metrics/graphql-metrics.plugin';
import { LoketMetrics } from '../adapters/metrics/loket-metrics';
import { metricsRoutes } from '../adapters/metrics/metrics-route';
import { Database } from '../adapters/persistence/data-source';
import { LoketConfig } from '../config';
import { Clock } from '../domain/shared/clock.port';
import { GraphQLContext } from '../schema/context';
import { CoreServices } from './core';

/**
 * The metrics of one instance: counters fed by the core's callbacks (cases created at commit),
 * gauges read at scrape time, and what the HTTP app, Apollo, the scheduler and the WebSocket
 * server plug in. GET /metrics exists only with LOKET_METRICS_TOKEN.
 */
export function composeMetrics(config: LoketConfig, db: Database, core: CoreServices, clock: Clock, log: Logger) {
  const metrics = new LoketMetrics({
    sql: (sql, params) => db.dataSource.query(sql, params),
    now: () => clock.now(),
    cacheMs: config.metricsCacheMs,
    processMetrics: !!config.metricsToken,
  });
  core.cases.onCasesCreated((cases) => metrics.casesCommitted(cases));
  const pool = db.pglite ? null : ((db.dataSource.driver as unknown as { master?: Pool }).master ?? null);
  metrics.observePool(() => (pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : null));
  return {
    metrics,
    routes: metricsRoutes(metrics, config.metricsToken, log),
    graphqlPlugin: graphqlMetricsPlugin<GraphQLContext>(metrics),
    jobFinished: (job: string, outcome: string) => metrics.jobFinished(job, outcome),
    observeSubscriptions: (count: () => number) => metrics.observeSubscriptions(count),
  };
}
