import { createHash } from 'node:crypto';
import { DovecotInstance } from '../../support/mail/dovecot';
import { SmtpSink } from '../../support/mail/smtp-sink';
import { as, gql, gqlOk } from '../../support/test-app';
import {
  caseById,
  countCases,
  emailRow,
  eventsOf,
  headerBlock,
  keyOf,
  LOKET_ADDRESS,
  MailApp,
  mailsTo,
  outgoingTo,
  rawBounce,
  rawMail,
  readyz,
  startMailApp,
  startServers,
  uniq,
  eventually,
  waitEmailRow,
  waitEvent,
  waitInboxEmpty,
  waitOutboxIdle,
} from './email-helpers';

jest.setTimeout(150_000);

const QUARANTINED = `query { quarantinedEmails(first: 200) { id messageId outcome reason caseId rawFileId receivedAt processedAt } }`;
const DISCARD = `mutation($id: ID!, $reason: String!) { discardQuarantinedEmail(id: $id, reason: $reason) { id outcome reason } }`;
const STATUS = `query { emailInboxStatus { configured state lastError connectedSince processed failed } }`;

const sha256 = (raw: string | Buffer): string => createHash('sha256').update(raw).digest('hex');
const person = (tag: string) => {
  const address = `${tag}.${uniq()}@warga.example`;
  return { address, from: `Warga ${tag} <${address}>` };
};

