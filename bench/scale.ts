import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { Client } from 'pg';
import { buildComplaintBoxEntry, buildFax, buildPhoneCall, buildWalkIn } from '../test/support/builders';
import { authHeaders } from './auth';
import { benchDatabaseExists, recreateNamedBenchDatabase, urlFor } from './db';
import { graphqlOk, keepAliveAgent, postJson } from './http-client';
import { ServerProcess, startServerProcess } from './server-process';
import { fmt, num, percentile, printResult } from './stats';

export interface ScaleParams {
  /** Numbers of seeded cases, one cached database each (BENCH_SCALE_SIZES). */
  sizes: number[];
  /** Sequential requests per query and size (BENCH_SCALE_REQUESTS). */
  requests: number;
  /** Requests of the year-long report and export, whose work grows with a year's cases (BENCH_SCALE_HEAVY_REQUESTS). */
  heavyRequests: number;
  /** Only these queries (BENCH_SCALE_QUERIES, comma-separated names; default all), e.g. to profile one. */
  only: string[];
  poolSize: number;
}

/** Bump when the seed changes: a cached database of another version is seeded again. */
const SEED_VERSION = 1;
const ROLE = 'SUPERVISOR'; // sees every case and the reports, as the console's supervisor does
const COMMON_WORD = 'bantuan'; // in about 80% of the cases
const RARE_WORD = 'perahu'; // in about 0.1%
const BATCH = 100_000;

const label = (n: number): string => (n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));
const dbName = (n: number): string => `loket_bench_scale_${label(n)}`;

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  c.on('error', () => undefined); // a forced drop elsewhere must not crash the bench
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The seed marker of a cached database: its seed version, size and the data key its NIKs were sealed with. */
async function readMarker(url: string): Promise<{ version: number; n: number; dataKey: string } | null> {
  return withClient(url, async (c) => {
    const t = await c.query(`SELECT to_regclass('bench_seed') AS t`);
    if (!t.rows[0].t) return null;
    const r = await c.query(`SELECT version, n, data_key FROM bench_seed LIMIT 1`);
    return r.rows[0] ? { version: Number(r.rows[0].version), n: Number(r.rows[0].n), dataKey: String(r.rows[0].data_key) } : null;
  });
}

const gq = async (server: ServerProcess, agent: http.Agent, query: string, variables?: Record<string, unknown>): Promise<Record<string, any>> => {
  const r = await postJson(agent, new URL(server.url), JSON.stringify({ query, variables }), 120_000);
  if (!graphqlOk(r)) throw new Error(`HTTP ${r.status}: ${r.body.slice(0, 300)}`);
  return (JSON.parse(r.body) as { data: Record<string, any> }).data;
};

/** A few cases made through the API: real rows and timeline events to copy (every intake mutation, both kinds). */
async function makeTemplates(server: ServerProcess, agent: http.Agent): Promise<void> {
  const intake: [string, string, Record<string, unknown>][] = [
    ['logPhoneCall', 'LogPhoneCallInput', buildPhoneCall()],
    ['logWalkIn', 'LogWalkInInput', buildWalkIn({ subject: 'Permintaan salinan SK penerima hibah' })],
    ['logFax', 'LogFaxInput', buildFax()],
    ['logWalkIn', 'LogWalkInInput', buildWalkIn()],
    ['logWalkIn', 'LogWalkInInput', buildWalkIn({ kind: 'COMPLAINT', requirements: undefined })],
    ['registerComplaintBoxEntry', 'ComplaintBoxEntryInput', buildComplaintBoxEntry()],
  ];
  for (const [mutation, type, input] of intake) {
    await gq(server, agent, `mutation($i: ${type}!) { ${mutation}(input: $i) { id } }`, { i: input });
  }
}

const sqlList = (xs: string[]): string => `ARRAY[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(', ')}]`;

