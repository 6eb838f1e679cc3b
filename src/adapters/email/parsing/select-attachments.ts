import { EmailAttachment, OmittedAttachment } from './inbound-email';
import { tidyLine } from './email-text';

/** An attachment as mailparser gives it (buffered). */
export interface ParsedAttachment {
  filename?: string;
  contentType: unknown;
  content: Buffer;
  contentId?: string;
}

/**
 * Keeps attachments, in message order, while text plus attachments fit in `budgetBytes`
 * (decoded sizes); an attachment that does not fit is omitted with reason SIZE_LIMIT, and a
 * later smaller one may still be kept. Missing or unsafe filenames are replaced.
 */
export function selectAttachments(
  parsed: ReadonlyArray<ParsedAttachment>,
  budgetBytes: number,
): { attachments: EmailAttachment[]; omittedAttachments: OmittedAttachment[] } {
  const attachments: EmailAttachment[] = [];
  const omittedAttachments: OmittedAttachment[] = [];
  let remaining = budgetBytes;
  parsed.forEach((a, index) => {
    const contentType = tidyLine(a.contentType).toLowerCase() || 'application/octet-stream';
    const filename = safeFilename(a.filename, contentType, index + 1);
    const size = Buffer.isBuffer(a.content) ? a.content.length : 0;
    if (size > remaining) {
      omittedAttachments.push({ filename, size, reason: 'SIZE_LIMIT' });
      return;
    }
    remaining -= size;
    const contentId = tidyLine(a.contentId).replace(/^<|>$/g, '') || null;
    attachments.push({ filename, contentType, size, content: Buffer.isBuffer(a.content) ? a.content : Buffer.alloc(0), contentId });
  });
  return { attachments, omittedAttachments };
}

const EXTENSIONS: Record<string, string> = {
  'message/rfc822': 'eml',
  'message/global': 'eml',
  'text/plain': 'txt',
  'text/html': 'html',
  'text/calendar': 'ics',
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
};

/** The last path segment, printable, at most 200 characters; `attachment-<n>.<ext>` when empty. */
export function safeFilename(name: string | undefined, contentType: string, position: number): string {
  const base = tidyLine(name).split(/[\\/]/).pop()?.replace(/^\.+/, '').trim().slice(0, 200) ?? '';
  if (base) return base;
  const ext = EXTENSIONS[contentType] ?? (contentType.split('/')[1] ?? 'bin').replace(/[^a-z0-9]/g, '').slice(0, 10);
  return `attachment-${position}.${ext || 'bin'}`;
}
