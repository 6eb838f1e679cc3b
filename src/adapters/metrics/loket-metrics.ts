import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Runs one SQL query with positional parameters (a TypeORM DataSource's `query` fits). */
export type MetricsSql = (sql: string, params?: unknown[]) => Promise<unknown[]>;

/** pg Pool counters; null for a driver without a pool (PGlite). */
export interface PoolUse {
  total: number;
  idle: number;
  waiting: number;
}

export interface LoketMetricsOptions {
  /** Reads the database-derived gauges (open cases, queue depths) at scrape time. */
  sql: MetricsSql;
  /** Database time used for "at risk" and "breached" (the injected clock). */
  now: () => Date;
  /** How long one reading of the database gauges is reused (default 5 s; 0 reads at every scrape). */
  cacheMs?: number;
  /** Also export the process metrics (CPU, memory, event loop, GC). */
  processMetrics?: boolean;
}

/** GraphQL operation names are chosen by clients: only this many distinct ones get their own label. */
export const MAX_OPERATION_LABELS = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Statuses a case can be worked in (open) or waits in (clock stopped). */
const OPEN_STATES = ['INCOMPLETE', 'RECEIVED', 'IN_PROGRESS', 'WAITING'] as const;
const RUNNING_CLOCK = `status IN ('INCOMPLETE', 'RECEIVED', 'IN_PROGRESS')`;

/**
 * One cheap statement for every database-derived gauge: counts over partial indexes (outgoing
 * mail, quarantine, drop items, unlinked calls) and the open cases. The channel tables exist on
 * every installation (all migrations run), whether the channel is switched on or not.
 */
const GAUGES_SQL = `SELECT
  (SELECT coalesce(json_object_agg(status, n), '{}'::json) FROM (SELECT status, count(*) AS n FROM cases WHERE status IN (${OPEN_STATES.map((s) => `'${s}'`).join(', ')}) GROUP BY status) s) AS by_state,
  (SELECT count(*) FROM cases WHERE ${RUNNING_CLOCK} AND due_at > $1::timestamptz AND warn_at <= $1::timestamptz) AS at_risk,
  (SELECT count(*) FROM cases WHERE ${RUNNING_CLOCK} AND due_at <= $1::timestamptz) AS breached,
  (SELECT count(*) FROM outbox) AS outbox,
  (SELECT count(*) FROM outgoing_mails WHERE status IN ('PENDING', 'SENDING')) AS outgoing_mail,
  (SELECT count(*) FROM email_messages WHERE outcome = 'QUARANTINED') AS email_quarantine,
  (SELECT count(*) FROM drop_items WHERE status = 'UNREGISTERED' AND kind = 'SCAN') AS unregistered_scans,
  (SELECT count(*) FROM drop_items WHERE status = 'UNREGISTERED' AND kind = 'FAX') AS unregistered_faxes,
  (SELECT count(*) FROM call_records WHERE case_id IS NULL) AS unlogged_calls,
  (SELECT count(*) FROM whatsapp_outbox WHERE status IN ('HELD', 'PENDING', 'SENDING')) AS whatsapp_outbox,
  (SELECT count(*) FROM lapor_outbox WHERE state IN ('PENDING', 'SENDING')) AS lapor_outbox,
  (SELECT count(*) FROM lapor_quarantine) AS lapor_quarantine`;

type GaugeRow = Record<string, unknown> & { by_state: Record<string, string | number> | string; at_risk: string | number; breached: string | number };
const QUEUES = ['outbox', 'outgoing_mail', 'email_quarantine', 'unregistered_scans', 'unregistered_faxes', 'unlogged_calls', 'whatsapp_outbox', 'lapor_outbox', 'lapor_quarantine'] as const;

/**
 * Every metric Loket exports, in its own registry (several apps can live in one process, as in
 * the tests). The core counts through the small callbacks this class offers (`caseCreated`,
 * `jobFinished`...); nothing outside src/adapters/metrics knows prom-client.
 */
export class LoketMetrics {
  readonly registry = new Registry();
  private readonly casesCreated: Counter<'channel' | 'kind'>;
  private readonly jobRuns: Counter<'job' | 'outcome'>;
  private readonly httpResponses: Counter<'code'>;
  private readonly operationDuration: Histogram<'operation' | 'type'>;
  private readonly operationNames = new Set<string>();
  private subscriptions: () => number = () => 0;
  private pool: () => PoolUse | null = () => null;
  private cached: { at: number; row: Promise<GaugeRow> } | null = null;
  private readonly cacheMs: number;

  constructor(private readonly o: LoketMetricsOptions) {
    this.cacheMs = o.cacheMs ?? 5_000;
    const registers = [this.registry];
    this.casesCreated = new Counter({ name: 'loket_cases_created_total', help: 'Cases created by this instance (counted at commit), by channel and kind', labelNames: ['channel', 'kind'], registers });
    this.jobRuns = new Counter({ name: 'loket_scheduler_job_runs_total', help: 'Scheduled job runs on this instance, by job and outcome (ok, failed)', labelNames: ['job', 'outcome'], registers });
    this.httpResponses = new Counter({ name: 'loket_http_responses_total', help: 'HTTP responses by status code', labelNames: ['code'], registers });
    this.operationDuration = new Histogram({
      name: 'loket_graphql_operation_duration_seconds',
      help: `GraphQL operations over HTTP by operation name (at most ${MAX_OPERATION_LABELS} names; others and anonymous ones are "other") and type`,
      labelNames: ['operation', 'type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const self = this;
    new Gauge({
      name: 'loket_subscriptions_open',
      help: 'GraphQL subscriptions open on this instance (WebSocket)',
      registers,
      collect() {
        this.set(self.subscriptions());
      },
    });
    new Gauge({
      name: 'loket_db_pool_connections',
      help: 'Database pool connections by state (total, idle, waiting clients); absent on PGlite',
      labelNames: ['state'],
      registers,
      collect() {
        const use = self.pool();
        if (!use) return;
        this.set({ state: 'total' }, use.total);
        this.set({ state: 'idle' }, use.idle);
        this.set({ state: 'waiting' }, use.waiting);
      },
    });
    new Gauge({
      name: 'loket_cases_open',
      help: 'Cases not finished, by state (WAITING: clock stopped)',
      labelNames: ['state'],
      registers,
      async collect() {
        const row = await self.gauges();
        const byState = (typeof row.by_state === 'string' ? JSON.parse(row.by_state) : row.by_state) as Record<string, string | number>;
        for (const state of OPEN_STATES) this.set({ state }, Number(byState[state] ?? 0));
      },
    });
    new Gauge({
      name: 'loket_cases_at_risk',
      help: 'Open cases past their SLA warning time, not yet breached',
      registers,
      async collect() {
        this.set(Number((await self.gauges()).at_risk));
      },
    });
    new Gauge({
      name: 'loket_cases_breached',
      help: 'Open cases past their SLA deadline',
      registers,
      async collect() {
        this.set(Number((await self.gauges()).breached));
      },
    });
    new Gauge({
      name: 'loket_queue_depth',
      help: 'Rows waiting in each queue: outbox, outgoing mail (pending or sending), quarantines, unregistered scans and faxes, calls not linked to a case, WhatsApp and LAPOR! outboxes',
      labelNames: ['queue'],
      registers,
      async collect() {
        const row = await self.gauges();
        for (const queue of QUEUES) this.set({ queue }, Number(row[queue] ?? 0));
      },
    });
    if (o.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Counts cases created (call after their transaction committed). */
  casesCommitted(cases: readonly { channel: string; kind: string }[]): void {
    for (const c of cases) this.casesCreated.inc({ channel: c.channel, kind: c.kind });
  }

  /** Counts one finished scheduled job run. */
  jobFinished(job: string, outcome: string): void {
    this.jobRuns.inc({ job, outcome });
  }

  /** Counts one HTTP response. */
  httpResponse(statusCode: number): void {
    this.httpResponses.inc({ code: String(statusCode) });
  }

  /** Records one GraphQL operation's duration under a bounded label. */
  graphqlOperation(name: string | null | undefined, type: string, seconds: number): void {
    this.operationDuration.observe({ operation: this.operationLabel(name), type }, seconds);
  }

  /** The label for a client-chosen operation name: the name itself while well formed and among the first 200 seen, else "other". */
  operationLabel(name: string | null | undefined): string {
    if (!name || !OPERATION_NAME.test(name) || name === 'other') return 'other';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_LABELS) return 'other';
    this.operationNames.add(name);
    return name;
  }

  /** Where the open-subscriptions gauge reads from. */
  observeSubscriptions(count: () => number): void {
    this.subscriptions = count;
  }

  /** Where the pool gauge reads from. */
  observePool(use: () => PoolUse | null): void {
    this.pool = use;
  }

  /** The Prometheus text exposition. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private gauges(): Promise<GaugeRow> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < this.cacheMs) return this.cached.row;
    const row = this.o.sql(GAUGES_SQL, [this.o.now().toISOString()]).then((rows) => rows[0] as GaugeRow);
    // A failed reading is not cached: the next scrape tries again.
    row.catch(() => {
      if (this.cached?.row === row) this.cached = null;
    });
    this.cached = { at: now, row };
    return row;
  }
}
