import { createHmac, timingSafeEqual, createHash } from 'node:crypto';
import express, { Router } from 'express';
import type { Logger } from 'pino';
import { Clock } from '../../domain/shared/clock.port';

export const WEBHOOK_PATH = '/webhooks/whatsapp';

/** True when `header` is `sha256=<hex>` of the HMAC-SHA256 of `body` with `secret` (constant time). */
export function validSignature(body: Buffer, header: string | undefined, secret: string): boolean {
  if (!header || !header.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice('sha256='.length).trim().toLowerCase(), 'utf8');
  const expected = Buffer.from(createHmac('sha256', secret).update(body).digest('hex'), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function sameSecret(a: string, b: string): boolean {
  const d = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(d(a), d(b));
}

/**
 * Meta's webhook: GET is the verification handshake, POST a delivery. A delivery is answered
 * 200 only once its raw body is stored; any failure to store is a 5xx so that Meta retries.
 */
export function webhookRoutes(o: {
  appSecret: string;
  verifyToken: string;
  maxBodyBytes: number;
  record: (body: Buffer, at: Date) => Promise<string>;
  stored: () => void;
  clock: Clock;
  log: Logger;
}): Router {
  const router = Router();
  router.get(WEBHOOK_PATH, (req, res) => {
    const q = req.query as Record<string, unknown>;
    const mode = q['hub.mode'];
    const token = q['hub.verify_token'];
    const challenge = q['hub.challenge'];
    if (mode === 'subscribe' && typeof token === 'string' && sameSecret(token, o.verifyToken) && typeof challenge === 'string') {
      res.status(200).type('text/plain').send(challenge);
      return;
    }
    res.status(403).type('text/plain').send('Forbidden');
  });
  router.post(WEBHOOK_PATH, express.raw({ type: () => true, limit: o.maxBodyBytes }), (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!validSignature(body, req.get('x-hub-signature-256'), o.appSecret)) {
      o.log.warn('whatsapp webhook delivery with a missing or wrong signature refused');
      res.status(401).type('text/plain').send('Unauthorized');
      return;
    }
    o.record(body, o.clock.now()).then(
      () => {
        res.status(200).type('text/plain').send('OK');
        o.stored();
      },
      (err: Error) => {
        // Not stored: Meta retries a delivery that is not answered 200.
        o.log.error({ err: err.message }, 'whatsapp webhook delivery could not be stored');
        res.status(503).type('text/plain').send('Service Unavailable');
      },
    );
  });
  router.use(WEBHOOK_PATH, (err: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (err.type === 'entity.too.large') {
      res.status(413).type('text/plain').send('Payload Too Large');
      return;
    }
    if (err.status && err.status >= 400 && err.status < 500) {
      res.status(400).type('text/plain').send('Bad Request');
      return;
    }
    next(err);
  });
  return router;
}
