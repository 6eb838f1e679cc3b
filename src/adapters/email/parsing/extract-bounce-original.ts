import { asString } from './email-text';
import { extractMessageIds, normalizeMessageId } from './message-ids';
import { firstHeader, parseHeaderBlock, RawHeaders } from './raw-headers';

/** What a bounce carries that points back at the message that failed. */
export interface BounceSource {
  headers: RawHeaders;
  text: string;
  attachments: ReadonlyArray<{ contentType: unknown; content: unknown }>;
}

const RETURNED_HEADER_TYPES = new Set(['message/rfc822', 'message/global', 'text/rfc822-headers', 'message/global-headers']);
const STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const NOT_FAILED_ACTIONS = new Set(['delayed', 'delivered', 'relayed', 'expanded']);
const MESSAGE_ID_LINE = /^[>\s]*Message-I[Dd][ \t]*:[ \t]*(\S[^\r\n]*)$/gim;

/**
 * The Message-ID of the message a bounce reports on, normalized, or null. Looked for in order:
 * the returned headers (a message/rfc822 or text/rfc822-headers part), a `Message-ID:` line in
 * the body (plain-text failure notices quote the original), In-Reply-To, then the last References.
 */
export function extractBounceOriginal(source: BounceSource): string | null {
  const own = normalizeMessageId(firstHeader(source.headers, 'message-id'));
  const usable = (id: string | null) => (id && id !== own ? id : null);

  for (const part of source.attachments) {
    if (!RETURNED_HEADER_TYPES.has(asString(part.contentType).toLowerCase())) continue;
    const id = usable(normalizeMessageId(firstHeader(parseHeaderBlock(bufferText(part.content)), 'message-id')));
    if (id) return id;
  }
  for (const m of source.text.matchAll(MESSAGE_ID_LINE)) {
    const id = usable(normalizeMessageId(m[1]));
    if (id) return id;
  }
  const inReplyTo = extractMessageIds(source.headers.get('in-reply-to') ?? []).map(usable).find(Boolean);
  if (inReplyTo) return inReplyTo;
  const references = extractMessageIds(source.headers.get('references') ?? []).map(usable).filter(Boolean);
  return references.length > 0 ? references[references.length - 1] : null;
}

/**
 * True when the delivery-status parts say only "delayed" (or delivered/relayed/expanded):
 * a warning, not a failure. False when any recipient failed or an Action is missing or unknown.
 */
export function isDelayOnlyReport(source: BounceSource): boolean {
  const actions: string[] = [];
  for (const part of source.attachments) {
    if (!STATUS_TYPES.has(asString(part.contentType).toLowerCase())) continue;
    for (const m of bufferText(part.content).matchAll(/^Action[ \t]*:[ \t]*([a-z-]+)/gim)) actions.push(m[1].toLowerCase());
  }
  if (actions.length === 0) {
    for (const m of source.text.matchAll(/^Action[ \t]*:[ \t]*([a-z-]+)/gim)) actions.push(m[1].toLowerCase());
  }
  return actions.length > 0 && actions.every((a) => NOT_FAILED_ACTIONS.has(a));
}

function bufferText(content: unknown): string {
  return Buffer.isBuffer(content) ? content.toString('latin1') : '';
}
