import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '../../support/database';
import { queryDb, waitFor } from '../../support/live';
import { DovecotInstance, startDovecot } from '../../support/mail/dovecot';
import { SmtpSink, startSmtpSink } from '../../support/mail/smtp-sink';
import { buildPhoneCall } from '../../support/builders';
import { freePort } from '../../support/throwaway-postgres';
import { ServerProcess, startServerProcess, testDataKey } from '../../support/server-process';
import { appendRaw, imapEnv, rawMail, smtpEnv, uniq } from '../email/email-helpers';

const EMAILS = 200;
const CALLS = 200;
const CLIENTS = 4;
const TOKEN = `boot-${randomBytes(24).toString('hex')}`;
const LOG = `mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { id reference } }`;

/**
 * kill -9 of the real server while 200 emails wait in the inbox and clients log 200 calls,
 * each retrying its own idempotency key until answered; then a restart on the same port:
 * exactly 400 cases (none lost, none doubled), every acknowledgement sent once (a resend at
 * most repeats the same Message-ID), reference numbers gapless.
 */
describe('crash (SIGKILL) and restart under intake load (real process)', () => {
  let dovecot: DovecotInstance;
  let sink: SmtpSink;
  let db: { url: string; drop: () => Promise<void> };
  let filesDir: string;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    [dovecot, sink, db] = await Promise.all([startDovecot(), startSmtpSink(), createTestDatabase('crash_restart')]);
    filesDir = mkdtempSync(path.join(os.tmpdir(), 'loket-crash-files-'));
  }, 60_000);
  afterAll(async () => {
    await server?.kill();
    await sink?.stop();
    await dovecot?.stop();
    await db?.drop();
    if (filesDir) rmSync(filesDir, { recursive: true, force: true });
  });

  it('loses and doubles nothing, acknowledges each email once, keeps reference numbers gapless', async () => {
    const senders = Array.from({ length: EMAILS }, (_, i) => `warga${i}-${uniq()}@example.test`);
    await appendRaw(
      dovecot,
      senders.map((from, i) => Buffer.from(rawMail({ from: `Warga ${i} <${from}>`, subject: `Pengaduan nomor ${i}`, messageId: `<crash-${i}-${uniq()}@example.test>`, text: `Bantuan belum diterima (${i}).` }), 'utf8')),
    );
    const port = await freePort();
    const env = {
      PORT: String(port), DATABASE_URL: db.url, LOKET_BOOTSTRAP_TOKEN: TOKEN, LOKET_DATA_KEY: testDataKey(), LOKET_FILES_DIR: filesDir,
      LOKET_RATE_LIMIT_MUTATIONS_PER_MINUTE: '100000,100000', ...imapEnv(dovecot), ...smtpEnv(sink),
    };
    // The same data key for both runs.
    server = await startServerProcess(env);
    const url = `http://127.0.0.1:${port}/graphql`;
    // The bootstrap token is an administrator's; calls are logged by a complaint officer.
    const created = (await (
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ query: `mutation { createApiToken(input: { name: "petugas", role: COMPLAINT_OFFICER }) { token } }` }),
      })
    ).json()) as any;
    const officer = created.data.createApiToken.token as string;

    const answers = new Map<string, Set<string>>();
    let attempts = 0;
    let failedAttempts = 0;
    let next = 0;
    const client = async (): Promise<void> => {
      while (next < CALLS) {
        next++;
        const key = randomUUID();
        const input = buildPhoneCall({ idempotencyKey: key });
        for (;;) {
          attempts++;
          const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${officer}` }, body: JSON.stringify({ query: LOG, variables: { input } }) })
            .then((res) => res.json() as Promise<any>)
            .catch(() => null);
          const id = r?.data?.logPhoneCall?.id;
          if (id) {
            answers.set(key, (answers.get(key) ?? new Set()).add(id));
            break;
          }
          failedAttempts++;
          await new Promise((res) => setTimeout(res, 100));
        }
      }
    };
    const t0 = Date.now();
    const stage = (what: string): void => void process.stdout.write(`crash-restart ${Date.now() - t0} ms: ${what}\n`);
    const clients = Array.from({ length: CLIENTS }, () => client());

    // Killed in the middle: some of both kinds stored, much still to do.
    await waitFor(async () => (await queryDb(db.url, `SELECT count(*)::int AS n FROM cases WHERE channel = 'EMAIL'`))[0].n >= 40, 'a part of the emails', 45_000);
    const before = (await queryDb(db.url, `SELECT channel, count(*)::int AS n FROM cases GROUP BY channel ORDER BY channel`)) as { channel: string; n: number }[];
    const mailStates = async () => JSON.stringify(await queryDb(db.url, `SELECT status, count(*)::int AS n FROM outgoing_mails GROUP BY status ORDER BY status`));
    stage(`killing with ${JSON.stringify(before)}, ${answers.size} calls answered, ${sink.messages.length} mails received, outgoing ${await mailStates()}`);
    server.child.kill('SIGKILL');
    await server.exited;
    const killedAt = Date.now() - t0;
    // Mails the dead process had leased wait for their lease (2 min) to run out, as they would
    // in production; the test skips that wait by ending those leases now (only the dead
    // process's: the new one is not started yet). They are then sent again, same Message-ID.
    const orphaned = await queryDb(db.url, `UPDATE outgoing_mails SET lease_until = now() - interval '1 second' WHERE status = 'SENDING' RETURNING id`);
    server = await startServerProcess(env);
    const restartedAt = Date.now() - t0;

    stage(`restarted; outgoing ${await mailStates()}; ${orphaned.length} leases of the dead process ended`);
    await Promise.all(clients);
    stage(`calls done; outgoing ${await mailStates()}, ${sink.messages.length} mails received`);
    await waitFor(async () => (await queryDb(db.url, `SELECT count(*)::int AS n FROM email_messages WHERE case_id IS NOT NULL`))[0].n >= EMAILS, 'every email to become a case', 45_000);
    await waitFor(
      async () => (await queryDb(db.url, `SELECT count(*)::int AS n FROM outgoing_mails WHERE status <> 'SENT'`))[0].n === 0 && sink.messages.length >= EMAILS,
      `every acknowledgement to be sent (${sink.messages.length} so far)`,
      45_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${server!.output().slice(-3000)}`);
    });
    const doneAt = Date.now() - t0;
    stage('mails done');

    // Exactly one case per email and per call.
    const byChannel = (await queryDb(db.url, `SELECT channel, count(*)::int AS n FROM cases GROUP BY channel ORDER BY channel`)) as { channel: string; n: number }[];
    expect(byChannel).toEqual([
      { channel: 'EMAIL', n: EMAILS },
      { channel: 'PHONE', n: CALLS },
    ]);
    expect(answers.size).toBe(CALLS);
    expect([...answers.values()].filter((ids) => ids.size !== 1)).toEqual([]);
    expect(new Set([...answers.values()].map((ids) => [...ids][0])).size).toBe(CALLS);
    const emailCases = await queryDb(db.url, `SELECT count(DISTINCT case_id)::int AS n FROM email_messages WHERE case_id IS NOT NULL`);
    expect(emailCases[0].n).toBe(EMAILS);

    // Every acknowledgement once: one Message-ID per recipient, a resend only repeats it.
    const ids = new Map<string, Set<string>>();
    let copies = 0;
    for (const m of sink.messages) {
      for (const to of m.envelope.to) {
        copies++;
        ids.set(to.toLowerCase(), (ids.get(to.toLowerCase()) ?? new Set()).add(String(m.parsed.messageId)));
      }
    }
    expect(senders.filter((s) => !ids.has(s.toLowerCase()))).toEqual([]);
    expect([...ids.entries()].filter(([, set]) => set.size !== 1)).toEqual([]);
    expect(ids.size).toBe(EMAILS);

    // Reference numbers: gapless from 1 in each series.
    const refs = (await queryDb(db.url, `SELECT reference FROM cases`)).map((r) => r.reference as string);
    const series = new Map<string, number[]>();
    for (const ref of refs) {
      const m = /^(.*)-(\d{6})$/.exec(ref);
      expect(m).not.toBeNull();
      series.set(m![1], [...(series.get(m![1]) ?? []), Number(m![2])]);
    }
    for (const [, numbers] of series) {
      numbers.sort((a, b) => a - b);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    }
    process.stdout.write(
      `crash-restart: killed at ${killedAt} ms with ${JSON.stringify(before)}; restarted at ${restartedAt} ms; done at ${doneAt} ms; ` +
        `call attempts ${attempts} (failed ${failedAttempts}); mails ${sink.messages.length} (copies ${copies}, resends ${copies - EMAILS}, orphaned leases ${orphaned.length}); series ${JSON.stringify([...series].map(([k, v]) => [k, v.length]))}\n`,
    );
  }, 120_000);
});
