import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseInboundEmail } from '../../../src/adapters/email/parsing/parse-inbound-email';
import { DovecotInstance } from '../../support/mail/dovecot';
import { SmtpSink } from '../../support/mail/smtp-sink';
import { as, gqlOk } from '../../support/test-app';
import { appendMany, countCases, eventually, fetchAllRaw, LOKET_ADDRESS, MailApp, readyz, startMailApp, startServers } from './email-helpers';

/** The shared corpus (real-world and malformed messages); LOKET_EMAIL_CORPUS overrides the place. */
const CORPUS = process.env.LOKET_EMAIL_CORPUS ?? path.resolve(__dirname, '../../../../shared/corpora/email');
const present = existsSync(path.join(CORPUS, 'manifest.tsv'));
if (!present) {
  // eslint-disable-next-line no-console
  console.warn(`email corpus test SKIPPED: no manifest.tsv in ${CORPUS} (set LOKET_EMAIL_CORPUS to run it)`);
}

const DRAIN_TIMEOUT_MS = 240_000;
const FINAL_OUTCOMES = ['CREATED', 'JOINED', 'SUPPRESSED', 'DELIVERY_FAILURE', 'QUARANTINED'];
const MAX_BYTES = 10 * 1024 * 1024;

interface Entry {
  path: string;
  size: number;
  category: string;
  raw: Buffer;
}

