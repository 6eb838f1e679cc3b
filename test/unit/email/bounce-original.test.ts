import { parseInboundEmail } from '../../../src/adapters/email/parsing/parse-inbound-email';
import { OPTIONS, rawMail } from './email-fixtures';

const DSN_HEADERS = [
  'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
  'To: kesra@kalbarprov.go.id',
  'Subject: Undelivered Mail Returned to Sender',
  'Message-ID: <dsn-1@mx.example.net>',
  'Auto-Submitted: auto-replied',
  'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=delivery-status; boundary="r1"',
];

function dsn(action: string, returned: { type: string; body: string }): Buffer {
  return rawMail(
    DSN_HEADERS,
    [
      '--r1',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--r1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.net',
      '',
      'Final-Recipient: rfc822; warga@example.id',
      `Action: ${action}`,
      'Status: 5.1.1',
      '--r1',
      `Content-Type: ${returned.type}`,
      '',
      returned.body,
      '--r1--',
      '',
    ].join('\r\n'),
  );
}

const ORIGINAL_HEADERS = [
  'From: Biro Kesra <kesra@kalbarprov.go.id>',
  'To: warga@example.id',
  'Subject: [ADU-2026-000123] Pengaduan Anda telah diterima',
  'Message-ID: <ADU-2026-000123.1@Loket.Kalbarprov.go.id>',
  'X-Loket-Origin: acknowledgement',
].join('\r\n');

async function bounce(raw: Buffer) {
  const outcome = await parseInboundEmail(raw, OPTIONS);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.email;
}

describe('bounce of a message Loket sent', () => {
  it('finds the original Message-ID in an attached message/rfc822', async () => {
    const email = await bounce(dsn('failed', { type: 'message/rfc822', body: `${ORIGINAL_HEADERS}\r\n\r\nTerima kasih.` }));
    expect(email.automatic?.kind).toBe('BOUNCE');
    expect(email.bounceOf).toBe('adu-2026-000123.1@loket.kalbarprov.go.id');
    expect(email.messageId).toBe('dsn-1@mx.example.net');
  });

  it('finds it in text/rfc822-headers', async () => {
    const email = await bounce(dsn('failed', { type: 'text/rfc822-headers', body: ORIGINAL_HEADERS }));
    expect(email.bounceOf).toBe('adu-2026-000123.1@loket.kalbarprov.go.id');
  });

  it('finds it in folded returned headers', async () => {
    const folded = ORIGINAL_HEADERS.replace('Message-ID: <', 'Message-ID:\r\n <');
    const email = await bounce(dsn('failed', { type: 'text/rfc822-headers', body: folded }));
    expect(email.bounceOf).toBe('adu-2026-000123.1@loket.kalbarprov.go.id');
  });

  it('falls back to In-Reply-To when nothing is attached', async () => {
    const raw = rawMail(
      ['From: MAILER-DAEMON@mx.example.net', 'Subject: failure notice', 'In-Reply-To: <Sent.42@loket.example>'],
      'Sorry, we were unable to deliver your message.',
    );
    expect((await bounce(raw)).bounceOf).toBe('sent.42@loket.example');
  });

  it('reads a Message-ID line quoted in a plain-text failure notice', async () => {
    const raw = rawMail(
      ['From: postmaster@example.net', 'Subject: Undeliverable Mail', 'Message-ID: <notice@example.net>'],
      'Delivery failed.\r\n\r\nOriginal message follows.\r\n\r\nFrom: kesra@kalbarprov.go.id\r\nMessage-Id: <sent.7@loket.example>\r\nSubject: x\r\n',
    );
    const email = await bounce(raw);
    expect(email.automatic?.kind).toBe('BOUNCE');
    expect(email.bounceOf).toBe('sent.7@loket.example');
  });

  it('does not report a delay warning as a failed delivery', async () => {
    const email = await bounce(dsn('delayed', { type: 'text/rfc822-headers', body: ORIGINAL_HEADERS }));
    expect(email.automatic).toEqual({ kind: 'BOUNCE', reason: 'Delivery-status report: delayed, not failed' });
    expect(email.bounceOf).toBeNull();
  });

  it('leaves bounceOf null when the bounce names no original', async () => {
    const email = await bounce(dsn('failed', { type: 'text/plain', body: 'nothing returned' }));
    expect(email.automatic?.kind).toBe('BOUNCE');
    expect(email.bounceOf).toBeNull();
  });

  it('leaves bounceOf null on mail that is not a bounce', async () => {
    const email = await bounce(rawMail(['From: budi@example.id', 'Subject: Re: x', 'In-Reply-To: <sent.1@loket.example>']));
    expect(email.automatic).toBeNull();
    expect(email.bounceOf).toBeNull();
    expect(email.inReplyTo).toEqual(['sent.1@loket.example']);
  });
});
