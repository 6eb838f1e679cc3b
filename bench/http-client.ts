import http from 'node:http';
import { authHeaders } from './auth';

export interface PostResult {
  status: number;
  body: string;
}

/** One JSON POST over a keep-alive agent (plain http.request: fewer moving parts than fetch). */
export function postJson(agent: http.Agent, url: URL, payload: string, timeoutMs = 30_000): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...authHeaders(url) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`request timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** True when the GraphQL response carries data and no errors. */
export function graphqlOk(r: PostResult): boolean {
  if (r.status !== 200) return false;
  try {
    const j = JSON.parse(r.body) as { errors?: unknown[]; data?: unknown };
    return !j.errors?.length && !!j.data;
  } catch {
    return false;
  }
}

export function keepAliveAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}
