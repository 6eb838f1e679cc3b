import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { PersonalDataEraser } from '../../domain/access/personal-data-eraser.port';
import { parseWebhook } from '../../domain/whatsapp/whatsapp-message';
import { asBuffer } from './bytea';

/** The prefix of a wamid kept only as its hash (an erased person's message or send). */
export const ERASED_PREFIX = 'erased:';

/**
 * The form an erased wamid is kept in. A wamid is not opaque: Meta's encode the number of the
 * person, so only the hash stays, enough to recognise a late retry of the same message.
 */
export function erasedWamid(wamid: string): string {
  return `${ERASED_PREFIX}${createHash('sha256').update(wamid, 'utf8').digest('hex')}`;
}

/** SQL of `erasedWamid` (same bytes, same hash) for a text column or expression. */
const ERASED_SQL = (col: string): string => `'${ERASED_PREFIX}' || encode(sha256(convert_to(${col}, 'UTF8')), 'hex')`;
const NOT_ERASED = (col: string): string => `${col} NOT LIKE '${ERASED_PREFIX}%'`;

/**
 * Erases what the WhatsApp module keeps of the requester of some cases, in one transaction:
 * the conversations (number -> case) go, so a later message from the number starts afresh;
 * sends lose recipient and text (unsent ones are cancelled); pending downloads are cancelled;
 * the raw bodies of handled deliveries that carried the person's messages, name or number are
 * blanked while their body hash stays, so a retry of the same delivery is still the same row
 * (DONE, not handled again); wamids here and on the cases' timeline are kept only as hashes,
 * so a retried message is still recognised as handled and not made into a new case.
 */
export class WhatsAppEraser implements PersonalDataEraser {
  readonly name = 'whatsapp';

  constructor(private readonly ds: DataSource) {}

  async eraseForCases(caseIds: string[]): Promise<void> {
    if (caseIds.length === 0) return;
    await this.ds.transaction(async (m) => {
      const ids = [caseIds];
      // The numbers written to or from these cases, before they go.
      const numbers = new Set<string>();
      const known = (await m.query(
        `SELECT wa_id FROM whatsapp_threads WHERE case_id = ANY($1::uuid[])
         UNION SELECT to_wa_id FROM whatsapp_outbox WHERE case_id = ANY($1::uuid[]) AND to_wa_id <> '-'`,
        ids,
      )) as { wa_id: string }[];
      for (const r of known) numbers.add(r.wa_id);
      const linked = (await m.query(
        `SELECT DISTINCT d.id, d.body FROM whatsapp_deliveries d JOIN whatsapp_messages w ON w.delivery_id = d.id WHERE w.case_id = ANY($1::uuid[])`,
        ids,
      )) as { id: string; body: Uint8Array }[];
      for (const d of linked) for (const n of numbersIn(asBuffer(d.body))) numbers.add(n);

      await m.query(`DELETE FROM whatsapp_threads WHERE case_id = ANY($1::uuid[])`, ids);
      await m.query(
        `UPDATE whatsapp_outbox SET to_wa_id = '-', payload = '{"type":"erased"}'::jsonb,
           wamid = CASE WHEN wamid IS NOT NULL AND ${NOT_ERASED('wamid')} THEN ${ERASED_SQL('wamid')} ELSE wamid END,
           status = CASE WHEN status IN ('HELD', 'PENDING', 'SENDING') THEN 'FAILED' ELSE status END,
           last_error = CASE WHEN status IN ('HELD', 'PENDING', 'SENDING') THEN 'identity erased' ELSE last_error END
         WHERE case_id = ANY($1::uuid[])`,
        ids,
      );
      await m.query(
        `UPDATE whatsapp_media SET wamid = ${ERASED_SQL('wamid')}, media_id = '', filename = NULL, sha256 = NULL, mime_type = NULL,
           status = CASE WHEN status = 'PENDING' THEN 'FAILED' ELSE status END,
           last_error = CASE WHEN status = 'PENDING' THEN 'identity erased' ELSE last_error END
         WHERE case_id = ANY($1::uuid[]) AND ${NOT_ERASED('wamid')}`,
        ids,
      );
      await m.query(`UPDATE whatsapp_messages SET wamid = ${ERASED_SQL('wamid')} WHERE case_id = ANY($1::uuid[]) AND ${NOT_ERASED('wamid')}`, ids);

      // Raw bodies: those with messages for these cases, and handled ones naming the numbers
      // (status callbacks, ignored stickers) unless they also carry a message of another case.
      await m.query(`UPDATE whatsapp_deliveries SET body = ''::bytea, last_error = NULL WHERE id = ANY($1::bigint[])`, [linked.map((d) => d.id)]);
      if (numbers.size > 0) {
        await m.query(
          `UPDATE whatsapp_deliveries d SET body = ''::bytea, last_error = NULL
            WHERE d.status <> 'PENDING' AND length(d.body) > 0
              AND EXISTS (SELECT 1 FROM unnest($1::text[]) n WHERE position(convert_to(n, 'UTF8') IN d.body) > 0)
              AND NOT EXISTS (SELECT 1 FROM whatsapp_messages w WHERE w.delivery_id = d.id AND w.case_id IS NOT NULL AND w.case_id <> ALL($2::uuid[]))`,
          [[...numbers], caseIds],
        );
      }

      // The wamids on these cases' timeline and in their intake keys (the one edit the
      // append-only timeline allows while erasing; see migration 1764289000000).
      await m.query(`SELECT set_config('loket.erasing', 'on', true)`);
      await m.query(
        `UPDATE case_events SET after = jsonb_set(after, '{messageId}', to_jsonb(${ERASED_SQL(`(after->>'messageId')`)}))
          WHERE case_id = ANY($1::uuid[]) AND after->>'messageId' LIKE 'wamid.%'
            AND type IN ('INCOMING_MESSAGE', 'MESSAGE_STATUS', 'DELIVERY_FAILED')`,
        ids,
      );
      await m.query(`SELECT set_config('loket.erasing', 'off', true)`);
      await m.query(
        `UPDATE intake_keys SET key = ${ERASED_SQL('key')}
          WHERE case_id = ANY($1::uuid[]) AND (key LIKE 'whatsapp:wamid.%' OR key LIKE 'whatsapp-status:wamid.%' OR key LIKE 'whatsapp-media:wamid.%')`,
        ids,
      );
    });
  }
}

/** The senders and contacts named in a raw delivery (unreadable bodies name none). */
function numbersIn(body: Buffer): string[] {
  if (body.length === 0) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return [];
  }
  const out = new Set(parseWebhook(parsed).messages.map((msg) => msg.waId));
  for (const entry of asArray((parsed as { entry?: unknown }).entry)) {
    for (const change of asArray((entry as { changes?: unknown }).changes)) {
      const value = (change as { value?: { contacts?: unknown } }).value;
      for (const c of asArray(value?.contacts)) {
        const id = (c as { wa_id?: unknown }).wa_id;
        if (typeof id === 'string' && id) out.add(id);
      }
    }
  }
  return [...out];
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
