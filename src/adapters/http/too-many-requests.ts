import { Response } from 'express';

/** A RATE_LIMITED refusal for plain HTTP routes, shaped like the GraphQL one: 429, Retry-After, retryAfterSeconds. */
export function tooManyRequests(res: Response, retryAfterSeconds: number): void {
  res
    .status(429)
    .setHeader('retry-after', String(retryAfterSeconds))
    .json({ errors: [{ message: 'Terlalu banyak permintaan; coba lagi nanti', extensions: { code: 'RATE_LIMITED', retryAfterSeconds } }] });
}
