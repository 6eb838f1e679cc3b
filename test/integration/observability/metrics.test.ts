import { Client as WsClient } from 'graphql-ws';
import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { collect, gqlOk, startTestApp, wsClient } from '../../support/test-app';
import { buildComplaintBoxEntry, buildPhoneCall } from '../../support/builders';
import { LOG_BOX, LOG_PHONE, SUB_CASE_CREATED, subscribeLive, waitFor } from '../subscriptions/helpers';

const TOKEN = 'metrik-rahasia-0123456789abcdef';

/** The value of one sample line (`name{labels} value`) in the exposition, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics (Prometheus, real PostgreSQL)', () => {
  let app: LoketApp;
  let off: LoketApp;
  let drop: () => Promise<void>;
  let base: string;
  const scrape = async (token: string | null = TOKEN) => {
    const res = await fetch(`${base}/metrics`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  beforeAll(async () => {
    const db = await createTestDatabase('metrics');
    drop = db.drop;
    app = await startTestApp(db.url, undefined, { metricsToken: TOKEN, metricsCacheMs: 0 });
    off = await startTestApp(db.url);
    base = app.url.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await app?.stop();
    await off?.stop();
    await drop?.();
  });

  it('is off (404) without LOKET_METRICS_TOKEN, and refuses a missing or wrong token with 401', async () => {
    const offBase = off.url.replace(/\/graphql$/, '');
    expect((await fetch(`${offBase}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    expect((await scrape(null)).status).toBe(401);
    expect((await scrape(`${TOKEN}x`)).status).toBe(401);
    expect((await scrape(TOKEN.slice(0, -1))).status).toBe(401);
    const wrong = await scrape('x'.repeat(TOKEN.length));
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain('loket_');
  });

  it('counts cases created at commit by channel and kind, open cases, queues, operations, HTTP statuses, pool and process', async () => {
    const before = await scrape();
    expect(before.status).toBe(200);
    expect(before.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const phoneBefore = sample(before.text, 'loket_cases_created_total{channel="PHONE",kind="COMPLAINT"}') ?? 0;
    const openBefore = sample(before.text, 'loket_cases_open{state="RECEIVED"}')!;

    await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall() });
    await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall() });
    // The complaint box stores its cases inside its own transaction (counted once it commits).
    await gqlOk(app.url, LOG_BOX, { input: buildComplaintBoxEntry() });
    // Named operations get their own series; a name a client made up beyond the rules is "other".
    await gqlOk(app.url, 'query DeskOverview { cases { totalCount } }');
    await gqlOk(app.url, 'query { cases { totalCount } }');

    const after = await scrape();
    expect(sample(after.text, 'loket_cases_created_total{channel="PHONE",kind="COMPLAINT"}')).toBe(phoneBefore + 2);
    expect(sample(after.text, 'loket_cases_created_total{channel="COMPLAINT_BOX",kind="COMPLAINT"}')).toBe(1);
    expect(sample(after.text, 'loket_cases_open{state="RECEIVED"}')).toBe(openBefore + 3);
    expect(sample(after.text, 'loket_cases_open{state="WAITING"}')).toBe(0);
    expect(sample(after.text, 'loket_cases_at_risk')).toBe(0);
    expect(sample(after.text, 'loket_cases_breached')).toBe(0);
    expect(sample(after.text, 'loket_queue_depth{queue="outbox"}')).toBeGreaterThanOrEqual(3);
    for (const q of ['outgoing_mail', 'email_quarantine', 'unregistered_scans', 'unregistered_faxes', 'unlogged_calls', 'whatsapp_outbox', 'lapor_outbox']) {
      expect(sample(after.text, `loket_queue_depth{queue="${q}"}`)).toBe(0);
    }
    expect(sample(after.text, 'loket_graphql_operation_duration_seconds_count{operation="DeskOverview",type="query"}')).toBe(1);
    expect(sample(after.text, 'loket_graphql_operation_duration_seconds_count{operation="other",type="query"}')).toBeGreaterThanOrEqual(1);
    expect(sample(after.text, 'loket_http_responses_total{code="200"}')).toBeGreaterThanOrEqual(5);
    expect(sample(after.text, 'loket_http_responses_total{code="401"}')).toBeGreaterThanOrEqual(1);
    expect(sample(after.text, 'loket_db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(sample(after.text, 'loket_db_pool_connections{state="waiting"}')).toBe(0);
    expect(after.text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(after.text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(after.text).toMatch(/^loket_scheduler_job_runs_total\{job="outbox-prune",outcome="ok"\} [1-9]/m);
    // A case another instance created is not this instance's to count.
    const offCount = sample((await scrape()).text, 'loket_cases_created_total{channel="PHONE",kind="COMPLAINT"}');
    await gqlOk(off.url, LOG_PHONE, { input: buildPhoneCall() });
    expect(sample((await scrape()).text, 'loket_cases_created_total{channel="PHONE",kind="COMPLAINT"}')).toBe(offCount);
  });

  it('shows the subscriptions open on this instance', async () => {
    const ws: WsClient = wsClient(app.url);
    try {
      expect(sample((await scrape()).text, 'loket_subscriptions_open')).toBe(0);
      const sub = await subscribeLive(app, () => collect<any>(ws, SUB_CASE_CREATED, {}));
      expect(sample((await scrape()).text, 'loket_subscriptions_open')).toBe(1);
      sub.dispose();
      await waitFor(async () => sample((await scrape()).text, 'loket_subscriptions_open') === 0, 'the subscription to close');
    } finally {
      await ws.dispose();
    }
  });

  it('at risk and breached follow the deadlines of open cases', async () => {
    const c = (await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall() })).logPhoneCall;
    const { Client } = await import('pg');
    const admin = new Client({ connectionString: (app.db.dataSource.options as { url: string }).url });
    await admin.connect();
    try {
      await admin.query(`UPDATE cases SET warn_at = now() - interval '1 hour', due_at = now() + interval '1 hour' WHERE id = $1`, [c.id]);
      expect(sample((await scrape()).text, 'loket_cases_at_risk')).toBe(1);
      await admin.query(`UPDATE cases SET due_at = now() - interval '1 minute' WHERE id = $1`, [c.id]);
      const text = (await scrape()).text;
      expect(sample(text, 'loket_cases_at_risk')).toBe(0);
      expect(sample(text, 'loket_cases_breached')).toBe(1);
    } finally {
      await admin.end();
    }
  });
});
