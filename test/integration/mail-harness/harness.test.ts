import imaps from 'imap-simple';
import nodemailer from 'nodemailer';
import { DovecotInstance, startDovecot } from '../../support/mail/dovecot';
import { connectImap } from '../../support/mail/imap-client';
import { SmtpSink, startSmtpSink } from '../../support/mail/smtp-sink';

let seq = 0;
function rawMessage(subject: string): { raw: string; messageId: string } {
  const messageId = `<harness-${process.pid}-${Date.now()}-${++seq}@test.loket>`;
  const raw = [
    'From: Warga <warga@example.test>',
    'To: kesra@kalbarprov.test',
    `Subject: ${subject}`,
    `Message-ID: ${messageId}`,
    'Date: Fri, 28 Nov 2025 08:00:00 +0700',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Body of ${subject}`,
    '',
  ].join('\r\n');
  return { raw, messageId };
}

function nextEvent(connection: imaps.ImapSimple, events: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`none of ${events.join('/')} within ${timeoutMs} ms`)), timeoutMs);
    for (const event of events) {
      connection.imap.once(event, () => {
        clearTimeout(timer);
        resolve(event);
      });
    }
  });
}

describe('Dovecot harness', () => {
  let dovecot: DovecotInstance;
  const open: imaps.ImapSimple[] = [];

  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.end();
  });
  afterAll(async () => {
    await dovecot?.stop();
  });

  it('exposes the kesra account on 127.0.0.1', () => {
    expect(dovecot.host).toBe('127.0.0.1');
    expect(dovecot.imapUrl).toBe(`imap://kesra:kesra-password@127.0.0.1:${dovecot.port}/INBOX`);
  });

  it('appends messages and lists them with UIDs and Message-IDs', async () => {
    const a = rawMessage('pertama');
    const b = rawMessage('kedua');
    await dovecot.append(a.raw);
    await dovecot.append(Buffer.from(b.raw), 'Arsip');
    await dovecot.append(b.raw);
    const inbox = await dovecot.listFolder('INBOX');
    expect(inbox.map((m) => m.messageId)).toEqual(expect.arrayContaining([a.messageId, b.messageId]));
    expect(inbox.every((m) => m.uid > 0 && Array.isArray(m.flags))).toBe(true);
    expect((await dovecot.listFolder('Arsip')).map((m) => m.messageId)).toEqual([b.messageId]);
  });

  it('pushes new mail to a client idling in INBOX', async () => {
    const debug: string[] = [];
    const connection = await connectImap(dovecot, { imap: { ...dovecot, tls: false, debug: (line: string) => debug.push(line) } });
    open.push(connection);
    await connection.openBox('INBOX');
    await new Promise((resolve) => setTimeout(resolve, 200)); // let node-imap enter IDLE
    expect(debug.some((line) => line.includes('IDLE'))).toBe(true);
    const mail = new Promise<number>((resolve) => connection.imap.once('mail', resolve));
    const { raw, messageId } = rawMessage('baru');
    await dovecot.append(raw);
    await expect(mail).resolves.toBeGreaterThanOrEqual(1);
    const found = await connection.search([['HEADER', 'MESSAGE-ID', messageId]], { bodies: ['HEADER'] });
    expect(found).toHaveLength(1);
  });

  it('dropConnections cuts an open client connection', async () => {
    const connection = await connectImap(dovecot);
    open.push(connection);
    await connection.openBox('INBOX');
    const dropped = nextEvent(connection, ['close', 'end', 'error'], 5000);
    await dovecot.dropConnections();
    await expect(dropped).resolves.toMatch(/close|end|error/);
    const again = await connectImap(dovecot); // the server itself stays up
    open.push(again);
    await expect(again.openBox('INBOX')).resolves.toBeDefined();
  });

  it('serves additional users', async () => {
    dovecot.addUser('humas', 'humas-password');
    const connection = await connectImap({ ...dovecot, user: 'humas', password: 'humas-password' });
    open.push(connection);
    await expect(connection.openBox('INBOX')).resolves.toBeDefined();
  });
});

describe('SMTP sink', () => {
  let sink: SmtpSink;
  const transport = (): ReturnType<typeof nodemailer.createTransport> =>
    nodemailer.createTransport({ host: sink.host, port: sink.port, secure: false, ignoreTLS: true });

  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink?.stop();
  });

  it('records what nodemailer sends', async () => {
    expect(sink.smtpUrl).toBe(`smtp://127.0.0.1:${sink.port}`);
    await transport().sendMail({
      from: 'kesra@kalbarprov.test',
      to: ['warga@example.test', 'arsip@kalbarprov.test'],
      subject: 'Balasan tiket #42',
      text: 'Terima kasih.',
    });
    const mail = await sink.waitFor((m) => m.parsed.subject === 'Balasan tiket #42', 5000);
    expect(mail.envelope).toEqual({ from: 'kesra@kalbarprov.test', to: ['warga@example.test', 'arsip@kalbarprov.test'] });
    expect(mail.raw).toContain('Subject: Balasan tiket #42');
    expect(mail.parsed.text?.trim()).toBe('Terima kasih.');
  });

  it('failNext(1) fails one delivery with a 4xx, then accepts', async () => {
    sink.failNext(1);
    const message = { from: 'kesra@kalbarprov.test', to: 'warga@example.test', subject: 'Coba lagi', text: 'x' };
    await expect(transport().sendMail(message)).rejects.toMatchObject({ responseCode: 451 });
    await transport().sendMail(message);
    const mail = await sink.waitFor((m) => m.parsed.subject === 'Coba lagi', 5000);
    expect(sink.messages.filter((m) => m.parsed.subject === 'Coba lagi')).toEqual([mail]);
  });

  it('waitFor times out when nothing matches', async () => {
    await expect(sink.waitFor(() => false, 100)).rejects.toThrow(/no matching message/);
  });
});