describe('email intake robustness', () => {
  let dovecot: DovecotInstance;
  let sink: SmtpSink;
  let m: MailApp;

  beforeAll(async () => {
    ({ dovecot, sink } = await startServers());
    m = await startMailApp('email_robust', dovecot, sink);
  });

  afterAll(async () => {
    await m?.stop();
    await sink?.stop();
    await dovecot?.stop();
  });

  /** Sends one citizen mail and waits until it is a case with its acknowledgement sent. */
  async function newCase(tag: string) {
    const who = person(tag);
    const messageId = `<${tag}-${uniq()}@warga.example>`;
    const raw = rawMail({ from: who.from, subject: `Pengaduan ${tag} ${uniq()}`, messageId, text: `Isi pengaduan ${tag}.` });
    await m.append(raw);
    const row = await waitEmailRow(m, keyOf(messageId));
    expect(row.outcome).toBe('CREATED');
    await waitEvent(m, row.case_id!, 'MAIL_SENT');
    const ack = await sink.waitFor((x) => x.envelope.to.includes(who.address), 30_000);
    return { who, messageId, raw, caseId: row.case_id!, ack };
  }

  /** The ledger row of a message: under its Message-ID key, or (quarantined after failures) under the hash of its bytes. */
  function outcomeOf(messageId: string, raw: string) {
    return eventually(async () => (await emailRow(m, keyOf(messageId))) ?? (await emailRow(m, `email-sha256:${sha256(raw)}`)), `a ledger row for ${messageId}`, 30_000);
  }

  it('the same message appended twice (same Message-ID) makes one case and one acknowledgement', async () => {
    const who = person('dua-kali');
    const messageId = `<twice-${uniq()}@warga.example>`;
    const raw = rawMail({ from: who.from, subject: `Dobel ${uniq()}`, messageId, text: 'Pesan yang sama dua kali.' });
    const cases = await countCases(m);
    await m.append(raw);
    await m.append(raw);
    await waitInboxEmpty(m);
    const row = await waitEmailRow(m, keyOf(messageId));
    expect(row.outcome).toBe('CREATED');
    expect(await countCases(m)).toBe(cases + 1);
    expect((await m.list('Processed')).filter((e) => e.messageId === messageId)).toHaveLength(2);
    await waitEvent(m, row.case_id!, 'MAIL_SENT');
    expect(await outgoingTo(m, who.address)).toHaveLength(1);
    expect(mailsTo(sink, who.address)).toHaveLength(1);
  });

  it('a message without Message-ID appended twice (byte-identical) makes one case', async () => {
    const who = person('tanpa-id');
    const raw = rawMail({ from: who.from, subject: `Tanpa Message-ID ${uniq()}`, messageId: null, text: 'Klien surel lama tanpa Message-ID.' });
    const cases = await countCases(m);
    await m.append(raw);
    await m.append(raw);
    await waitInboxEmpty(m);
    const row = await waitEmailRow(m, `email-sha256:${sha256(raw)}`);
    expect(row).toMatchObject({ outcome: 'CREATED', message_id: null });
    expect(await countCases(m)).toBe(cases + 1);
    await waitEvent(m, row.case_id!, 'MAIL_SENT');
    expect(await outgoingTo(m, who.address)).toHaveLength(1);
  });

  it('automatic mail (Auto-Submitted, Precedence: bulk, mailer-daemon) makes no case and no acknowledgement, but is moved and recorded SUPPRESSED', async () => {
    const cases = await countCases(m);
    const autos = ([
      { from: `Cuti <ooo.${uniq()}@dinas.example>`, headers: { 'Auto-Submitted': 'auto-replied' }, subject: 'Out of office: Pengaduan' },
      { from: `Buletin <news.${uniq()}@buletin.example>`, headers: { Precedence: 'bulk' }, subject: 'Buletin mingguan' },
      { from: `MAILER-DAEMON@relay${uniq()}.example`, headers: {}, subject: 'Pemberitahuan sistem' },
    ] as { from: string; headers: Record<string, string>; subject: string }[]).map((a) => ({ ...a, messageId: `<auto-${uniq()}@auto.example>`, address: /<([^>]+)>/.exec(a.from)?.[1] ?? a.from }));
    for (const a of autos) await m.append(rawMail({ from: a.from, subject: a.subject, messageId: a.messageId, headers: a.headers, text: 'Pesan otomatis.' }));
    await waitInboxEmpty(m);
    const processed = (await m.list('Processed')).map((e) => e.messageId);
    for (const a of autos) {
      const row = await waitEmailRow(m, keyOf(a.messageId));
      expect(row).toMatchObject({ outcome: 'SUPPRESSED', case_id: null });
      expect(row.reason).toBeTruthy();
      expect(processed).toContain(a.messageId);
      expect(await outgoingTo(m, a.address.toLowerCase())).toEqual([]);
    }
    expect(await countCases(m)).toBe(cases);
  });

  it('a bounce of our acknowledgement (multipart/report with text/rfc822-headers) adds DELIVERY_FAILED to that case', async () => {
    const first = await newCase('pantul');
    const ackId = first.ack.parsed.messageId!;
    const cases = await countCases(m);
    const bounceId = `<dsn-${uniq()}@mx.example.test>`;
    await m.append(rawBounce({ to: LOKET_ADDRESS, failedRecipient: first.who.address, originalHeaders: headerBlock(first.ack.raw), messageId: bounceId }));
    const row = await waitEmailRow(m, keyOf(bounceId));
    expect(row).toMatchObject({ outcome: 'DELIVERY_FAILURE', case_id: first.caseId });
    const c = await waitEvent(m, first.caseId, 'DELIVERY_FAILED');
    const failed = eventsOf(c, 'DELIVERY_FAILED');
    expect(failed).toHaveLength(1);
    expect(String(failed[0].after?.messageId).toLowerCase()).toBe(ackId.toLowerCase());
    expect(eventsOf(c, 'INCOMING_MESSAGE')).toEqual([]);
    expect(await countCases(m)).toBe(cases);
    expect(await outgoingTo(m, 'mailer-daemon@mx.example.test')).toEqual([]);
  });

  it('our own acknowledgement appended back into the INBOX (a loop) makes nothing', async () => {
    const first = await newCase('lingkaran');
    const cases = await countCases(m);
    const [outBefore] = await m.q<{ n: string }>(`SELECT count(*)::text AS n FROM outgoing_mails`);
    await m.append(first.ack.raw);
    const row = await waitEmailRow(m, keyOf(first.ack.parsed.messageId!));
    expect(row).toMatchObject({ outcome: 'SUPPRESSED', case_id: null });
    expect(row.reason).toMatch(/OWN_MAIL/);
    await waitInboxEmpty(m);
    const c = await caseById(m, first.caseId);
    expect(eventsOf(c, 'INCOMING_MESSAGE')).toEqual([]);
    expect(await countCases(m)).toBe(cases);
    const [outAfter] = await m.q<{ n: string }>(`SELECT count(*)::text AS n FROM outgoing_mails`);
    expect(outAfter.n).toBe(outBefore.n);
    expect(mailsTo(sink, LOKET_ADDRESS)).toEqual([]);
  });

  it('an empty message goes to quarantine: listed for the COMPLAINT_OFFICER, then discarded', async () => {
    const raw = `X-Loket-Test: ${uniq()}\r\nMIME-Version: 1.0\r\n\r\n\r\n`;
    const cases = await countCases(m);
    await m.append(raw);
    const row = await waitEmailRow(m, `email-sha256:${sha256(raw)}`);
    expect(row.outcome).toBe('QUARANTINED');
    await waitInboxEmpty(m);
    expect(await countCases(m)).toBe(cases);

    const listed = (await gqlOk<{ quarantinedEmails: any[] }>(m.app.url, QUARANTINED)).quarantinedEmails;
    const entry = listed.find((e) => e.id === row.id);
    expect(entry).toMatchObject({ outcome: 'QUARANTINED', caseId: null, rawFileId: sha256(raw), reason: expect.stringMatching(/NO_CONTENT/) });
    expect(await m.storedBytes(entry.rawFileId)).toEqual(Buffer.from(raw));

    const discarded = await gql(m.app.url, DISCARD, { id: row.id, reason: 'Pesan kosong, tidak ada isi' });
    expect(discarded.errors).toBeUndefined();
    expect(discarded.data!.discardQuarantinedEmail).toMatchObject({ id: row.id, outcome: 'DISCARDED' });
    const after = (await gqlOk<{ quarantinedEmails: any[] }>(m.app.url, QUARANTINED)).quarantinedEmails;
    expect(after.map((e) => e.id)).not.toContain(row.id);
    expect((await emailRow(m, row.dedupe_key))!.outcome).toBe('DISCARDED');
  });

  it('a message that cannot be parsed as MIME at all (garbage bytes) is quarantined, not lost', async () => {
    const raw = Buffer.concat([Buffer.from(`garbage ${uniq()} `), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(' no colon, no headers, no body\r\n')]);
    await m.append(raw);
    await waitInboxEmpty(m);
    const row = await waitEmailRow(m, `email-sha256:${sha256(raw)}`);
    // Either set aside, or (lenient parsing) a case with the garbage as text: never lost.
    expect(['QUARANTINED', 'CREATED']).toContain(row.outcome);
  });

  it('one bad message never stops the ones after it', async () => {
    const bad = `X-Bad: ${uniq()}\r\n\r\n`;
    const who = person('setelah-buruk');
    const goodId = `<good-${uniq()}@warga.example>`;
    await m.append(bad);
    await m.append(rawMail({ from: who.from, subject: `Setelah pesan buruk ${uniq()}`, messageId: goodId, text: 'Pesan baik.' }));
    const good = await waitEmailRow(m, keyOf(goodId));
    expect(good.outcome).toBe('CREATED');
    expect((await waitEmailRow(m, `email-sha256:${sha256(bad)}`)).outcome).toBe('QUARANTINED');
    await waitInboxEmpty(m);
  });

  it('a very long message (25,000 characters of text) still becomes a case, not a quarantined message', async () => {
    const who = person('surat-panjang');
    const messageId = `<long-${uniq()}@warga.example>`;
    const paragraph = 'Kami warga Desa Kuala Dua menyampaikan keluhan tentang penyaluran bantuan sosial yang belum merata. ';
    const text = `Awal surat.\n\n${paragraph.repeat(Math.ceil(25_000 / paragraph.length))}\n\nAkhir surat.`;
    const raw = rawMail({ from: who.from, subject: `Surat panjang ${uniq()}`, messageId, text });
    await m.append(raw);
    const row = await outcomeOf(messageId, raw);
    await waitInboxEmpty(m);
    expect({ outcome: row.outcome, reason: row.reason }).toEqual({ outcome: 'CREATED', reason: null });
    const c = await caseById(m, row.case_id!);
    expect(c.description).toMatch(/^Awal surat\./);
  });

  it('a sender address without a dot in the domain (user@host) still makes a case', async () => {
    const messageId = `<nodot-${uniq()}@kantor-desa>`;
    const subject = `Dari jaringan kantor desa ${uniq()}`;
    const raw = rawMail({ from: `"Ketua RT 05" <rt05@kantor-desa>`, subject, messageId, text: 'Pengaduan dari komputer kantor desa.' });
    await m.append(raw);
    const row = await outcomeOf(messageId, raw);
    await waitInboxEmpty(m);
    expect({ outcome: row.outcome, reason: row.reason }).toEqual({ outcome: 'CREATED', reason: null });
    const c = await caseById(m, row.case_id!);
    expect(c.subject).toBe(subject);
    expect(c.requester?.name).toBe('Ketua RT 05');
  });

  it('SMTP failing temporarily: the acknowledgement is retried and arrives exactly once', async () => {
    await waitOutboxIdle(m);
    const who = person('smtp-gagal');
    const messageId = `<smtpfail-${uniq()}@warga.example>`;
    sink.failNext(1);
    await m.append(rawMail({ from: who.from, subject: `SMTP sementara gagal ${uniq()}`, messageId, text: 'Uji kirim ulang.' }));
    const row = await waitEmailRow(m, keyOf(messageId));
    // The first attempt fails with 451; the outbox retries after its backoff (about 30 s).
    const c = await waitEvent(m, row.case_id!, 'MAIL_SENT', 1, 120_000);
    expect(eventsOf(c, 'MAIL_SENT')).toHaveLength(1);
    expect(eventsOf(c, 'DELIVERY_FAILED')).toEqual([]);
    const out = await outgoingTo(m, who.address);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'ACKNOWLEDGEMENT', status: 'SENT' });
    expect(out[0].attempts).toBeGreaterThanOrEqual(2);
    expect(mailsTo(sink, who.address)).toHaveLength(1);
  });

  it('after dropConnections the inbox reconnects (CONNECTED) and processes mail appended afterwards', async () => {
    const before = (await gqlOk(as(m.app, 'ADMIN'), STATUS)).emailInboxStatus;
    expect(before).toMatchObject({ configured: true, state: 'CONNECTED' });
    await dovecot.dropConnections();
    const status = await eventually(
      async () => {
        const s = (await gqlOk(as(m.app, 'ADMIN'), STATUS)).emailInboxStatus;
        return s.state === 'CONNECTED' && s.connectedSince !== before.connectedSince ? s : null;
      },
      'the inbox to reconnect',
      60_000,
      250,
    );
    expect(status.lastError).toBeNull();
    const who = person('sesudah-putus');
    const messageId = `<afterdrop-${uniq()}@warga.example>`;
    await m.append(rawMail({ from: who.from, subject: `Sesudah koneksi putus ${uniq()}`, messageId, text: 'Masih diproses?' }));
    expect((await waitEmailRow(m, keyOf(messageId), 60_000)).outcome).toBe('CREATED');
    await waitInboxEmpty(m);
    expect((await readyz(m)).status).toBe(200);
  });

  it('crash between commit and move: the same raw message found again in the INBOX makes no second case or acknowledgement', async () => {
    const first = await newCase('crash');
    const cases = await countCases(m);
    // As if the move had never happened: the identical bytes are in the INBOX again.
    await m.append(first.raw);
    await waitInboxEmpty(m);
    expect(await countCases(m)).toBe(cases);
    expect(await emailRow(m, keyOf(first.messageId))).toMatchObject({ outcome: 'CREATED', case_id: first.caseId });
    const c = await caseById(m, first.caseId);
    expect(eventsOf(c, 'INCOMING_MESSAGE')).toEqual([]);
    expect(eventsOf(c, 'MAIL_SENT')).toHaveLength(1);
    expect(await outgoingTo(m, first.who.address)).toHaveLength(1);
    expect(mailsTo(sink, first.who.address)).toHaveLength(1);
  });

  it('copies of one message arriving together (same Message-ID, different Received headers) make one case, without processing errors', async () => {
    const who = person('dua-alias');
    const messageId = `<alias-${uniq()}@warga.example>`;
    const body = rawMail({ from: who.from, subject: `Dikirim ke dua alamat ${uniq()}`, messageId, text: 'Saya kirim ke kesra@ dan tembusan ke alias pengaduan.' });
    const copy = (alias: string) => `Delivered-To: ${alias}\r\nReceived: from mx.example.test by imap.kalbarprov.go.id for <${alias}>; Mon, 2 Mar 2026 09:15:0${alias.length % 10} +0700\r\n${body}`;
    const cases = await countCases(m);
    // Both copies wait in the INBOX while the intake is down, so they are fetched in one batch.
    await m.stopAppOnly();
    await m.append(copy(LOKET_ADDRESS));
    await m.append(copy('pengaduan@kalbarprov.go.id'));
    const logged = m.logs.length;
    await m.start();
    await waitInboxEmpty(m);
    expect(await countCases(m)).toBe(cases + 1);
    const row = await waitEmailRow(m, keyOf(messageId));
    expect(row.outcome).toBe('CREATED');
    await waitEvent(m, row.case_id!, 'MAIL_SENT');
    expect(await outgoingTo(m, who.address)).toHaveLength(1);
    // The second copy is a duplicate, not a failure to be retried (and counted, and logged as an error).
    const errors = m.logs.slice(logged).filter((l) => l.msg === 'email could not be processed').map((l) => l.err);
    expect(errors).toEqual([]);
    expect((await gqlOk(as(m.app, 'ADMIN'), STATUS)).emailInboxStatus.failed).toBe(0);
  });

  it('two different messages sharing a Message-ID arriving together: one case, the other a duplicate, no processing errors', async () => {
    const who = person('id-sama');
    const messageId = `<same-${uniq()}@warga.example>`;
    const cases = await countCases(m);
    await m.stopAppOnly();
    await m.append(rawMail({ from: who.from, subject: `Versi pertama ${uniq()}`, messageId, text: 'Versi pertama.' }));
    await m.append(rawMail({ from: who.from, subject: `Versi kedua ${uniq()}`, messageId, text: 'Versi kedua, isi berbeda.' }));
    const logged = m.logs.length;
    await m.start();
    await waitInboxEmpty(m);
    expect(await countCases(m)).toBe(cases + 1);
    expect((await waitEmailRow(m, keyOf(messageId))).outcome).toBe('CREATED');
    const errors = m.logs.slice(logged).filter((l) => l.msg === 'email could not be processed').map((l) => l.err);
    expect(errors).toEqual([]);
  });

  it('a whole thread and odd mail arriving in one batch: one case, the replies (and a reply to a reply) join it, the rest is set aside', async () => {
    const who = person('satu-batch');
    const first = `<thread-${uniq()}@warga.example>`;
    const reply = `<thread-re-${uniq()}@warga.example>`;
    const replyToReply = `<thread-re-re-${uniq()}@warga.example>`;
    const auto = `<thread-auto-${uniq()}@dinas.example>`;
    const empty = `X-Loket-Test: ${uniq()}\r\nMIME-Version: 1.0\r\n\r\n\r\n`;
    const cases = await countCases(m);
    await m.stopAppOnly();
    // The reply to the reply comes first in the INBOX and names only the reply: the intake must
    // still put the thread in order.
    await m.append(rawMail({ from: who.from, subject: 'Re: Re: Jalan desa', messageId: replyToReply, inReplyTo: reply, references: reply, text: 'Tambahan kedua.' }));
    await m.append(rawMail({ from: who.from, subject: `Jalan desa rusak ${uniq()}`, messageId: first, text: 'Jalan desa kami rusak parah.' }));
    await m.append(rawMail({ from: who.from, subject: 'Re: Jalan desa', messageId: reply, inReplyTo: first, references: first, text: 'Tambahan pertama.' }));
    await m.append(rawMail({ from: `Cuti <ooo.${uniq()}@dinas.example>`, subject: 'Out of office', messageId: auto, headers: { 'Auto-Submitted': 'auto-replied' }, text: 'Sedang cuti.' }));
    await m.append(empty);
    const logged = m.logs.length;
    await m.start();
    await waitInboxEmpty(m);
    const created = await waitEmailRow(m, keyOf(first));
    expect(created.outcome).toBe('CREATED');
    expect(await waitEmailRow(m, keyOf(reply))).toMatchObject({ outcome: 'JOINED', case_id: created.case_id });
    expect(await waitEmailRow(m, keyOf(replyToReply))).toMatchObject({ outcome: 'JOINED', case_id: created.case_id });
    expect(await waitEmailRow(m, keyOf(auto))).toMatchObject({ outcome: 'SUPPRESSED', case_id: null });
    expect(await waitEmailRow(m, `email-sha256:${sha256(empty)}`)).toMatchObject({ outcome: 'QUARANTINED' });
    expect(await countCases(m)).toBe(cases + 1);
    const c = await caseById(m, created.case_id!);
    expect(eventsOf(c, 'INCOMING_MESSAGE').map((e) => String(e.text).trim())).toEqual(['Tambahan pertama.', 'Tambahan kedua.']);
    const errors = m.logs.slice(logged).filter((l) => l.msg === 'email could not be processed').map((l) => l.err);
    expect(errors).toEqual([]);
  });

  it('crash between commit and move, across a restart: a new app instance finds it already done', async () => {
    const first = await newCase('restart');
    const cases = await countCases(m);
    await m.stopAppOnly();
    // The copy that was never moved: in the INBOX while no intake runs.
    await m.append(first.raw);
    await m.start();
    await waitInboxEmpty(m);
    expect(await countCases(m)).toBe(cases);
    const c = await caseById(m, first.caseId);
    expect(eventsOf(c, 'INCOMING_MESSAGE')).toEqual([]);
    expect(await outgoingTo(m, first.who.address)).toHaveLength(1);
    expect(mailsTo(sink, first.who.address)).toHaveLength(1);
  });
});