const SUBJECTS_COMMON = [
  'Bantuan sosial belum diterima', 'Pengajuan bantuan rumah ibadah', 'Bantuan beasiswa pendidikan terlambat',
  'Data penerima bantuan tidak sesuai', 'Bantuan sembako tidak merata', 'Permohonan bantuan hibah yayasan',
  'Bantuan korban banjir belum sampai', 'Pencairan bantuan panti asuhan',
];
const SUBJECTS_OTHER = ['Pelayanan petugas lambat', 'Permintaan data kependudukan', 'Jadwal pelatihan kerja', 'Informasi beasiswa kuliah', 'Antrean loket terlalu panjang'];
const PLACES = ['Pontianak', 'Sambas', 'Ketapang', 'Sintang', 'Kapuas Hulu', 'Landak', 'Sanggau', 'Bengkayang', 'Melawi', 'Sekadau', 'Kayong Utara', 'Kubu Raya', 'Mempawah', 'Singkawang'];
const CLASSES = ['LIGHT', 'NORMATIVE', 'NON_SUPERVISORY', 'SUPERVISORY'];
const DELIVERY = ['LETTER', 'EMAIL', 'PHONE', 'WHATSAPP', 'IN_PERSON'];
const REJECTIONS = ['OUT_OF_AUTHORITY', 'SPAM', 'WITHDRAWN'];
const pick = (arr: string[], r: string): string => `(${sqlList(arr)})[1 + floor(${r} * ${arr.length})::int]`;

/**
 * Seeds n cases by SQL from the API-made templates, with their timeline events: staged in an
 * unlogged table (one row per case with its draws), then INSERT ... SELECT in batches. The
 * secondary indexes of cases and case_events are dropped for the load and recreated from their
 * own definitions; constraints, foreign keys and the append-only trigger stay in force.
 * Reference numbers are gapless per prefix and year, and the counters are moved past them.
 */
