import { CaseProps } from '../case/case';
import { TimelineEvent, TimelineEventType } from '../case/timeline-event';
import { maySeeIdentity } from './access-policy';
import { Principal } from './roles';

/** Timeline fields that name the person: the address mail came from or went to. */
const IDENTITY_FIELDS: Partial<Record<TimelineEventType, readonly string[]>> = {
  INCOMING_MESSAGE: ['from'],
  MAIL_SENT: ['to'],
};
/** Free text a mail server wrote (a bounce reason quotes the address it could not deliver to). */
const SERVER_TEXT_FIELDS: Partial<Record<TimelineEventType, readonly string[]>> = {
  DELIVERY_FAILED: ['reason'],
};
const ADDRESS = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g;
const HAS_ADDRESS = new RegExp(ADDRESS.source);
/** What a hidden address reads as (officers and handlers read the timeline). */
export const HIDDEN_ADDRESS = '[alamat disembunyikan]';

/** True when the event, as given, shows something that identifies the person. */
export function carriesIdentity(e: TimelineEvent): boolean {
  const after = e.after ?? {};
  if ((IDENTITY_FIELDS[e.type] ?? []).some((f) => after[f] !== null && after[f] !== undefined && after[f] !== '')) return true;
  return (SERVER_TEXT_FIELDS[e.type] ?? []).some((f) => typeof after[f] === 'string' && HAS_ADDRESS.test(after[f] as string));
}

/**
 * A timeline event as `p` may see it: the sender and recipient addresses of mail are part of
 * the identity, shown only to those who may see the case's identity, and to no one once the
 * identity was erased (the timeline itself is append-only and keeps what happened).
 */
export function timelineEventFor(p: Principal, c: Pick<CaseProps, 'assignee' | 'confidential' | 'requesterErasedAt'>, e: TimelineEvent): TimelineEvent {
  if (!carriesIdentity(e)) return e;
  if (maySeeIdentity(p, c) && !c.requesterErasedAt) return e;
  const after: Record<string, unknown> = { ...e.after };
  for (const f of IDENTITY_FIELDS[e.type] ?? []) if (f in after) after[f] = null;
  for (const f of SERVER_TEXT_FIELDS[e.type] ?? []) {
    if (typeof after[f] === 'string') after[f] = (after[f] as string).replace(ADDRESS, HIDDEN_ADDRESS);
  }
  return { ...e, after };
}
