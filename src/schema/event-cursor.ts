import { ValidationError } from '../domain/shared/domain-error';

/** Event cursors are opaque to clients; inside they are the event id. */
export function encodeEventCursor(eventId: string): string {
  return Buffer.from(eventId, 'utf8').toString('base64url');
}

export function decodeEventCursor(cursor: string, field = 'after'): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{1,19}$/.test(id)) throw ValidationError.single(field, 'is not a valid cursor');
  return id;
}
