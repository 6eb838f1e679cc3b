import { createHash } from 'node:crypto';
import { parseInboundEmail } from '../../../src/adapters/email/parsing/parse-inbound-email';
import { InboundEmail, ParseOutcome } from '../../../src/adapters/email/parsing/inbound-email';
import { citizenHeaders, OPTIONS, rawMail } from './email-fixtures';

async function parsed(raw: Buffer, opts = OPTIONS): Promise<InboundEmail> {
  const outcome = await parseInboundEmail(raw, opts);
  if (!outcome.ok) throw new Error(`expected a message, got ${outcome.reason}`);
  return outcome.email;
}

function withAttachments(sizes: number[]): Buffer {
  const parts = sizes.flatMap((size, i) => [
    '--m1',
    `Content-Type: application/pdf; name="surat-${i + 1}.pdf"`,
    'Content-Transfer-Encoding: base64',
    `Content-Disposition: attachment; filename="surat-${i + 1}.pdf"`,
    '',
    Buffer.alloc(size, i + 1).toString('base64').replace(/.{76}/g, '$&\r\n'),
  ]);
  return rawMail(
    [...citizenHeaders(), 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="m1"'],
    ['--m1', 'Content-Type: text/plain; charset=utf-8', '', 'Mohon ditindaklanjuti.', ...parts, '--m1--', ''].join('\r\n'),
  );
}

describe('parseInboundEmail: a citizen writes', () => {
  it('normalizes sender, recipients, subject, date, text and threading ids', async () => {
    const email = await parsed(
      rawMail(
        [
          ...citizenHeaders(),
          'Cc: "Dinas Sosial" <Dinsos@Example.go.id>',
          'Reply-To: Budi <budi.lain@example.id>',
          'In-Reply-To: <Sent.1@Loket.example>',
          'References: <a@x> <Sent.1@Loket.example>',
        ],
        'Bantuan belum diterima.   \r\n\r\n\r\n\r\nTerima kasih.\r\n',
      ),
    );
    expect(email).toMatchObject({
      dedupeKey: 'email:abc.123@mail.example.id',
      messageId: 'abc.123@mail.example.id',
      inReplyTo: ['sent.1@loket.example'],
      references: ['a@x', 'sent.1@loket.example'],
      from: { address: 'budi@example.id', name: 'Budi Santoso' },
      replyTo: { address: 'budi.lain@example.id', name: 'Budi' },
      to: ['kesra@kalbarprov.go.id'],
      cc: ['dinsos@example.go.id'],
      subject: 'Keluhan bantuan sosial',
      text: 'Bantuan belum diterima.\n\nTerima kasih.',
      textTruncated: false,
      attachments: [],
      omittedAttachments: [],
      referenceInSubject: null,
      automatic: null,
      bounceOf: null,
    });
    expect(email.date?.toISOString()).toBe('2026-03-02T02:15:00.000Z');
  });

  it('reads the case reference from an encoded subject', async () => {
    const subject = `=?UTF-8?B?${Buffer.from('Balas: [ADU-2026-000123] Tanggapan').toString('base64')}?=`;
    const email = await parsed(rawMail(['From: budi@example.id', `Subject: ${subject}`]));
    expect(email.referenceInSubject).toBe('ADU-2026-000123');
  });

  it('reduces an HTML-only body to readable text', async () => {
    const html =
      '<html><head><style>p{color:red}</style></head><body><p>Jalan&nbsp;rusak di <b>Sungai Raya</b>.</p>' +
      '<p>Mohon <a href="https://example.id/foto">lihat foto</a>.</p><img src="cid:x"><script>alert(1)</script></body></html>';
    const email = await parsed(rawMail([...citizenHeaders(), 'Content-Type: text/html; charset=utf-8'], html));
    expect(email.text).toContain('Jalan rusak di Sungai Raya.');
    expect(email.text).toContain('lihat foto');
    expect(email.text).not.toMatch(/<[a-z]|color:red|alert\(/i);
    expect(email.text).not.toMatch(/\n{3,}/);
  });
});

describe('parseInboundEmail: dedupe key', () => {
  it('uses the Message-ID, lowercased and without brackets', async () => {
    expect((await parsed(rawMail(citizenHeaders()))).dedupeKey).toBe('email:abc.123@mail.example.id');
  });

  it('hashes the raw message when there is no Message-ID, the same for the same bytes', async () => {
    const raw = rawMail(['From: budi@example.id', 'Subject: Tanpa Message-ID']);
    const first = await parsed(raw);
    const second = await parsed(Buffer.from(raw));
    const expected = `email-sha256:${createHash('sha256').update(raw).digest('hex')}`;
    expect(first.messageId).toBeNull();
    expect(first.dedupeKey).toBe(expected);
    expect(second.dedupeKey).toBe(expected);
    const other = await parsed(rawMail(['From: budi@example.id', 'Subject: Tanpa Message-ID'], 'Lain.'));
    expect(other.dedupeKey).not.toBe(expected);
  });

  it('hashes when the Message-ID is unusable', async () => {
    const email = await parsed(rawMail(['From: budi@example.id', 'Subject: x', 'Message-ID: < >']));
    expect(email.dedupeKey).toMatch(/^email-sha256:[0-9a-f]{64}$/);
  });
});

describe('parseInboundEmail: size limit', () => {
  it('keeps everything under the limit', async () => {
    const email = await parsed(withAttachments([1000, 2000]));
    expect(email.attachments.map((a) => [a.filename, a.contentType, a.size])).toEqual([
      ['surat-1.pdf', 'application/pdf', 1000],
      ['surat-2.pdf', 'application/pdf', 2000],
    ]);
    expect(email.omittedAttachments).toEqual([]);
  });

  it('still makes the message, leaving out attachments beyond the limit with a note', async () => {
    const email = await parsed(withAttachments([3000, 6000, 1500]), { ...OPTIONS, maxBytes: 5000 });
    expect(email.text).toBe('Mohon ditindaklanjuti.');
    expect(email.attachments.map((a) => a.filename)).toEqual(['surat-1.pdf', 'surat-3.pdf']);
    expect(email.attachments[0].content).toEqual(Buffer.alloc(3000, 1));
    expect(email.omittedAttachments).toEqual([{ filename: 'surat-2.pdf', size: 6000, reason: 'SIZE_LIMIT' }]);
  });

  it('cuts a text longer than the limit and says so', async () => {
    const email = await parsed(rawMail(citizenHeaders(), 'a'.repeat(5000)), { ...OPTIONS, maxBytes: 1000 });
    expect(email.text).toHaveLength(1000);
    expect(email.textTruncated).toBe(true);
  });
});

describe('parseInboundEmail: what cannot become a case', () => {
  it('sets aside empty input and a message with nothing in it', async () => {
    expect(await parseInboundEmail(Buffer.alloc(0), OPTIONS)).toEqual({ ok: false, reason: 'NO_CONTENT' });
    expect(await parseInboundEmail(Buffer.from('\r\n\r\n'), OPTIONS)).toEqual({ ok: false, reason: 'NO_CONTENT' });
    expect(await parseInboundEmail(rawMail(['From: budi@example.id'], ''), OPTIONS)).toEqual({ ok: false, reason: 'NO_CONTENT' });
  });

  it('sets aside a subject with no sender, text or attachment', async () => {
    expect(await parseInboundEmail(rawMail(['Subject: halo'], ''), OPTIONS)).toEqual({ ok: false, reason: 'NO_SENDER' });
  });

  it('keeps a message whose only content is its subject, when it has a sender', async () => {
    expect((await parsed(rawMail(['From: budi@example.id', 'Subject: Jalan rusak'], ''))).text).toBe('');
  });

  it('keeps a readable body under garbage headers', async () => {
    const raw = Buffer.from('Fr0m budi\r\n:::\r\nSubject\r\n\x00\x01: ?\r\n\r\nJalan di depan kantor desa rusak parah.\r\n', 'latin1');
    const email = await parsed(raw);
    expect(email.text).toContain('Jalan di depan kantor desa rusak parah.');
    expect(email.from.address).toBeNull();
  });

  it('refuses a non-Buffer without throwing', async () => {
    const outcome = await parseInboundEmail('From: x' as unknown as Buffer, OPTIONS);
    expect(outcome).toEqual({ ok: false, reason: 'UNPARSABLE: input is not a Buffer' });
  });

  it('never throws on random bytes', async () => {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let i = 0; i < 50; i++) {
      const raw = Buffer.from(Array.from({ length: 50 + (next() % 2000) }, () => next() % 256));
      const outcome: ParseOutcome = await parseInboundEmail(raw, OPTIONS);
      expect(typeof outcome.ok).toBe('boolean');
    }
  });

  it('strips NUL and control characters that PostgreSQL text refuses', async () => {
    const email = await parsed(rawMail(['From: budi@example.id', 'Subject: a\u0000b'], 'x\u0000y\u0007z'));
    expect(email.text).toBe('xyz');
    expect(email.subject).not.toContain('\u0000');
  });
});