async function seed(url: string, n: number, log: (s: string) => void): Promise<void> {
  await withClient(url, async (c) => {
    const tpl = await c.query(`SELECT id::text AS id FROM cases ORDER BY reference`);
    const templates = tpl.rows.length;
    const cols = (
      await c.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'cases' AND table_schema = current_schema() AND is_generated = 'NEVER' ORDER BY ordinal_position`)
    ).rows.map((r) => String(r.column_name));
    const t0 = Date.now();
    await c.query(`CREATE UNLOGGED TABLE bench_seed_templates AS SELECT row_number() OVER (ORDER BY reference) - 1 AS tpl, * FROM cases`);
    await c.query(`
      CREATE UNLOGGED TABLE bench_seed_stage AS
      WITH d AS (
        SELECT g, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6,
          timestamptz '2020-01-01 01:00:00+00' + (g::float8 / ${n}) * (now() - interval '2 hours' - timestamptz '2020-01-01 01:00:00+00') AS received_at
        FROM generate_series(1, ${n}) AS g
      ), s AS (
        SELECT d.*, (g % ${templates}) AS tpl,
          CASE WHEN received_at < now() - interval '45 days' THEN
            CASE WHEN r1 < 0.70 THEN 'CLOSED' WHEN r1 < 0.90 THEN 'ANSWERED' WHEN r1 < 0.97 THEN 'REJECTED' WHEN r1 < 0.985 THEN 'IN_PROGRESS' ELSE 'RECEIVED' END
          ELSE
            CASE WHEN r1 < 0.30 THEN 'RECEIVED' WHEN r1 < 0.60 THEN 'IN_PROGRESS' WHEN r1 < 0.85 THEN 'ANSWERED' WHEN r1 < 0.95 THEN 'CLOSED' ELSE 'REJECTED' END
          END AS status
        FROM d
      )
      SELECT s.g, gen_random_uuid() AS id, s.tpl, t.kind, s.received_at, s.status,
        CASE WHEN t.kind = 'COMPLAINT' AND s.status <> 'RECEIVED' THEN ${pick(CLASSES, 's.r2')} ELSE t.complaint_class END AS complaint_class,
        CASE WHEN s.r3 < 0.8 THEN ${pick(SUBJECTS_COMMON, 's.r3 / 0.8')} ELSE ${pick(SUBJECTS_OTHER, '(s.r3 - 0.8) / 0.2')} END AS subject,
        'Warga Kabupaten ' || ${pick(PLACES, 's.r4')} || ' melaporkan melalui loket Biro Kesra.'
          || CASE WHEN s.r5 < 0.001 THEN ' Akses ke desa hanya dengan ${RARE_WORD}.' ELSE '' END AS description,
        CASE WHEN t.kind = 'COMPLAINT' THEN 'ADU' ELSE 'PDI' END AS prefix,
        extract(year FROM s.received_at AT TIME ZONE 'Asia/Pontianak')::int AS year,
        s.received_at + interval '14 days' AS due_at,
        s.received_at + make_interval(hours => 1 + floor(s.r6 * 20 * 24)::int) AS answered_at,
        ${pick(DELIVERY, 's.r2')} AS delivered_via,
        ${pick(REJECTIONS, 's.r6')} AS rejection_reason
      FROM s JOIN bench_seed_templates t ON t.tpl = s.tpl`);
    // Gapless per (prefix, year), after the numbers the templates already took.
    await c.query(`
      CREATE UNLOGGED TABLE bench_seed_refs AS
      SELECT st.g, st.prefix || '-' || st.year || '-' || lpad((coalesce(rc.last_value, 0) + row_number() OVER (PARTITION BY st.prefix, st.year ORDER BY st.g))::text, 6, '0') AS reference
      FROM bench_seed_stage st LEFT JOIN reference_counters rc ON rc.prefix = st.prefix AND rc.year = st.year`);
    await c.query(`ALTER TABLE bench_seed_stage ADD COLUMN reference text`);
    await c.query(`UPDATE bench_seed_stage st SET reference = r.reference FROM bench_seed_refs r WHERE r.g = st.g`);
    await c.query(`CREATE INDEX ON bench_seed_stage (g)`);
    log(`staged ${n} cases in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // Secondary indexes off for the load (constraint indexes stay: ids and references stay unique).
    const idx = (
      await c.query(`
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename IN ('cases', 'case_events')
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`)
    ).rows as { indexname: string; indexdef: string }[];
    for (const i of idx) await c.query(`DROP INDEX ${i.indexname}`);

    const answerText = 'Permohonan telah ditindaklanjuti oleh dinas terkait sesuai ketentuan.';
    const rejectNote = 'Tidak dapat ditindaklanjuti oleh Biro Kesra.';
    const over = (col: string): string | null => {
      switch (col) {
        case 'id': return 'st.id';
        case 'reference': return 'st.reference';
        case 'status': return 'st.status';
        case 'complaint_class': return 'st.complaint_class';
        case 'subject': return 'st.subject';
        case 'description': return 'st.description';
        case 'received_at': return 'st.received_at';
        case 'logged_at': return `st.received_at + interval '3 minutes'`;
        case 'clock_started_at': return `CASE WHEN t.clock_started_at IS NULL THEN NULL ELSE st.received_at END`;
        case 'due_at': return `CASE WHEN t.due_at IS NULL THEN NULL ELSE st.due_at END`;
        case 'warn_at': return `CASE WHEN t.due_at IS NULL OR st.status NOT IN ('INCOMPLETE', 'RECEIVED', 'IN_PROGRESS') THEN NULL ELSE st.due_at - interval '3 days' END`;
        case 'deadline_warnings': return `'{}'::text[]`;
        case 'answer': return `CASE WHEN st.status IN ('ANSWERED', 'CLOSED') THEN jsonb_build_object('text', '${answerText}', 'deliveredVia', st.delivered_via, 'answeredAt', to_char(st.answered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) END`;
        case 'rejection': return `CASE WHEN st.status = 'REJECTED' THEN jsonb_build_object('reason', st.rejection_reason, 'note', '${rejectNote}') END`;
        case 'updated_at': return `CASE WHEN st.status IN ('ANSWERED', 'CLOSED', 'REJECTED') THEN st.answered_at ELSE st.received_at + interval '1 hour' END`;
        case 'version': return `CASE st.status WHEN 'RECEIVED' THEN 1 WHEN 'IN_PROGRESS' THEN 2 WHEN 'REJECTED' THEN 2 WHEN 'ANSWERED' THEN 4 ELSE 5 END`;
        case 'search_text': return `' ' || st.subject || E'\\n' || st.description || CASE WHEN st.status IN ('ANSWERED', 'CLOSED') THEN ' ${answerText}' WHEN st.status = 'REJECTED' THEN ' ${rejectNote}' ELSE '' END`;
        case 'access_code': return `translate(upper(substr(md5(st.id::text), 1, 8)), '01', 'KM')`;
        default: return null;
      }
    };
    const insertCases = `INSERT INTO cases (${cols.join(', ')}) SELECT ${cols.map((col) => over(col) ?? `t.${col}`).join(', ')}
      FROM bench_seed_stage st JOIN bench_seed_templates t ON t.tpl = st.tpl WHERE st.g > $1 AND st.g <= $2`;
    const actor = `'bench-officer', 'USER'`;
    const insertEvents = `
      INSERT INTO case_events (case_id, type, actor_id, actor_kind, at, before, after, text)
      SELECT case_id, type, actor_id, actor_kind, at, before, after, text FROM (
        SELECT st.id AS case_id, e.type, e.actor_id, e.actor_kind, st.received_at + (e.at - t.received_at) AS at, e.before, e.after,
          CASE WHEN e.type = 'CASE_CREATED' AND e.text IS NOT NULL THEN st.subject || E'\\n' || st.description ELSE e.text END AS text, 0 AS ord, e.id AS eid
        FROM bench_seed_stage st JOIN bench_seed_templates t ON t.tpl = st.tpl JOIN case_events e ON e.case_id = t.id
        WHERE st.g > $1 AND st.g <= $2
        UNION ALL
        SELECT st.id, 'STATUS_CHANGED', ${actor}, st.received_at + interval '1 hour', '{"status":"RECEIVED"}'::jsonb, '{"status":"IN_PROGRESS"}'::jsonb, NULL, 1, 0
        FROM bench_seed_stage st WHERE st.g > $1 AND st.g <= $2 AND st.status IN ('IN_PROGRESS', 'ANSWERED', 'CLOSED')
        UNION ALL
        SELECT st.id, 'COMPLAINT_CLASSIFIED', ${actor}, st.received_at + interval '2 hours', '{"complaintClass":null}'::jsonb, jsonb_build_object('complaintClass', st.complaint_class), NULL, 2, 0
        FROM bench_seed_stage st WHERE st.g > $1 AND st.g <= $2 AND st.kind = 'COMPLAINT' AND st.complaint_class IS NOT NULL
        UNION ALL
        SELECT st.id, 'ANSWERED', ${actor}, st.answered_at, NULL, jsonb_build_object('deliveredVia', st.delivered_via), '${answerText}', 3, 0
        FROM bench_seed_stage st WHERE st.g > $1 AND st.g <= $2 AND st.status IN ('ANSWERED', 'CLOSED')
        UNION ALL
        SELECT st.id, 'STATUS_CHANGED', ${actor}, st.answered_at + interval '7 days', '{"status":"ANSWERED"}'::jsonb, '{"status":"CLOSED"}'::jsonb, NULL, 4, 0
        FROM bench_seed_stage st WHERE st.g > $1 AND st.g <= $2 AND st.status = 'CLOSED'
        UNION ALL
        SELECT st.id, 'REJECTED', ${actor}, st.answered_at, '{"status":"RECEIVED"}'::jsonb, jsonb_build_object('status', 'REJECTED', 'reason', st.rejection_reason), '${rejectNote}', 3, 0
        FROM bench_seed_stage st WHERE st.g > $1 AND st.g <= $2 AND st.status = 'REJECTED'
      ) x ORDER BY case_id, ord, eid`;
    for (let from = 0; from < n; from += BATCH) {
      const to = Math.min(n, from + BATCH);
      await c.query('BEGIN');
      await c.query(insertCases, [from, to]);
      await c.query(insertEvents, [from, to]);
      await c.query('COMMIT');
      log(`seeded ${to}/${n} cases (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
    await c.query(`
      INSERT INTO reference_counters (prefix, year, last_value)
      SELECT prefix, year, count(*) FROM bench_seed_stage GROUP BY prefix, year
      ON CONFLICT (prefix, year) DO UPDATE SET last_value = reference_counters.last_value + EXCLUDED.last_value`);
    for (const i of idx) await c.query(i.indexdef);
    log(`recreated ${idx.length} indexes (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    await c.query(`DROP TABLE bench_seed_refs, bench_seed_stage, bench_seed_templates`);
    await c.query(`VACUUM ANALYZE cases`);
    await c.query(`VACUUM ANALYZE case_events`);
    log(`vacuumed and analyzed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  });
}

/** The cached database of n cases, seeded when missing or of another seed version. */
async function ensureSeeded(n: number, poolSize: number): Promise<{ url: string; dataKey: string; seeded: boolean }> {
  const name = dbName(n);
  const url = urlFor(name);
  if (await benchDatabaseExists(name)) {
    const m = await readMarker(url);
    if (m && m.version === SEED_VERSION && m.n === n) return { url, dataKey: m.dataKey, seeded: false };
  }
  const log = (s: string): void => console.log(`  [${label(n)}] ${s}`);
  log(`seeding ${n} cases into ${name} (cached for later runs)`);
  await recreateNamedBenchDatabase(name);
  const dataKey = randomBytes(32).toString('base64');
  const server = await startServerProcess({ start: 'loket', databaseUrl: url, poolSize, dataKey, role: 'COMPLAINT_OFFICER' });
  const agent = keepAliveAgent(2);
  try {
    await makeTemplates(server, agent);
  } finally {
    agent.destroy();
    await server.stop();
  }
  await seed(url, n, log);
  await withClient(url, async (c) => {
    await c.query(`CREATE TABLE bench_seed (version int NOT NULL, n int NOT NULL, data_key text NOT NULL, seeded_at timestamptz NOT NULL DEFAULT now())`);
    await c.query(`INSERT INTO bench_seed (version, n, data_key) VALUES ($1, $2, $3)`, [SEED_VERSION, n, dataKey]);
  });
  return { url, dataKey, seeded: true };
}

const NODE = `id reference kind channel status complaintClass subject receivedAt dueAt overdue`;
const LIST = `query($first: Int, $after: String, $filter: CaseFilter) { cases(first: $first, after: $after, filter: $filter) { edges { cursor node { ${NODE} } } pageInfo { hasNextPage endCursor } } }`;
const LIST_TOTAL = `query($first: Int, $after: String, $filter: CaseFilter) { cases(first: $first, after: $after, filter: $filter) { totalCount totalCountIsCapped edges { cursor node { ${NODE} } } pageInfo { hasNextPage endCursor } } }`;
const BY_REFERENCE = `query($r: String!) { case(reference: $r) { ${NODE} } }`;
const STATS = `query($from: DateTime!, $to: DateTime!) { caseStatistics(from: $from, to: $to, groupBy: [CHANNEL]) { total { received answered answeredOnTime openNow overdueNow medianHandlingHours } groups { received } } }`;

function vmRssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** GET of the CSV export, counting rows as they stream; the server's RSS is sampled meanwhile. */
function csvExport(server: ServerProcess, agent: http.Agent, from: string, to: string): Promise<{ rows: number; ms: number; peakRssMb: number }> {
  const url = new URL(server.url);
  const t0 = performance.now();
  let peak = vmRssKb(server.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, vmRssKb(server.pid))), 10);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: url.hostname, port: url.port, path: `/reports/cases.csv?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, method: 'GET', headers: authHeaders(url), timeout: 600_000 },
      (res) => {
        let lines = 0;
        res.on('data', (c: Buffer) => {
          for (let i = 0; i < c.length; i++) if (c[i] === 10) lines++;
        });
        res.on('end', () => {
          clearInterval(sampler);
          if (res.statusCode !== 200) return reject(new Error(`CSV export: HTTP ${res.statusCode}`));
          resolve({ rows: Math.max(0, lines - 1), ms: performance.now() - t0, peakRssMb: Math.max(peak, vmRssKb(server.pid)) / 1024 });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('CSV export timed out')));
    req.on('error', (e) => {
      clearInterval(sampler);
      reject(e);
    });
    req.end();
  });
}

interface QueryFigures {
  p50: number;
  p99: number;
  note?: string;
}

async function measure(n: number, p: ScaleParams): Promise<{ queries: Record<string, QueryFigures>; csv: { rows: number; rowsPerSec: number; p50Ms: number; peakRssMb: number; idleRssMb: number } }> {
  const { url, dataKey, seeded } = await ensureSeeded(n, p.poolSize);
  if (!seeded) console.log(`  [${label(n)}] reusing the cached ${dbName(n)} (seed version ${SEED_VERSION})`);
  const server = await startServerProcess({ start: 'loket', databaseUrl: url, poolSize: p.poolSize, dataKey, role: ROLE });
  const agent = keepAliveAgent(2);
  try {
    // Inputs: the cursor of page 20 (19 pages of 50 back), references spread over the years.
    let after: string | null = null;
    for (let i = 0; i < 19; i++) after = (await gq(server, agent, LIST, { first: 50, after })).cases.pageInfo.endCursor as string;
    const refs = await withClient(url, async (c) =>
      (await c.query(`SELECT reference FROM cases TABLESAMPLE SYSTEM (5) LIMIT $1`, [p.requests])).rows.map((r) => String(r.reference)),
    );
    const year = { from: '2025-01-01T00:00:00+07:00', to: '2026-01-01T00:00:00+07:00' };
    const queries: [string, () => Promise<unknown>][] = [
      ['cases50', () => gq(server, agent, LIST, { first: 50 })],
      ['cases50_totalCount', () => gq(server, agent, LIST_TOTAL, { first: 50 })],
      ['page20_cursor', () => gq(server, agent, LIST, { first: 50, after })],
      ['status_channel', () => gq(server, agent, LIST_TOTAL, { first: 50, filter: { status: ['IN_PROGRESS'], channel: ['PHONE'] } })],
      ['deadline_at_risk_breached', () => gq(server, agent, LIST_TOTAL, { first: 50, filter: { deadlineState: ['AT_RISK', 'BREACHED'] } })],
      ['text_common', () => gq(server, agent, LIST_TOTAL, { first: 50, filter: { text: COMMON_WORD } })],
      ['text_rare', () => gq(server, agent, LIST_TOTAL, { first: 50, filter: { text: RARE_WORD } })],
      ['case_reference', (() => {
        let i = 0;
        return () => gq(server, agent, BY_REFERENCE, { r: refs[i++ % refs.length] });
      })()],
      ['statistics_year', () => gq(server, agent, STATS, year)],
    ];
    const out: Record<string, QueryFigures> = {};
    const heavy = new Set(['statistics_year']);
    for (const [name, run] of queries) {
      if (p.only.length && !p.only.includes(name)) continue;
      const requests = heavy.has(name) ? p.heavyRequests : p.requests;
      for (let i = 0; i < (heavy.has(name) ? 1 : 3); i++) await run(); // warm-up (plans, caches)
      const lat: number[] = [];
      for (let i = 0; i < requests; i++) {
        const t0 = performance.now();
        await run();
        lat.push(performance.now() - t0);
      }
      out[name] = { p50: percentile(lat, 50), p99: percentile(lat, 99), note: `${requests} requests` };
      console.log(`  [${label(n)}] ${name.padEnd(26)} p50 ${fmt(percentile(lat, 50)).padStart(8)} ms  p99 ${fmt(percentile(lat, 99)).padStart(8)} ms`);
    }
    const counts = (await gq(server, agent, LIST_TOTAL, { first: 1, filter: { text: COMMON_WORD } })).cases;
    const rare = (await gq(server, agent, LIST_TOTAL, { first: 1, filter: { text: RARE_WORD } })).cases;
    console.log(`  [${label(n)}] totalCount "${COMMON_WORD}" ${counts.totalCount}${counts.totalCountIsCapped ? '+' : ''}, "${RARE_WORD}" ${rare.totalCount}${rare.totalCountIsCapped ? '+' : ''}`);

    const idleRssMb = vmRssKb(server.pid) / 1024;
    if (p.only.length && !p.only.includes('csv_export_year')) return { queries: out, csv: { rows: 0, rowsPerSec: NaN, p50Ms: NaN, peakRssMb: NaN, idleRssMb } };
    const runs = p.heavyRequests;
    const csv: { rows: number; ms: number; peakRssMb: number }[] = [];
    for (let i = 0; i < runs; i++) csv.push(await csvExport(server, agent, year.from, year.to));
    const rows = csv[0].rows;
    const p50Ms = percentile(csv.map((x) => x.ms), 50);
    const peakRssMb = Math.max(...csv.map((x) => x.peakRssMb));
    console.log(`  [${label(n)}] CSV export of 2025: ${rows} rows, p50 ${fmt(p50Ms)} ms (${fmt((rows / p50Ms) * 1000, 0)} rows/s), server RSS ${fmt(idleRssMb)} MB before, peak ${fmt(peakRssMb)} MB`);
    out.csv_export_year = { p50: p50Ms, p99: percentile(csv.map((x) => x.ms), 99), note: `${runs} runs` };
    return { queries: out, csv: { rows, rowsPerSec: (rows / p50Ms) * 1000, p50Ms, peakRssMb, idleRssMb } };
  } finally {
    agent.destroy();
    await server.stop();
  }
}

/**
 * The console's queries at several sizes of seeded, cached databases: p50/p99 of `requests`
 * sequential requests each; RESULT scale carries, per query, the p99 at each size and the ratio
 * of the largest size's p99 to the smallest's (target <= 2).
 */
export async function benchScale(p: ScaleParams, _defer: (fn: () => Promise<void>) => void): Promise<void> {
  const sizes = [...new Set(p.sizes)].sort((a, b) => a - b);
  if (sizes.some((s) => !Number.isInteger(s) || s < 100)) throw new Error(`BENCH_SCALE_SIZES must be integers >= 100, got ${p.sizes.join(',')}`);
  console.log(`\n== 5. Scale: the console's queries over ${sizes.map(label).join(' and ')} cases ==`);
  console.log(
    `Cached databases ${sizes.map(dbName).join(', ')} (seed version ${SEED_VERSION}; drop one to seed again). ${p.requests} sequential requests per query after 3 warm-up ` +
      `(${p.heavyRequests} after 1 for caseStatistics and the CSV export of a year: their work grows with the year's cases, so p99 of those is their maximum), role ${ROLE}, server in a child process.`,
  );
  const bySize: Record<string, Awaited<ReturnType<typeof measure>>> = {};
  for (const n of sizes) bySize[label(n)] = await measure(n, p);
  const small = label(sizes[0]);
  const large = label(sizes[sizes.length - 1]);
  const names = Object.keys(bySize[small].queries);
  const rows = names.map((q) => {
    const row: Record<string, unknown> = { query: q };
    row.requests = bySize[small].queries[q]?.note;
    for (const n of sizes) row[`p99_${label(n)}`] = num(bySize[label(n)].queries[q]?.p99 ?? NaN, 1);
    for (const n of sizes) row[`p50_${label(n)}`] = num(bySize[label(n)].queries[q]?.p50 ?? NaN, 1);
    row.ratio = sizes.length > 1 ? num((bySize[large].queries[q]?.p99 ?? NaN) / bySize[small].queries[q].p99, 2) : null;
    if (q === 'csv_export_year') {
      // A year of a million cases is a hundred times the rows of a year of ten thousand: the
      // export's criterion is constant memory (peak server RSS), its time is reported as rows/s.
      row.criterion = 'peak server RSS, largest / smallest size';
      row.ratio = sizes.length > 1 ? num(bySize[large].csv.peakRssMb / bySize[small].csv.peakRssMb, 2) : null;
      for (const n of sizes) row[`rowsPerSec_${label(n)}`] = num(bySize[label(n)].csv.rowsPerSec, 0);
    }
    return row;
  });
  for (const r of rows) {
    if (r.ratio !== null) console.log(`  ${String(r.query).padEnd(26)} ${r.criterion ? 'peak RSS' : 'p99'} ${large}/${small} ${r.ratio}x${Number(r.ratio) > 2 ? '  (misses P3: <= 2x)' : ''}`);
  }
  const worst = rows.reduce((m, r) => (r.ratio !== null && Number(r.ratio) > m ? Number(r.ratio) : m), 0);
  printResult('scale', {
    ratio: sizes.length > 1 ? worst : null,
    sizes,
    queries: rows,
    csv: Object.fromEntries(sizes.map((n) => [label(n), { rows: bySize[label(n)].csv.rows, rowsPerSec: num(bySize[label(n)].csv.rowsPerSec, 0), peakRssMb: num(bySize[label(n)].csv.peakRssMb, 1), idleRssMb: num(bySize[label(n)].csv.idleRssMb, 1) }])),
    target: 2,
  });
}
