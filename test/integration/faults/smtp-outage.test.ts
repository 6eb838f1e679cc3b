import { DovecotInstance } from '../../support/mail/dovecot';
import { SmtpSink, startSmtpSink } from '../../support/mail/smtp-sink';
import { eventually, MailApp, mailsTo, rawMail, startMailApp, startServers, uniq } from '../email/email-helpers';

const EMAILS = 10;
const DOWN_MS = 3_000;

/**
 * The SMTP server gone (connections refused) while acknowledgements are queued, then back on
 * the same port: every acknowledgement waits (its attempt recorded, nothing given up) and goes
 * out exactly once when the server returns; no case records a delivery failure.
 */
describe('SMTP down for a while, then back', () => {
  let dovecot: DovecotInstance;
  let sink: SmtpSink;
  let m: MailApp;

  beforeAll(async () => {
    ({ dovecot, sink } = await startServers());
    m = await startMailApp('smtp_outage', dovecot, sink);
  }, 60_000);
  afterAll(async () => {
    await m?.stop();
    await sink?.stop();
    await dovecot?.stop();
  });

  it('queued acknowledgements go out once when the SMTP server returns', async () => {
    const port = sink.port;
    await sink.stop();
    const t0 = Date.now();
    const senders = Array.from({ length: EMAILS }, (_, i) => `warga-smtp${i}-${uniq()}@example.test`);
    for (const [i, from] of senders.entries()) await m.append(rawMail({ from, subject: `SMTP mati ${i} ${uniq()}`, text: 'Mohon ditindaklanjuti.' }));

    // Each acknowledgement was tried, failed (connection refused) and waits for its retry.
    const waiting = await eventually(async () => {
      const rows = await m.q<{ status: string; attempts: number; last_error: string | null }>(
        `SELECT status, attempts, last_error FROM outgoing_mails WHERE lower(recipient) = ANY($1::text[])`,
        [senders.map((s) => s.toLowerCase())],
      );
      return rows.length === EMAILS && rows.every((r) => r.status === 'PENDING' && r.attempts >= 1) ? rows : null;
    }, 'every acknowledgement to be tried once and wait', 30_000);
    expect(waiting.every((r) => /ECONNREFUSED|connect/i.test(r.last_error ?? ''))).toBe(true);
    await new Promise((r) => setTimeout(r, Math.max(0, DOWN_MS - (Date.now() - t0))));

    sink = await startSmtpSink({ port });
    const backAt = Date.now();
    // The retry comes after the dispatcher's backoff (30 s after the first attempt).
    await eventually(async () => {
      const [r] = await m.q<{ n: number }>(`SELECT count(*)::int AS n FROM outgoing_mails WHERE status <> 'SENT' AND lower(recipient) = ANY($1::text[])`, [senders.map((s) => s.toLowerCase())]);
      return r.n === 0;
    }, 'every acknowledgement to be sent', 55_000, 250);

    for (const s of senders) expect(mailsTo(sink, s)).toHaveLength(1);
    const events = await m.q<{ type: string; n: number }>(
      `SELECT e.type, count(*)::int AS n FROM case_events e JOIN outgoing_mails o ON o.case_id = e.case_id
       WHERE lower(o.recipient) = ANY($1::text[]) AND e.type IN ('MAIL_SENT', 'DELIVERY_FAILED') GROUP BY e.type`,
      [senders.map((s) => s.toLowerCase())],
    );
    expect(events).toEqual([{ type: 'MAIL_SENT', n: EMAILS }]);
    process.stdout.write(`smtp-outage: ${EMAILS} acknowledgements queued while down, all sent ${Date.now() - backAt} ms after the server returned\n`);
  }, 90_000);
});
