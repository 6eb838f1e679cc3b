import { createHash } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { API_VERSION, ERRORS, MediaInfo, SendResponse } from './graph-api-contract';

export interface RecordedCall { method: string; path: string; authorization: string | undefined; body: any; /** The status the fake answered. */ status: number }
type Failure = keyof typeof ERRORS;

/** A loopback fake of the Graph API: records every call and fails on demand (see graph-api-contract.ts). */
export class FakeGraphApi {
  readonly calls: RecordedCall[] = [];
  private server!: http.Server;
  private readonly media = new Map<string, { content: Buffer; mimeType: string }>();
  private readonly failures: { route: 'send' | 'media' | 'any'; failure: Failure }[] = [];
  private sent = 0;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get graphUrl(): string {
    return `${this.url}/${API_VERSION}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  addMedia(id: string, content: Buffer, mimeType: string): void {
    this.media.set(id, { content, mimeType });
  }

  failNext(route: 'send' | 'media' | 'any', failure: Failure, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ route, failure });
  }

  /** Messages the fake accepted (failed attempts are in `calls`). */
  sends(): RecordedCall[] {
    return this.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/messages') && c.status === 200);
  }

  sendAttempts(): RecordedCall[] {
    return this.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/messages'));
  }

  private handle(req: http.IncomingMessage, raw: Buffer, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const body = raw.length ? safeJson(raw) : null;
    const call: RecordedCall = { method: req.method ?? 'GET', path, authorization: req.headers.authorization, body, status: 200 };
    this.calls.push(call);
    const json = (status: number, b: unknown): void => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(b));
    };
    const route = path.endsWith('/messages') ? 'send' : 'media';
    const i = this.failures.findIndex((f) => f.route === route || f.route === 'any');
    if (i >= 0) {
      const [{ failure }] = this.failures.splice(i, 1);
      json(ERRORS[failure].status, ERRORS[failure].body);
      return;
    }
    if (req.method === 'POST' && path.endsWith('/messages')) {
      const r: SendResponse = { messaging_product: 'whatsapp', contacts: [{ input: body?.to, wa_id: body?.to }], messages: [{ id: `wamid.OUT${++this.sent}` }] };
      json(200, r);
      return;
    }
    const bytes = /^\/bytes\/(.+)$/.exec(path);
    if (bytes) {
      const m = this.media.get(decodeURIComponent(bytes[1]));
      if (!m) return json(404, ERRORS.mediaGone.body);
      res.writeHead(200, { 'content-type': m.mimeType });
      res.end(m.content);
      return;
    }
    const id = decodeURIComponent(path.slice(`/${API_VERSION}/`.length));
    const m = this.media.get(id);
    if (!m) return json(ERRORS.mediaGone.status, ERRORS.mediaGone.body);
    const info: MediaInfo = {
      messaging_product: 'whatsapp', url: `${this.url}/bytes/${encodeURIComponent(id)}`, mime_type: m.mimeType,
      sha256: createHash('sha256').update(m.content).digest('hex'), file_size: String(m.content.length), id,
    };
    json(200, info);
  }
}

function safeJson(raw: Buffer): any {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return raw.toString('utf8');
  }
}
