import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import pino from 'pino';
import Imap from 'imap';
import { simpleParser } from 'mailparser';
import { startLoket } from '../src/app';
import { loadConfig } from '../src/config';
import { startDovecot, DovecotInstance } from '../test/support/mail/dovecot';
import { createBenchDatabase } from './db';
import { median, num, printResult } from './stats';
import { cpuBetween, cpuSnapshot } from './cpu';

export interface EmailBenchParams {
  n: number;
  rounds: number;
  maxMs: number;
}

function message(i: number, round: number): string {
  const id = `<bench-${round}-${i}-${randomBytes(6).toString('hex')}@warga.example.id>`;
  const body = `Yth. Biro Kesra,\r\n\r\nBantuan sosial untuk keluarga kami belum diterima sejak tiga bulan. Mohon ditindaklanjuti.\r\n${'Keterangan tambahan. '.repeat(40)}\r\n\r\nHormat saya,\r\nWarga ${i}\r\n`;
  return [
    `From: Warga ${i} <warga${i}@example.id>`,
    'To: kesra@kalbarprov.go.id',
    `Subject: Pengaduan bantuan sosial nomor ${i}`,
    `Message-ID: ${id}`,
    'Date: Sat, 28 Nov 2026 08:00:00 +0700',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
  ].join('\r\n');
}

/** Baseline: the raw bytes of every message over one IMAP connection, each parsed by mailparser. */
function rawFetchAndParse(d: DovecotInstance): Promise<number> {
  return new Promise((resolve, reject) => {
    const imap = new Imap({ user: d.user, password: d.password, host: d.host, port: d.port, tls: false, authTimeout: 10_000 });
    const parses: Promise<unknown>[] = [];
    imap.once('error', reject);
    imap.once('ready', () => {
      imap.openBox('INBOX', true, (err) => {
        if (err) return reject(err);
        const f = imap.seq.fetch('1:*', { bodies: '' });
        f.on('message', (m) => {
          const chunks: Buffer[] = [];
          m.on('body', (s) => s.on('data', (c: Buffer) => chunks.push(c)));
          m.once('end', () => parses.push(simpleParser(Buffer.concat(chunks))));
        });
        f.once('error', reject);
        f.once('end', () => {
          void Promise.all(parses).then((all) => {
            imap.end();
            resolve(all.length);
          }, reject);
        });
      });
    });
    imap.connect();
  });
}

async function count(url: string): Promise<number> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query('SELECT count(*)::int AS n FROM email_messages');
    return r.rows[0].n as number;
  } finally {
    await c.end();
  }
}

/** Messages per second from local Dovecot into cases, against raw IMAP FETCH + parse of the same messages. */
export async function benchEmailIntake(p: EmailBenchParams, defer: (fn: () => Promise<void>) => void): Promise<void> {
  console.log('\n== 3. Email intake throughput ==');
  console.log(`N=${p.n} messages per round, ${p.rounds} rounds; baseline: one IMAP FETCH of the raw bytes + mailparser per message;`);
  console.log('Loket: the inbox from its IMAP connection until every message is recorded (stored raw, parsed, case + ack queued in one commit).');
  const dovecot = await startDovecot();
  defer(() => dovecot.stop());
  const db = await createBenchDatabase('email', true);
  defer(() => db.drop());
  const filesDir = mkdtempSync(path.join(os.tmpdir(), 'loket-bench-files-'));
  defer(async () => rmSync(filesDir, { recursive: true, force: true }));
  const ratios: number[] = [];
  let done = 0;
  for (let round = 1; round <= p.rounds; round++) {
    for (let i = 0; i < p.n; i++) await dovecot.append(message(i, round));
    const t0 = process.hrtime.bigint();
    const parsed = await rawFetchAndParse(dovecot);
    const baseMs = Number(process.hrtime.bigint() - t0) / 1e6;

    const config = loadConfig({
      DATABASE_URL: db.url,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      LOKET_DATA_KEY: randomBytes(32).toString('base64'),
      LOKET_FILES_DIR: filesDir,
      LOKET_IMAP_URL: `imap://${dovecot.user}:${dovecot.password}@${dovecot.host}:${dovecot.port}/INBOX`,
      LOKET_IMAP_POLL_SECONDS: '1',
    });
    const app = await startLoket(config, { log: pino({ level: 'silent' }) });
    const deadline = Date.now() + p.maxMs;
    while (!app.services.email.status().connectedSince && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    const cpu0 = cpuSnapshot(['postgres', 'imap']);
    // Watched in-process (a message counts once its outcome is committed); the database's
    // count afterwards is what is reported. Polling the database would load the same two cores.
    while (app.services.email.status().processed < p.n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    const finished = Date.now();
    const cpu = cpuBetween(cpu0, cpuSnapshot(['postgres', 'imap']));
    // From the inbox's connection (server start-up is not the intake's cost) to the last record.
    const connectedAt = app.services.email.status().connectedSince?.getTime() ?? finished;
    const loketMs = Math.max(1, finished - connectedAt);
    await app.stop();
    const processed = (await count(db.url)) - done;
    done += processed;
    const base = (parsed / baseMs) * 1000;
    const loket = (processed / loketMs) * 1000;
    ratios.push(loket / base);
    const perMsg = (ms: number | undefined): string => (((ms ?? 0) / Math.max(1, processed)) * 1000).toFixed(0);
    console.log(
      `round ${round}: baseline ${base.toFixed(1)} msg/s (${parsed} in ${baseMs.toFixed(0)} ms)  loket ${loket.toFixed(1)} msg/s (${processed} in ${loketMs.toFixed(0)} ms)  ratio ${(loket / base).toFixed(3)}`,
    );
    // Where Loket's time went (CPU per message; PostgreSQL and Dovecot share the same cores).
    console.log(`  cpu per message: node ${perMsg(cpu.node)} us, postgres ${perMsg(cpu.postgres)} us, dovecot imap ${perMsg(cpu.imap)} us; baseline wall ${((baseMs / Math.max(1, parsed)) * 1000).toFixed(0)} us per message`);
  }
  console.log(`summary email intake: median ratio loket/baseline ${median(ratios).toFixed(3)} (target >= 0.7)`);
  printResult('email', { ratio: num(median(ratios)), rounds: ratios.map((r) => num(r)), messagesPerRound: p.n, target: 0.7 });
}