describe('email intake with a small size limit (emailMaxBytes 2000)', () => {
  let dovecot: DovecotInstance;
  let sink: SmtpSink;
  let m: MailApp;

  beforeAll(async () => {
    ({ dovecot, sink } = await startServers());
    // Every file in the files directory here (LOKET_FILES_INLINE_MAX_BYTES=0), the other way of storing.
    m = await startMailApp('email_robust_small', dovecot, sink, { filesInlineMaxBytes: 0 }, { LOKET_EMAIL_MAX_BYTES: '2000' });
  });

  afterAll(async () => {
    await m?.stop();
    await sink?.stop();
    await dovecot?.stop();
  });

  it('an oversized message still becomes a case whose description notes the attachment left out; the raw message is kept', async () => {
    const messageId = `<big-${uniq()}@warga.example>`;
    const photo = Buffer.alloc(6000, 0x5a);
    const raw = rawMail({
      from: `Dewi <dewi.${uniq()}@warga.example>`,
      subject: `Foto jembatan rusak ${uniq()}`,
      messageId,
      text: 'Berikut foto jembatan yang rusak di Desa Kuala Dua.',
      attachments: [{ filename: 'jembatan.jpg', contentType: 'image/jpeg', content: photo }],
    });
    expect(Buffer.byteLength(raw)).toBeGreaterThan(2000);
    await m.append(raw);
    const row = await waitEmailRow(m, keyOf(messageId));
    expect(row.outcome).toBe('CREATED');
    const c = await caseById(m, row.case_id!);
    expect(c.description).toContain('Berikut foto jembatan yang rusak di Desa Kuala Dua.');
    expect(c.description).toContain('jembatan.jpg');
    expect(c.description).toContain('6000');
    expect(c.description).toMatch(/tidak disimpan/);
    expect(await m.q(`SELECT * FROM case_attachments WHERE case_id = $1::uuid`, [row.case_id])).toEqual([]);
    // The raw message is kept whole (with the attachment left out of the case).
    expect(await m.storedBytes(row.raw_file_id)).toEqual(Buffer.from(raw));
    const [inline] = await m.q<{ inline: boolean }>(`SELECT content IS NOT NULL AS inline FROM stored_files WHERE id = $1`, [row.raw_file_id]);
    expect(inline.inline).toBe(false);
    await waitInboxEmpty(m);
  });
});
