import { createHash } from 'node:crypto';
import { formatOfficeTime } from '../../../src/domain/notifications/mail-texts';
import { DovecotInstance } from '../../support/mail/dovecot';
import { SmtpSink } from '../../support/mail/smtp-sink';
import { as, collect, gql, HANDLER_TEAM, wsClient } from '../../support/test-app';
import { SUB_CASE_CREATED, SUB_CASE_EVENTS, subscribeLive } from '../subscriptions/helpers';
import {
  caseById,
  countCases,
  emailRow,
  eventsOf,
  headerValue,
  keyOf,
  LOKET_ADDRESS,
  MailApp,
  mailsTo,
  rawMail,
  startMailApp,
  startServers,
  uniq,
  waitEmailRow,
  waitEvent,
  waitInboxEmpty,
} from './email-helpers';

jest.setTimeout(120_000);

const TIMELINE = `query($id: ID) { case(id: $id) { timeline(first: 100) { edges { node { type text after } } } } }`;
const AUDIT = `query($id: ID) { auditLog(caseId: $id, first: 200) { entries { action actorRole } } }`;
const ANSWER = `mutation($id: ID!, $answer: AnswerInput!) { answerCase(caseId: $id, answer: $answer) { id status answer { text deliveredVia } } }`;

describe('email intake end to end (Dovecot IMAP -> Loket -> SMTP)', () => {
  let dovecot: DovecotInstance;
  let sink: SmtpSink;
  let m: MailApp;
  const clients: ReturnType<typeof wsClient>[] = [];
  const track = (c: ReturnType<typeof wsClient>) => (clients.push(c), c);

  beforeAll(async () => {
    ({ dovecot, sink } = await startServers());
    m = await startMailApp('email_intake', dovecot, sink);
  });

  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await m?.stop();
    await sink?.stop();
    await dovecot?.stop();
  });

  /** The citizen's first mail and everything that follows it, shared by the threading tests. */
  const citizen = {
    address: `budi.santoso.${uniq()}@gmail.example`,
    // Like Gmail's: mixed case is part of the id; replies must quote it exactly.
    messageId: `<CAJx5Zq+Tb${uniq()}=QwErTy@mail.gmail.com>`,
    subject: `Bantuan PKH belum cair ${uniq()}`,
    text: 'Selamat pagi,\n\nBantuan PKH untuk ibu saya di Kecamatan Sungai Raya belum cair sejak Januari.\nMohon ditindaklanjuti.\n\nTerima kasih,\nBudi Santoso',
  };
  let caseId = '';
  let reference = '';
  let ackMessageId = '';
  let ackSubject = '';

  it('APPEND to INBOX: a case appears, the subscriber gets it, the message moves to Processed', async () => {
    const client = wsClient(m.app.url);
    clients.push(client);
    const sub = await subscribeLive(m.app, () => collect(client, SUB_CASE_CREATED, { filter: { channel: ['EMAIL'] } }));

    await m.append(rawMail({ from: `Budi Santoso <${citizen.address}>`, subject: citizen.subject, messageId: citizen.messageId, text: citizen.text }));

    const [pushed] = await sub.next(1, 30_000);
    expect(pushed.caseCreated).toMatchObject({ kind: 'COMPLAINT', channel: 'EMAIL', subject: citizen.subject, status: expect.any(String) });
    caseId = pushed.caseCreated.id;
    reference = pushed.caseCreated.reference;
    expect(reference).toMatch(/^ADU-\d{4}-\d{6,}$/);
    sub.dispose();

    const row = await waitEmailRow(m, keyOf(citizen.messageId));
    expect(row).toMatchObject({ outcome: 'CREATED', case_id: caseId });

    const c = await caseById(m, caseId);
    expect(c).toMatchObject({ kind: 'COMPLAINT', channel: 'EMAIL', subject: citizen.subject, description: citizen.text });
    expect(c.requester).toMatchObject({ name: 'Budi Santoso', email: citizen.address });
    expect(eventsOf(c, 'CASE_CREATED')).toHaveLength(1);

    await waitInboxEmpty(m);
    const processed = await m.list('Processed');
    expect(processed.map((p) => p.messageId)).toContain(citizen.messageId);
  });

  it('sends an Indonesian acknowledgement with the reference, the WIB deadline and loop-stopping headers; MAIL_SENT on the timeline', async () => {
    expect(caseId).not.toBe('');
    const ack = await sink.waitFor((x) => x.envelope.to.includes(citizen.address), 30_000);
    // Kept first, so the threading tests below do not depend on the assertions here.
    ackMessageId = ack.parsed.messageId ?? '';
    ackSubject = ack.parsed.subject ?? '';
    const c = await waitEvent(m, caseId, 'MAIL_SENT');

    expect(ack.parsed.subject).toContain(`[${reference}]`);
    const text = ack.parsed.text ?? '';
    expect(text).toContain(reference);
    expect(text).toContain('Terima kasih');
    expect(text).toContain('telah kami terima');
    expect(c.dueAt).not.toBeNull();
    expect(text).toContain(formatOfficeTime(new Date(c.dueAt!)));
    expect(text).toMatch(/paling lambat \S+, \d{1,2} \S+ \d{4} pukul \d{2}\.\d{2} WIB/);
    // The access code for the status page, as staff read it on the case, and where to use it.
    const code = (await gql(as(m.app, 'COMPLAINT_OFFICER'), `query($id: ID) { case(id: $id) { accessCode } }`, { id: caseId })).data?.case.accessCode;
    expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect(text).toContain(`kode akses ${code}`);
    expect(text).toContain('http://localhost:4000/status');

    expect(headerValue(ack, 'auto-submitted')).toBe('auto-replied');
    // Threading in the citizen's mail client compares Message-IDs as written.
    expect(ack.parsed.inReplyTo).toBe(citizen.messageId);
    expect(ack.parsed.from?.value[0]?.address).toBe(LOKET_ADDRESS);
    expect(ack.parsed.messageId).toBeTruthy();

    const sent = eventsOf(c, 'MAIL_SENT');
    expect(sent).toHaveLength(1);
    expect(sent[0].after).toMatchObject({ kind: 'ACKNOWLEDGEMENT' });
    expect(String(sent[0].after?.messageId).toLowerCase()).toBe(ackMessageId.toLowerCase());
    expect(mailsTo(sink, citizen.address)).toHaveLength(1);
  });

  it('a reply to the acknowledgement (In-Reply-To + "Re: [ADU-...]") joins the same case as INCOMING_MESSAGE', async () => {
    expect(ackMessageId).not.toBe('');
    const before = await countCases(m);
    const replyId = `<reply-${uniq()}@mail.gmail.com>`;
    await m.append(
      rawMail({
        from: `Budi Santoso <${citizen.address}>`,
        subject: `Re: ${ackSubject}`,
        messageId: replyId,
        inReplyTo: ackMessageId,
        references: `${citizen.messageId} ${ackMessageId}`,
        text: 'Terima kasih. Berikut nomor KKS ibu saya: 1234.\n\n> Pengaduan Anda telah kami terima',
      }),
    );
    const row = await waitEmailRow(m, keyOf(replyId));
    expect(row).toMatchObject({ outcome: 'JOINED', case_id: caseId });
    const c = await waitEvent(m, caseId, 'INCOMING_MESSAGE');
    const incoming = eventsOf(c, 'INCOMING_MESSAGE');
    expect(incoming).toHaveLength(1);
    expect(incoming[0].text).toContain('nomor KKS ibu saya');
    expect(incoming[0].after).toMatchObject({ channel: 'EMAIL', from: citizen.address });
    expect(await countCases(m)).toBe(before);
    await waitInboxEmpty(m);
  });

  it('a reply by threading headers alone (subject without reference) joins too', async () => {
    const before = await countCases(m);
    const replyId = `<reply2-${uniq()}@mail.gmail.com>`;
    await m.append(
      rawMail({ from: `Budi Santoso <${citizen.address}>`, subject: 'Tambahan informasi', messageId: replyId, inReplyTo: ackMessageId, references: ackMessageId, text: 'Satu lagi: alamatnya Jl. Adisucipto.' }),
    );
    expect(await waitEmailRow(m, keyOf(replyId))).toMatchObject({ outcome: 'JOINED', case_id: caseId });
    expect(await countCases(m)).toBe(before);
  });

  it('a new message with only the reference in the subject (no threading headers) joins the case', async () => {
    const before = await countCases(m);
    const id = `<fresh-${uniq()}@yahoo.example>`;
    await m.append(
      rawMail({ from: `Ani <ani.${uniq()}@yahoo.example>`, subject: `Fwd: [${reference}] mohon kabar perkembangan`, messageId: id, text: 'Saya keluarga pelapor, mohon kabar.' }),
    );
    expect(await waitEmailRow(m, keyOf(id))).toMatchObject({ outcome: 'JOINED', case_id: caseId });
    const c = await caseById(m, caseId);
    expect(eventsOf(c, 'INCOMING_MESSAGE').map((e) => e.text)).toContainEqual(expect.stringContaining('mohon kabar'));
    expect(await countCases(m)).toBe(before);
  });

  it('mail addresses on the timeline are identity: hidden from the assigned handler (also in caseEvents replay), shown to the officer and audited', async () => {
    const assigned = await gql(as(m.app, 'SUPERVISOR'), `mutation($id: ID!) { assignCase(caseId: $id, team: "${HANDLER_TEAM}") { id assignee } }`, { id: caseId });
    expect(assigned.errors).toBeUndefined();
    const addresses = (events: { type: string; after: Record<string, unknown> | null }[]) =>
      events.filter((e) => e.type === 'INCOMING_MESSAGE' || e.type === 'MAIL_SENT').map((e) => e.after?.from ?? e.after?.to ?? null);

    const handlerView = await gql<{ case: { timeline: { edges: { node: { type: string; after: Record<string, unknown> | null } }[] } } }>(
      as(m.app, 'HANDLER'), TIMELINE, { id: caseId },
    );
    expect(handlerView.errors).toBeUndefined();
    const handlerEvents = handlerView.data!.case.timeline.edges.map((e) => e.node);
    expect(addresses(handlerEvents).length).toBeGreaterThanOrEqual(3);
    expect(addresses(handlerEvents).every((a) => a === null)).toBe(true);
    expect(JSON.stringify(handlerEvents)).not.toContain(citizen.address);
    // The matter stays visible: the text of the citizen's reply.
    expect(handlerEvents.find((e) => e.type === 'INCOMING_MESSAGE')).toMatchObject({ after: { channel: 'EMAIL', from: null } });

    const replay = collect<{ caseEvents: { type: string; after: Record<string, unknown> | null } }>(track(wsClient(as(m.app, 'HANDLER'))), SUB_CASE_EVENTS, { caseId, after: Buffer.from('0').toString('base64url') });
    const replayed = (await replay.next(handlerEvents.length)).map((x) => x.caseEvents);
    expect(JSON.stringify(replayed)).not.toContain(citizen.address);
    expect(addresses(replayed).every((a) => a === null)).toBe(true);
    replay.dispose();

    const audited = async () =>
      (await gql<{ auditLog: { entries: { action: string; actorRole: string }[] } }>(as(m.app, 'ADMIN'), AUDIT, { id: caseId })).data!.auditLog.entries.filter(
        (e) => e.action === 'IDENTITY_VIEWED' && e.actorRole === 'COMPLAINT_OFFICER',
      ).length;
    const before = await audited();
    const officerView = await gql<{ case: { timeline: { edges: { node: { type: string; after: Record<string, unknown> | null } }[] } } }>(m.app.url, TIMELINE, { id: caseId });
    expect(addresses(officerView.data!.case.timeline.edges.map((e) => e.node))).toContain(citizen.address);
    expect(await audited()).toBe(before + 1);
  });

  it('an HTML-only message becomes a case with readable text', async () => {
    const id = `<html-${uniq()}@outlook.example>`;
    const subject = `Jalan rusak ${uniq()}`;
    await m.append(
      rawMail({
        from: `Rina <rina.${uniq()}@outlook.example>`,
        subject,
        messageId: id,
        html: '<html><head><style>p { color: red; }</style></head><body><p>Jalan di <b>Desa Kapur</b> rusak parah.</p><p>Mohon&nbsp;bantuan &amp; perhatian.</p></body></html>',
      }),
    );
    const row = await waitEmailRow(m, keyOf(id));
    expect(row.outcome).toBe('CREATED');
    const c = await caseById(m, row.case_id!);
    expect(c.subject).toBe(subject);
    expect(c.description).toMatch(/Jalan di Desa Kapur rusak parah\./);
    expect(c.description).toMatch(/Mohon bantuan & perhatian\./);
    expect(c.description).not.toMatch(/<\/?(p|b|html|body)\b|&amp;|&nbsp;|color: red/);
  });

  it('an attachment is stored and linked to the case (case_attachments); the raw message is kept', async () => {
    const id = `<att-${uniq()}@mail.example>`;
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n% surat keterangan tidak mampu\n'), Buffer.from(uniq()), Buffer.alloc(3000, 0x41), Buffer.from('\n%%EOF\n')]);
    await m.append(
      rawMail({ from: `Yusuf <yusuf.${uniq()}@mail.example>`, subject: `SKTM terlampir ${uniq()}`, messageId: id, text: 'Terlampir SKTM saya.', attachments: [{ filename: 'sktm.pdf', contentType: 'application/pdf', content: pdf }] }),
    );
    const row = await waitEmailRow(m, keyOf(id));
    expect(row.outcome).toBe('CREATED');
    const links = await m.q<{ file_id: string; filename: string; source: string; size: string; content_type: string }>(
      `SELECT a.file_id, a.filename, a.source, f.size::text AS size, f.content_type FROM case_attachments a JOIN stored_files f ON f.id = a.file_id WHERE a.case_id = $1::uuid`,
      [row.case_id],
    );
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ filename: 'sktm.pdf', source: 'EMAIL', size: String(pdf.length), content_type: 'application/pdf' });
    expect(await m.storedBytes(links[0].file_id)).toEqual(pdf);
    // The raw message is kept as well, byte for byte (its id is the SHA-256 of its bytes).
    const rawBytes = await m.storedBytes(row.raw_file_id);
    expect(rawBytes?.toString('utf8')).toContain(`Message-ID: ${id}`);
    expect(createHash('sha256').update(rawBytes!).digest('hex')).toBe(row.raw_file_id);
    const c = await caseById(m, row.case_id!);
    expect(c.description).toContain('Terlampir SKTM saya.');
  });

  it('answerCase(deliveredVia: EMAIL) mails the answer threaded to the citizen, without Auto-Submitted', async () => {
    expect(caseId).not.toBe('');
    const r = await gql(m.app.url, ANSWER, { id: caseId, answer: { text: 'Bantuan PKH akan dicairkan pada tahap berikutnya bulan April.', deliveredVia: 'EMAIL' } });
    expect(r.errors).toBeUndefined();
    expect(r.data!.answerCase).toMatchObject({ status: 'ANSWERED', answer: { deliveredVia: 'EMAIL' } });

    const answer = await sink.waitFor((x) => x.envelope.to.includes(citizen.address) && x.parsed.messageId !== ackMessageId, 30_000);
    expect(answer.parsed.subject).toContain(`[${reference}]`);
    expect(answer.parsed.text).toContain('dicairkan pada tahap berikutnya');
    expect(answer.parsed.inReplyTo).toBe(citizen.messageId);
    expect(headerValue(answer, 'auto-submitted')).toBeUndefined();

    const c = await waitEvent(m, caseId, 'MAIL_SENT', 2);
    expect(eventsOf(c, 'MAIL_SENT').map((e) => e.after?.kind).sort()).toEqual(['ACKNOWLEDGEMENT', 'ANSWER']);
    expect(mailsTo(sink, citizen.address)).toHaveLength(2);
    expect(await emailRow(m, keyOf(citizen.messageId))).toMatchObject({ outcome: 'CREATED' });
  });

  it('once the identity is erased, no one sees the mail addresses on the timeline any more, and the mail kept of the person is gone', async () => {
    const first = await emailRow(m, keyOf(citizen.messageId));
    expect(await m.storedBytes(first!.raw_file_id)).not.toBeNull();
    const erased = await gql(as(m.app, 'ADMIN'), `mutation($id: ID!) { eraseRequester(caseId: $id, reason: "Permintaan penghapusan data pribadi") }`, { id: caseId });
    expect(erased.errors).toBeUndefined();
    for (const role of ['COMPLAINT_OFFICER', 'SUPERVISOR', 'ADMIN'] as const) {
      const view = await gql<{ case: { timeline: { edges: { node: unknown }[] } } }>(as(m.app, role), TIMELINE, { id: caseId });
      expect(view.errors).toBeUndefined();
      expect(JSON.stringify(view.data!.case.timeline)).not.toContain(citizen.address);
    }
    // Gone from the stored history too, not only from what is shown.
    const kept = await m.q<{ n: number }>(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1::uuid AND after::text ILIKE $2`, [caseId, `%${citizen.address}%`]);
    expect(kept[0].n).toBe(0);
    const incoming = await m.q<{ after: Record<string, unknown> }>(`SELECT after FROM case_events WHERE case_id = $1::uuid AND type = 'INCOMING_MESSAGE'`, [caseId]);
    expect(incoming.length).toBeGreaterThanOrEqual(2);
    for (const e of incoming) expect(e.after).toMatchObject({ channel: 'EMAIL', from: null });
    // The raw messages received from the person (name, address, signature) are erased; the
    // ledger keeps the entry, so a late copy of the same message is still recognized.
    const rows = await m.q<{ raw_file_id: string; outcome: string }>(`SELECT raw_file_id, outcome FROM email_messages WHERE case_id = $1::uuid`, [caseId]);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const r of rows) expect(await m.storedBytes(r.raw_file_id)).toBeNull();
    expect(await emailRow(m, keyOf(citizen.messageId))).toMatchObject({ outcome: 'CREATED', case_id: caseId });
    // The mails sent to the person keep their facts, not the address or the text.
    const mails = await m.q<{ recipient: string | null; body: string; status: string }>(`SELECT recipient, body, status FROM outgoing_mails WHERE case_id = $1::uuid`, [caseId]);
    expect(mails.length).toBe(2);
    for (const mail of mails) {
      expect(mail.recipient).toBeNull();
      expect(mail.body).not.toContain('Budi');
      expect(['SENT', 'CANCELLED']).toContain(mail.status);
    }
  });
});
