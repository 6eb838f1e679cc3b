import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import pino from 'pino';
import { LoketApp, startLoket } from '../src/app';
import { loadConfig } from '../src/config';
import { FakeGraphApi } from '../test/support/whatsapp/fake-graph-api';
import { webhookBody } from '../test/support/whatsapp/graph-api-contract';
import { createBenchDatabase } from './db';
import { keepAliveAgent } from './http-client';
import { median, num, printResult } from './stats';

export interface WhatsAppBenchParams {
  /** Deliveries per round (each one text message from a new number: a new case). */
  n: number;
  concurrency: number;
  rounds: number;
  poolSize: number;
  /** Upper bound of one phase (posting, or waiting for the cases). */
  phaseMaxMs: number;
}

const SECRET = randomBytes(16).toString('hex');
const PNID = '106540352242922';
const sign = (raw: Buffer): string => `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`;

let seq = 0;
/** One signed delivery of one text message from its own number, in Meta's shape. */
function signedDelivery(round: number, i: number): { raw: Buffer; signature: string } {
  const from = `62812${String(round).padStart(2, '0')}${String(i).padStart(6, '0')}`;
  const body = webhookBody({
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '6285828735503', phone_number_id: PNID },
    contacts: [{ profile: { name: `Warga ${i}` }, wa_id: from }],
    messages: [{ from, id: `wamid.bench.${process.pid}.${round}.${i}.${++seq}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: `Bantuan sosial untuk keluarga kami belum diterima sejak tiga bulan (${i}). ${'Keterangan tambahan. '.repeat(10)}` } }],
  });
  const raw = Buffer.from(JSON.stringify(body), 'utf8');
  return { raw, signature: sign(raw) };
}

function post(agent: http.Agent, url: URL, d: { raw: Buffer; signature: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', timeout: 30_000,
        headers: { 'content-type': 'application/json', 'content-length': d.raw.length, 'x-hub-signature-256': d.signature } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(d.raw);
  });
}

/** Posts every delivery with `concurrency` workers; answers how many got 200 and how long it took. */
async function postAll(url: URL, deliveries: { raw: Buffer; signature: string }[], concurrency: number, maxMs: number): Promise<{ ok: number; ms: number }> {
  const agent = keepAliveAgent(concurrency);
  let next = 0;
  let ok = 0;
  const t0 = performance.now();
  const deadline = t0 + maxMs;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < deliveries.length && performance.now() < deadline) {
      const status = await post(agent, url, deliveries[next++]).catch(() => 0);
      if (status === 200) ok++;
    }
  }));
  const ms = performance.now() - t0;
  agent.destroy();
  return { ok, ms };
}

/** The baseline: a bare node http handler that checks the signature and inserts the raw body in one statement. */
async function startBareWebhook(pool: Pool): Promise<{ url: URL; stop(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const given = Buffer.from(String(req.headers['x-hub-signature-256'] ?? ''), 'utf8');
      const expected = Buffer.from(sign(body), 'utf8');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401).end();
        return;
      }
      pool.query('INSERT INTO raw_deliveries (body) VALUES ($1)', [body]).then(
        () => res.writeHead(200, { 'content-type': 'text/plain' }).end('OK'),
        () => res.writeHead(503).end(),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: new URL(`http://127.0.0.1:${port}/webhooks/whatsapp`),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Webhook deliveries per second into cases (signed POSTs to a running Loket with the WhatsApp
 * module configured against the loopback fake Graph API), against a bare node http handler that
 * verifies the signature and inserts the raw body in one statement (pg, same database server).
 */
export async function benchWhatsAppIntake(p: WhatsAppBenchParams, defer: (fn: () => Promise<void>) => void): Promise<void> {
  console.log('\n== 4. WhatsApp webhook intake throughput ==');
  console.log(`N=${p.n} signed deliveries per round (one text from a new number each), ${p.rounds} rounds, concurrency ${p.concurrency}, pool ${p.poolSize};`);
  console.log('baseline: bare node http handler, HMAC check + one INSERT of the raw body (pg);');
  console.log('Loket: from the first POST until every message is a case (stored raw -> 200 -> worker -> case + acknowledgement queued, one commit each); the acknowledgements go to the fake Graph API meanwhile.');
  console.log('Load generator, both servers and the fake Graph API share this process; PostgreSQL shares the cores.');
  const fake = new FakeGraphApi();
  await fake.start();
  defer(() => fake.stop());
  const bareDb = await createBenchDatabase('wa_bare', false);
  defer(() => bareDb.drop());
  const pool = new Pool({ connectionString: bareDb.url, max: p.poolSize });
  // pool.end() resolves before its idle connections are gone; the database's forced drop then ends them.
  pool.on('error', () => undefined);
  defer(() => pool.end());
  await pool.query('CREATE TABLE raw_deliveries (id bigserial PRIMARY KEY, body bytea NOT NULL, received_at timestamptz NOT NULL DEFAULT now())');
  const bare = await startBareWebhook(pool);
  defer(() => bare.stop());

  const db = await createBenchDatabase('wa', true);
  defer(() => db.drop());
  const filesDir = mkdtempSync(path.join(os.tmpdir(), 'loket-bench-wa-files-'));
  defer(async () => rmSync(filesDir, { recursive: true, force: true }));
  const app: LoketApp = await startLoket(
    loadConfig({
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: String(p.poolSize),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      LOKET_DATA_KEY: randomBytes(32).toString('base64'),
      LOKET_FILES_DIR: filesDir,
      LOKET_WHATSAPP_PHONE_NUMBER_ID: PNID,
      LOKET_WHATSAPP_ACCESS_TOKEN: 'bench-token',
      LOKET_WHATSAPP_APP_SECRET: SECRET,
      LOKET_WHATSAPP_VERIFY_TOKEN: 'bench-verify',
      LOKET_WHATSAPP_ANSWER_TEMPLATE: 'jawaban_tersedia',
      LOKET_WHATSAPP_GRAPH_URL: fake.graphUrl,
    }),
    { log: pino({ level: 'silent' }) },
  );
  defer(() => app.stop());
  const loketUrl = new URL(app.url.replace(/\/graphql$/, '/webhooks/whatsapp'));
  const handled = async (): Promise<number> => Number((await app.db.dataSource.query(`SELECT count(*)::int AS n FROM whatsapp_messages WHERE outcome = 'CREATED'`))[0].n);

  const ratios: number[] = [];
  const acceptRatios: number[] = [];
  let before = 0;
  for (let round = 1; round <= p.rounds; round++) {
    const forBare = Array.from({ length: p.n }, (_, i) => signedDelivery(round, i));
    const forLoket = Array.from({ length: p.n }, (_, i) => signedDelivery(round + 100, i));
    const base = await postAll(bare.url, forBare, p.concurrency, p.phaseMaxMs);

    const t0 = performance.now();
    const accepted = await postAll(loketUrl, forLoket, p.concurrency, p.phaseMaxMs);
    // Every 200 kicks the worker; wait (bounded) until each message is a case. A cheap count
    // every 20 ms; the cases are committed by the worker, not by this loop.
    const deadline = t0 + p.phaseMaxMs * 2;
    let done = (await handled()) - before;
    while (done < accepted.ok && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      done = (await handled()) - before;
    }
    const loketMs = performance.now() - t0;
    before += done;
    const baseRate = (base.ok / base.ms) * 1000;
    const acceptRate = (accepted.ok / accepted.ms) * 1000;
    const caseRate = (done / loketMs) * 1000;
    ratios.push(caseRate / baseRate);
    acceptRatios.push(acceptRate / baseRate);
    console.log(
      `round ${round}: baseline ${baseRate.toFixed(1)} deliveries/s (${base.ok} in ${base.ms.toFixed(0)} ms)  ` +
        `loket into cases ${caseRate.toFixed(1)} deliveries/s (${done} in ${loketMs.toFixed(0)} ms)  ratio ${(caseRate / baseRate).toFixed(3)}`,
    );
    console.log(`  loket webhook answered 200: ${acceptRate.toFixed(1)} deliveries/s (${accepted.ok} in ${accepted.ms.toFixed(0)} ms), ratio ${(acceptRate / baseRate).toFixed(3)}; acknowledgements sent so far ${fake.sends().length}`);
    if (done < p.n) console.log(`  note: only ${done} of ${p.n} deliveries became cases within the bound`);
  }
  printResult('whatsapp', { ratio: num(median(ratios)), webhookAcceptRatio: num(median(acceptRatios)), deliveriesPerRound: p.n });
  console.log(`summary whatsapp intake: median ratio loket into cases / bare store ${median(ratios).toFixed(3)}; webhook 200s / bare store ${median(acceptRatios).toFixed(3)}`);
}
