import { classifyAutomatic } from '../../../src/adapters/email/parsing/classify-automatic';
import { parseInboundEmail } from '../../../src/adapters/email/parsing/parse-inbound-email';
import { AutomaticKind } from '../../../src/adapters/email/parsing/inbound-email';
import { parseHeaderBlock } from '../../../src/adapters/email/parsing/raw-headers';
import { citizenHeaders, OPTIONS, rawMail } from './email-fixtures';

async function kindOf(raw: Buffer): Promise<AutomaticKind | null> {
  const outcome = await parseInboundEmail(raw, OPTIONS);
  if (!outcome.ok) throw new Error(`expected a message, got ${outcome.reason}`);
  return outcome.email.automatic?.kind ?? null;
}

function fromLine(address: string): string[] {
  return citizenHeaders().map((h) => (h.startsWith('From:') ? `From: ${address}` : h));
}

const report = (type: string, partType: string, partBody: string) =>
  rawMail(
    [...fromLine('reports@example.net'), 'MIME-Version: 1.0', `Content-Type: multipart/report; report-type=${type}; boundary="b1"`],
    ['--b1', 'Content-Type: text/plain', '', 'Human readable part.', '--b1', `Content-Type: ${partType}`, '', partBody, '--b1--', ''].join('\r\n'),
  );

describe('classifyAutomatic on whole messages', () => {
  it('leaves mail written by a person alone', async () => {
    expect(await kindOf(rawMail(citizenHeaders()))).toBeNull();
    expect(await kindOf(rawMail(citizenHeaders('Auto-Submitted: no')))).toBeNull();
    expect(await kindOf(rawMail(citizenHeaders('Precedence: first-class')))).toBeNull();
  });

  it.each<[string, string[], AutomaticKind]>([
    ['Auto-Submitted: auto-replied', citizenHeaders('Auto-Submitted: auto-replied'), 'AUTO_REPLY'],
    ['Auto-Submitted: auto-generated', citizenHeaders('Auto-Submitted: Auto-Generated; owner-email="x@example.net"'), 'AUTO_REPLY'],
    ['X-Auto-Response-Suppress', citizenHeaders('X-Auto-Response-Suppress: OOF, AutoReply'), 'AUTO_REPLY'],
    ['X-Loop', citizenHeaders('X-Loop: helpdesk@example.net'), 'AUTO_REPLY'],
    ['an empty return path', ['Return-Path: <>', ...citizenHeaders()], 'AUTO_REPLY'],
    ['Precedence: bulk', citizenHeaders('Precedence: bulk'), 'BULK'],
    ['Precedence: junk', citizenHeaders('Precedence: JUNK'), 'BULK'],
    ['Precedence: list', citizenHeaders('Precedence: list'), 'LIST'],
    ['List-Id', citizenHeaders('List-Id: Warta <warta.example.net>'), 'LIST'],
    ['List-Unsubscribe', citizenHeaders('List-Unsubscribe: <mailto:leave@example.net>'), 'LIST'],
    ['X-Loket-Origin', citizenHeaders('X-Loket-Origin: outbound'), 'OWN_MAIL'],
    ['From a Loket address', fromLine('Biro Kesra <KESRA@kalbarprov.go.id>'), 'OWN_MAIL'],
    ['a mailer-daemon sender', fromLine('MAILER-DAEMON@mx.example.net'), 'BOUNCE'],
    ['a noreply sender', fromLine('noreply@bank.example.com'), 'SYSTEM_SENDER'],
    ['a no-reply sender', fromLine('No-Reply <no-reply@example.com>'), 'SYSTEM_SENDER'],
    ['a do-not-reply sender', fromLine('do-not-reply@example.com'), 'SYSTEM_SENDER'],
    ['a postmaster sender', fromLine('postmaster@example.com'), 'SYSTEM_SENDER'],
  ])('flags %s', async (_label, headers, kind) => {
    expect(await kindOf(rawMail(headers))).toBe(kind);
  });

  it('flags a plain-text failure notice from postmaster as a bounce', async () => {
    const headers = fromLine('postmaster@example.com').map((h) => (h.startsWith('Subject:') ? 'Subject: Undeliverable Mail' : h));
    expect(await kindOf(rawMail(headers))).toBe('BOUNCE');
  });

  it('flags a delivery-status report', async () => {
    expect(await kindOf(report('delivery-status', 'message/delivery-status', 'Reporting-MTA: dns; mx.example.net\r\n\r\nAction: failed\r\nStatus: 5.1.1'))).toBe('BOUNCE');
  });

  it('flags a message/delivery-status part even without multipart/report', async () => {
    const raw = rawMail(
      [...citizenHeaders(), 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"'],
      ['--b1', 'Content-Type: text/plain', '', 'x', '--b1', 'Content-Type: message/delivery-status', '', 'Action: failed', '--b1--', ''].join('\r\n'),
    );
    expect(await kindOf(raw)).toBe('BOUNCE');
  });

  it('flags a feedback (ARF) report', async () => {
    expect(await kindOf(report('feedback-report', 'message/feedback-report', 'Feedback-Type: abuse\r\nVersion: 1'))).toBe('FEEDBACK_REPORT');
  });

  it('flags a read receipt (MDN)', async () => {
    expect(
      await kindOf(report('disposition-notification', 'message/disposition-notification', 'Disposition: manual-action/MDN-sent-manually; displayed')),
    ).toBe('READ_RECEIPT');
  });

  it('gives reasons in English without personal data', async () => {
    const outcome = await parseInboundEmail(rawMail(fromLine('Budi <budi@example.id>').concat('Auto-Submitted: auto-replied')), OPTIONS);
    expect(outcome.ok && outcome.email.automatic).toEqual({ kind: 'AUTO_REPLY', reason: 'Auto-Submitted: auto-replied' });
  });
});

describe('classifyAutomatic as a function', () => {
  const person = { from: { value: [{ address: 'budi@example.id' }] }, subject: 'Keluhan', attachments: [] };

  it('reads only the headers and parts it is given', () => {
    expect(classifyAutomatic(parseHeaderBlock('Subject: x\r\n'), person)).toBeNull();
    expect(classifyAutomatic(parseHeaderBlock('Precedence: bulk\r\n'), person)?.kind).toBe('BULK');
    expect(classifyAutomatic(parseHeaderBlock(''), person, ['Budi@Example.id'])?.kind).toBe('OWN_MAIL');
  });

  it('ranks own mail over a bounce, and a bounce over Auto-Submitted', () => {
    const dsnHeaders = parseHeaderBlock('Content-Type: multipart/report; report-type="delivery-status"\r\nAuto-Submitted: auto-replied\r\n');
    expect(classifyAutomatic(dsnHeaders, person)?.kind).toBe('BOUNCE');
    expect(classifyAutomatic(parseHeaderBlock('X-Loket-Origin: 1\r\nAuto-Submitted: auto-replied\r\n'), person)?.kind).toBe('OWN_MAIL');
  });
});
