import { asString } from './email-text';
import { AutomaticClassification } from './inbound-email';
import { firstHeader, parseContentType, RawHeaders } from './raw-headers';

/** The parts of a parsed message the classifier reads (mailparser's `ParsedMail` fits). */
export interface ClassifiableMail {
  from?: { value: ReadonlyArray<{ address?: string; group?: ReadonlyArray<{ address?: string }> }> };
  subject?: string;
  attachments: ReadonlyArray<{ contentType: unknown }>;
}

const BOUNCE_SENDER = /^mailer-daemon$/i;
const POSTMASTER = /^postmaster$/i;
const NO_REPLY_SENDER = /^(no[-_.]?reply|do[-_.]?not[-_.]?reply)([+-].*)?$/i;
const FAILURE_SUBJECT =
  /undeliver|undelivered|non-?deliver|delivery (status|failure|failed|notification|problem|report)|returned mail|failure notice|mail delivery|could not be delivered|delivery has failed|unzustellbar|tidak (dapat )?terkirim|gagal (dikirim|terkirim)/i;

/**
 * Decides whether a message was sent by a machine, first match wins:
 * own mail (X-Loket-Origin, or From one of `ownAddresses`), delivery-status reports and failure
 * notices, feedback (ARF) reports, read receipts (MDN), auto-replies (Auto-Submitted other than
 * "no", X-Auto-Response-Suppress, X-Loop, X-Autoreply, Precedence auto_reply, an empty return path),
 * bulk (Precedence bulk/junk), list mail (Precedence list, List-Id, List-Unsubscribe), and
 * system senders (no-reply, postmaster). `headers` are the top-level header fields only.
 */
export function classifyAutomatic(
  headers: RawHeaders,
  parsed: ClassifiableMail,
  ownAddresses: readonly string[] = [],
): AutomaticClassification | null {
  const sender = senderAddress(parsed);
  const local = sender ? sender.slice(0, sender.includes('@') ? sender.lastIndexOf('@') : undefined) : '';
  const own = ownAddresses.map((a) => a.trim().toLowerCase());

  if (headers.has('x-loket-origin')) return { kind: 'OWN_MAIL', reason: 'X-Loket-Origin header present' };
  if (sender && own.includes(sender)) return { kind: 'OWN_MAIL', reason: 'From is a Loket address' };

  const report = reportKind(headers, parsed);
  if (report) return report;

  const nullReturnPath = hasNullReturnPath(headers);
  const failureSubject = FAILURE_SUBJECT.test(asString(parsed.subject));
  if (BOUNCE_SENDER.test(local)) return { kind: 'BOUNCE', reason: 'Sender is a mailer-daemon' };
  if (headers.has('x-failed-recipients')) return { kind: 'BOUNCE', reason: 'X-Failed-Recipients header present' };
  if ((POSTMASTER.test(local) || nullReturnPath) && failureSubject) {
    return { kind: 'BOUNCE', reason: 'Delivery failure notice from a system sender' };
  }

  const auto = autoReply(headers, nullReturnPath);
  if (auto) return auto;

  const precedence = (firstHeader(headers, 'precedence') ?? '').trim().toLowerCase();
  if (precedence === 'bulk' || precedence === 'junk') return { kind: 'BULK', reason: `Precedence: ${precedence}` };
  if (precedence === 'list') return { kind: 'LIST', reason: 'Precedence: list' };
  if (headers.has('list-id')) return { kind: 'LIST', reason: 'List-Id header present' };
  if (headers.has('list-unsubscribe')) return { kind: 'LIST', reason: 'List-Unsubscribe header present' };

  if (POSTMASTER.test(local)) return { kind: 'SYSTEM_SENDER', reason: 'Sender is postmaster' };
  if (NO_REPLY_SENDER.test(local)) return { kind: 'SYSTEM_SENDER', reason: 'Sender is a no-reply address' };
  return null;
}

function reportKind(headers: RawHeaders, parsed: ClassifiableMail): AutomaticClassification | null {
  const top = parseContentType(firstHeader(headers, 'content-type'));
  const reportType = top?.type === 'multipart/report' ? (top.params['report-type'] ?? '').toLowerCase() : '';
  const parts = new Set(parsed.attachments.map((a) => asString(a.contentType).toLowerCase()));
  if (top) parts.add(top.type);
  const has = (...types: string[]) => types.some((t) => parts.has(t));

  if (reportType === 'delivery-status' || has('message/delivery-status', 'message/global-delivery-status')) {
    return { kind: 'BOUNCE', reason: 'Delivery-status report (RFC 3464)' };
  }
  if (reportType === 'feedback-report' || has('message/feedback-report')) {
    return { kind: 'FEEDBACK_REPORT', reason: 'Feedback report (ARF, RFC 5965)' };
  }
  if (reportType === 'disposition-notification' || has('message/disposition-notification', 'message/global-disposition-notification')) {
    return { kind: 'READ_RECEIPT', reason: 'Message disposition notification (RFC 8098)' };
  }
  return null;
}

function autoReply(headers: RawHeaders, nullReturnPath: boolean): AutomaticClassification | null {
  const submitted = (firstHeader(headers, 'auto-submitted') ?? '').split(';')[0].trim().toLowerCase();
  if (submitted && submitted !== 'no') return { kind: 'AUTO_REPLY', reason: `Auto-Submitted: ${safeToken(submitted)}` };
  if (headers.has('x-auto-response-suppress')) return { kind: 'AUTO_REPLY', reason: 'X-Auto-Response-Suppress header present' };
  if (headers.has('x-loop')) return { kind: 'AUTO_REPLY', reason: 'X-Loop header present' };
  if (headers.has('x-autoreply') || headers.has('x-autorespond')) return { kind: 'AUTO_REPLY', reason: 'X-Autoreply header present' };
  const precedence = (firstHeader(headers, 'precedence') ?? '').trim().toLowerCase();
  if (precedence === 'auto_reply') return { kind: 'AUTO_REPLY', reason: 'Precedence: auto_reply' };
  if (nullReturnPath) return { kind: 'AUTO_REPLY', reason: 'Empty return path' };
  return null;
}

/** `Return-Path: <>` (or an empty value): the RFC 5321 null reverse-path of automatic mail. */
function hasNullReturnPath(headers: RawHeaders): boolean {
  const values = headers.get('return-path');
  if (!values || values.length === 0) return false;
  return values.some((v) => /^<*\s*>*$/.test(v.replace(/\(.*?\)/g, '').trim()));
}

function senderAddress(parsed: ClassifiableMail): string | null {
  for (const entry of parsed.from?.value ?? []) {
    const candidates = entry.group ? entry.group : [entry];
    for (const c of candidates) {
      const address = asString(c.address).trim().toLowerCase();
      if (address) return address;
    }
  }
  return null;
}

/** Keeps a header token printable and short, so it can go into a reason. */
function safeToken(value: string): string {
  return value.replace(/[^a-z0-9._-]/g, '').slice(0, 40) || 'yes';
}
