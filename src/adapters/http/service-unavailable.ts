import { Request, Response } from 'express';
import { Logger } from 'pino';

/** Says whether an error means a dependency (the database) is away for now, and when to retry. */
export type UnavailableCheck = (err: unknown) => { retryAfterSeconds: number } | null;

/** The request id pino-http gave the request: the correlation id of its log line. */
export const requestIdOf = (req: Request): string | undefined => (req as unknown as { id?: string }).id;

/**
 * Answers 503 SERVICE_UNAVAILABLE with Retry-After (shaped like the GraphQL error) when `err`
 * says the database is away, with one English log line and no driver text for the client.
 * False when `err` is something else.
 */
export function answeredUnavailable(err: unknown, req: Request, res: Response, check: UnavailableCheck | undefined, log: Logger): boolean {
  const u = check?.(err);
  if (!u) return false;
  const correlationId = requestIdOf(req);
  log.warn({ requestId: correlationId, err: { message: (err as Error).message } }, 'database unavailable; answered SERVICE_UNAVAILABLE');
  if (res.headersSent) {
    res.destroy();
    return true;
  }
  res.status(503).setHeader('retry-after', String(u.retryAfterSeconds));
  res.json({
    errors: [
      {
        message: 'Layanan sedang tidak tersedia untuk sementara; silakan coba lagi sebentar lagi',
        extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: u.retryAfterSeconds, ...(correlationId ? { correlationId } : {}) },
      },
    ],
  });
  return true;
}