function readCorpus(): Entry[] {
  const [header, ...lines] = readFileSync(path.join(CORPUS, 'manifest.tsv'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const cols = header.split('\t');
  return lines.map((line) => {
    const f = Object.fromEntries(line.split('\t').map((v, i) => [cols[i], v]));
    return { path: f.path, size: Number(f.size), category: f.category, raw: readFileSync(path.join(CORPUS, f.path)) };
  });
}

/** The dedupe key Loket computes for these exact bytes (the same parser, used directly). */
async function dedupeKeyOf(raw: Buffer): Promise<{ key: string; ok: boolean; reason: string | null }> {
  const parsed = await parseInboundEmail(raw, { ownAddresses: [LOKET_ADDRESS], maxBytes: MAX_BYTES });
  if (parsed.ok) return { key: parsed.email.dedupeKey, ok: true, reason: null };
  return { key: `email-sha256:${createHash('sha256').update(raw).digest('hex')}`, ok: false, reason: parsed.reason };
}

type Row = { dedupe_key: string; outcome: string; reason: string | null; case_id: string | null };

(present ? describe : describe.skip)(`email corpus (${CORPUS})`, () => {
  let dovecot: DovecotInstance;
  let sink: SmtpSink;
  let m: MailApp;
  let corpus: Entry[] = [];
  let firstPass: { cases: number; rows: number } | null = null;

  beforeAll(async () => {
    corpus = readCorpus();
    ({ dovecot, sink } = await startServers());
    m = await startMailApp('email_corpus', dovecot, sink);
  });

  afterAll(async () => {
    await m?.stop();
    await sink?.stop();
    await dovecot?.stop();
  });

  const rows = (): Promise<Row[]> => m.q<Row>(`SELECT dedupe_key, outcome, reason, case_id::text FROM email_messages`);

  async function drain(expectedInProcessed: number): Promise<void> {
    await eventually(async () => (await m.list('INBOX')).length === 0, 'the corpus to drain from the INBOX', DRAIN_TIMEOUT_MS, 1000);
    expect((await m.list('Processed')).length).toBe(expectedInProcessed);
  }

  /** Filled by the first test: the bytes Dovecot served, their dedupe keys, and the ledger. */
  let served: Buffer[] = [];
  let keys: { key: string; ok: boolean; reason: string | null }[] = [];
  let ledger: Row[] = [];
  const sha = (b: Buffer) => `email-sha256:${createHash('sha256').update(b).digest('hex')}`;

  it(
    'every corpus message ends as a case, joined, suppressed, delivery failure or quarantined; no crash',
    async () => {
      expect(corpus.length).toBeGreaterThan(0);
      const started = Date.now();
      await appendMany(m.account, corpus.map((e) => e.raw));
      await drain(corpus.length);
      const drainedMs = Date.now() - started;

      // What the app saw are the bytes Dovecot hands out (line ends may differ from the files).
      served = await fetchAllRaw(m.account, 'Processed');
      expect(served).toHaveLength(corpus.length);
      keys = await Promise.all(served.map(dedupeKeyOf));
      const distinct = new Set(keys.map((k) => k.key));
      ledger = await rows();
      const byKey = new Map(ledger.map((r) => [r.dedupe_key, r]));
      // A message quarantined after repeated failures is recorded under the hash of its bytes.
      const rowOf = (i: number): Row | undefined => byKey.get(keys[i].key) ?? byKey.get(sha(served[i]));

      // Summary: outcomes overall, per manifest category, and the reasons things were set aside.
      const count = (xs: string[]) => xs.reduce<Record<string, number>>((acc, x) => ((acc[x] = (acc[x] ?? 0) + 1), acc), {});
      const fileKeys = await Promise.all(corpus.map((e) => dedupeKeyOf(e.raw)));
      const crlf = (b: Buffer) => createHash('sha256').update(b.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1').digest('hex');
      const fileOf = new Map(corpus.map((e) => [crlf(e.raw), e]));
      const perCategory: Record<string, Record<string, number>> = {};
      const quarantinedFiles: string[] = [];
      served.forEach((raw, i) => {
        const file = fileOf.get(crlf(raw));
        const category = file?.category ?? 'unmatched';
        const row = rowOf(i);
        const outcome = row?.outcome ?? 'MISSING';
        (perCategory[category] ??= {})[outcome] = (perCategory[category]?.[outcome] ?? 0) + 1;
        if (outcome === 'QUARANTINED' || outcome === 'MISSING') quarantinedFiles.push(`${file?.path ?? `#${i}`}: ${outcome} ${row?.reason ?? ''}`);
      });
      const status = (await gqlOk(as(m.app, 'ADMIN'), `query { emailInboxStatus { state processed failed lastError } }`)).emailInboxStatus;
      const failures = m.logs.filter((l) => l.msg === 'email could not be processed').map((l) => String(l.err).slice(0, 100));
      // eslint-disable-next-line no-console
      console.log(
        [
          `email corpus: ${corpus.length} messages appended, drained in ${Math.round(drainedMs / 1000)} s; ${distinct.size} distinct dedupe keys; ${ledger.length} email_messages rows; ${await countCases(m)} cases`,
          `  outcomes: ${JSON.stringify(count(ledger.map((r) => r.outcome)))}`,
          `  parser on served bytes: ${keys.filter((k) => k.ok).length} ok, ${keys.filter((k) => !k.ok).length} not ok ${JSON.stringify(count(keys.filter((k) => !k.ok).map((k) => k.reason!.split(':')[0])))}`,
          `  file dedupe keys not among the served ones (bytes changed by the IMAP round trip): ${fileKeys.filter((k) => !distinct.has(k.key)).length}`,
          `  per category: ${Object.entries(perCategory).map(([c, o]) => `${c} ${JSON.stringify(o)}`).join('; ')}`,
          `  suppressed: ${JSON.stringify(count(ledger.filter((r) => r.outcome === 'SUPPRESSED').map((r) => (r.reason ?? '').split(':')[0])))}`,
          `  quarantined: ${quarantinedFiles.join(' | ') || 'none'}`,
          `  processing failures logged (each retried up to 3 times): ${JSON.stringify(count(failures))}`,
          `  failures by message (uid = append order): ${m.logs.filter((l) => l.msg === 'email could not be processed').map((l) => `${corpus[l.uid - 1]?.path}#${l.attempt}: ${String(l.err).slice(0, 60)}`).join(' | ')}`,
          `  inbox status: ${JSON.stringify(status)}`,
        ].join('\n'),
      );

      const missing = served.map((_, i) => i).filter((i) => !rowOf(i)).map((i) => `${keys[i].key} (${fileOf.get(crlf(served[i]))?.path})`);
      expect(missing).toEqual([]);
      expect(ledger.length).toBe(distinct.size);
      expect(ledger.filter((r) => !FINAL_OUTCOMES.includes(r.outcome))).toEqual([]);
      // A case or a join names its case; suppressed and quarantined messages make none.
      expect(ledger.filter((r) => ['CREATED', 'JOINED', 'DELIVERY_FAILURE'].includes(r.outcome) && !r.case_id)).toEqual([]);
      expect(ledger.filter((r) => ['SUPPRESSED', 'QUARANTINED'].includes(r.outcome) && r.case_id)).toEqual([]);

      const ready = await readyz(m);
      expect(ready).toMatchObject({ status: 200, body: { status: 'ready' } });
      expect(status.state).toBe('CONNECTED');
      firstPass = { cases: await countCases(m), rows: ledger.length };
    },
    DRAIN_TIMEOUT_MS + 120_000,
  );

  it('each ledger row is keyed by its message\'s dedupe key (Message-ID), also when quarantined after failures', () => {
    expect(ledger.length).toBeGreaterThan(0);
    const distinct = new Set(keys.map((k) => k.key));
    const unexpected = ledger.filter((r) => !distinct.has(r.dedupe_key)).map((r) => `${r.dedupe_key} ${r.outcome} ${r.reason}`);
    expect(unexpected).toEqual([]);
  });

  it('no readable message from a person is quarantined because the intake refused its content', () => {
    expect(ledger.length).toBeGreaterThan(0);
    // Parsed fine, yet set aside after three failed attempts: the intake should have made a case.
    const refused = ledger.filter((r) => r.outcome === 'QUARANTINED' && /^PROCESSING_FAILED/.test(r.reason ?? '')).map((r) => r.reason);
    expect(refused).toEqual([]);
  });

  it(
    'appending the whole corpus again creates nothing new',
    async () => {
      expect(firstPass).not.toBeNull();
      await appendMany(m.account, corpus.map((e) => e.raw));
      await drain(2 * corpus.length);
      const all = await rows();
      expect(all.length).toBe(firstPass!.rows);
      expect(await countCases(m)).toBe(firstPass!.cases);
      expect((await readyz(m)).status).toBe(200);
    },
    DRAIN_TIMEOUT_MS + 60_000,
  );
});
