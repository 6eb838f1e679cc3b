import { simpleParser, type ParsedMail } from 'mailparser';
import { classifyAutomatic } from './classify-automatic';
import { AddressHeader, addressList, firstMailbox } from './email-addresses';
import { crudeHtmlToText, tidyLine, tidyText, truncateUtf8 } from './email-text';
import { extractBounceOriginal, isDelayOnlyReport } from './extract-bounce-original';
import { extractSubjectReference } from './extract-subject-reference';
import { DEFAULT_MAX_EMAIL_BYTES, InboundEmail, ParseInboundEmailOptions, ParseOutcome } from './inbound-email';
import { emailDedupeKey, extractMessageIds, normalizeMessageId } from './message-ids';
import { firstHeader, rawHeadersFromLines } from './raw-headers';
import { selectAttachments } from './select-attachments';

const CRUDE_HTML_LIMIT = 2 * 1024 * 1024;
const PARSER_OPTIONS = { skipImageLinks: true, skipTextToHtml: true, keepDeliveryStatus: true } as const;

/**
 * Turns raw RFC 5322 bytes into an `InboundEmail`, or a stable reason to set them aside:
 * `UNPARSABLE: <detail>` (not a Buffer, or the MIME parser gave up), `NO_CONTENT` (no subject,
 * text or attachment), `NO_SENDER` (no sender and nothing but a subject). Lenient otherwise:
 * broken headers with a readable body still make a message. Automatic mail is always `ok`
 * (with `automatic` set), so a bounce can still be linked to its case. Never throws or rejects.
 */
export async function parseInboundEmail(raw: Buffer, opts: ParseInboundEmailOptions): Promise<ParseOutcome> {
  try {
    if (!Buffer.isBuffer(raw)) return { ok: false, reason: 'UNPARSABLE: input is not a Buffer' };
    if (raw.toString('latin1').trim() === '') return { ok: false, reason: 'NO_CONTENT' };
    let parsed: ParsedMail;
    try {
      parsed = await simpleParser(raw, PARSER_OPTIONS);
    } catch (err) {
      return { ok: false, reason: `UNPARSABLE: ${describe(err)}` };
    }
    return toOutcome(raw, parsed, opts);
  } catch (err) {
    return { ok: false, reason: `UNPARSABLE: ${describe(err)}` };
  }
}

function toOutcome(raw: Buffer, parsed: ParsedMail, opts: ParseInboundEmailOptions): ParseOutcome {
  const maxBytes = Number.isFinite(opts.maxBytes) && opts.maxBytes >= 0 ? opts.maxBytes : DEFAULT_MAX_EMAIL_BYTES;
  const headers = rawHeadersFromLines(parsed.headerLines ?? []);
  const messageId = normalizeMessageId(parsed.messageId) ?? normalizeMessageId(firstHeader(headers, 'message-id'));

  const body = truncateUtf8(bodyText(parsed), maxBytes);
  const files = selectAttachments(parsed.attachments ?? [], maxBytes - Buffer.byteLength(body.text, 'utf8'));
  const subject = tidyLine(parsed.subject);
  const from =
    firstMailbox(parsed.from) ?? firstMailbox(asAddressHeader(parsed.headers.get('sender'))) ?? { address: null, name: null };

  let automatic = classifyAutomatic(headers, parsed, opts.ownAddresses ?? []);
  let bounceOf: string | null = null;
  if (automatic?.kind === 'BOUNCE') {
    const source = { headers, text: body.text, attachments: parsed.attachments ?? [] };
    if (isDelayOnlyReport(source)) automatic = { kind: 'BOUNCE', reason: 'Delivery-status report: delayed, not failed' };
    else bounceOf = extractBounceOriginal(source);
  }

  if (!automatic) {
    const hasBody = body.text !== '' || files.attachments.length > 0 || files.omittedAttachments.length > 0;
    if (!hasBody && subject === '') return { ok: false, reason: 'NO_CONTENT' };
    if (!hasBody && !from.address) return { ok: false, reason: 'NO_SENDER' };
  }

  const email: InboundEmail = {
    dedupeKey: emailDedupeKey(messageId, raw),
    messageId,
    inReplyTo: extractMessageIds(parsed.inReplyTo ?? headers.get('in-reply-to')),
    references: extractMessageIds(parsed.references ?? headers.get('references')),
    from,
    replyTo: firstMailbox(parsed.replyTo),
    to: addressList(parsed.to),
    cc: addressList(parsed.cc),
    subject,
    date: parsed.date instanceof Date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null,
    text: body.text,
    textTruncated: body.truncated,
    attachments: files.attachments,
    omittedAttachments: files.omittedAttachments,
    referenceInSubject: extractSubjectReference(subject),
    automatic,
    bounceOf,
  };
  return { ok: true, email };
}

function bodyText(parsed: ParsedMail): string {
  const text = tidyText(parsed.text ?? '');
  if (text || typeof parsed.html !== 'string') return text;
  // Only reached when mailparser refused the HTML (too long or too deep): bound the work.
  return tidyText(crudeHtmlToText(parsed.html.slice(0, CRUDE_HTML_LIMIT)));
}

function asAddressHeader(value: unknown): AddressHeader {
  return value && typeof value === 'object' && 'value' in value && Array.isArray(value.value) ? (value as AddressHeader) : undefined;
}

function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return tidyLine(message).slice(0, 200) || 'unknown error';
}
