import { createHash, timingSafeEqual } from 'node:crypto';
import express from 'express';
import type { Logger } from 'pino';
import { LoketMetrics } from './loket-metrics';

/**
 * GET /metrics in the Prometheus text format, only with `Authorization: Bearer <LOKET_METRICS_TOKEN>`
 * (compared in constant time; 401 otherwise). Without a token configured the route does not exist (404).
 * Also counts every HTTP response by status code.
 */
export function metricsRoutes(metrics: LoketMetrics, token: string | undefined, log: Logger): express.Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.once('finish', () => metrics.httpResponse(res.statusCode));
    next();
  });
  if (!token) return router;
  const expected = digest(token);
  router.get('/metrics', async (req, res) => {
    const header = req.headers.authorization ?? '';
    const given = /^Bearer (.+)$/i.exec(header)?.[1]?.trim() ?? '';
    // Hashing first gives equal lengths, so the comparison time says nothing about the token.
    if (!timingSafeEqual(digest(given), expected)) {
      res.status(401).setHeader('www-authenticate', 'Bearer').json({ errors: [{ message: 'Token metrik tidak valid', extensions: { code: 'UNAUTHENTICATED' } }] });
      return;
    }
    try {
      const { contentType, body } = await metrics.render();
      res.status(200).setHeader('content-type', contentType).setHeader('cache-control', 'no-store').send(body);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'metrics collection failed');
      res.status(503).json({ errors: [{ message: 'Metrik tidak tersedia saat ini', extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
    }
  });
  return router;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
