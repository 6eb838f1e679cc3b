import http from 'node:http';
import { AddressInfo } from 'node:net';
import { PATHS, TOKEN_PARAM, WireReport } from '../../../src/adapters/lapor/lapor-wire';

export type Failure = '401' | '500' | 'timeout' | 'malformed' | 'unknown-field';

/** A loopback LAPOR! implementing lapor-wire.ts; fails on demand and records calls. */
export class FakeLaporServer {
  readonly token = 'test-token-123456';
  reports = new Map<string, WireReport>();
  order: string[] = [];
  calls: { method: string; path: string; body: any }[] = [];
  /** Follow-ups as LAPOR! keeps them: a repeat of a `ref` is refused (kept once). */
  followUps: { trackingId: string; body: any }[] = [];
  /** Every follow-up POST that reached the handler, repeats included. */
  followUpPosts: { trackingId: string; ref: string }[] = [];
  statusPosts: { trackingId: string; status: string }[] = [];
  failNext: Failure[] = [];
  /** Fails every follow-up POST this way until cleared (the other calls answer normally). */
  failFollowUps: Failure | null = null;
  private server!: http.Server;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Adds or changes a report: either way it appears again in the next pull (a change log). */
  put(report: WireReport): void {
    this.order.push(report.tracking_id);
    this.reports.set(report.tracking_id, report);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? JSON.parse(raw) : null;
    this.calls.push({ method: req.method ?? '', path: url.pathname, body });
    const send = (status: number, data: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(data));
    };
    const isFollowUp = req.method === 'POST' && url.pathname.endsWith('/tindak-lanjut');
    if (isFollowUp) this.followUpPosts.push({ trackingId: decodeURIComponent(url.pathname.split('/')[4] ?? ''), ref: body?.ref });
    const failure = this.failNext.shift() ?? (isFollowUp ? this.failFollowUps ?? undefined : undefined);
    if (failure === '401' || url.searchParams.get(TOKEN_PARAM) !== this.token) return send(401, { status: 'error', message: 'KEYTOKEN tidak valid', data: null });
    if (failure === '500') return send(503, { status: 'error', data: null });
    if (failure === 'timeout') return; // never answers
    if (failure === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('{"status": "success", "data": [');
    }
    if (req.method === 'GET' && url.pathname === PATHS.dispositions) {
      const since = Number(url.searchParams.get('since') ?? '0');
      const items = this.order.slice(since).map((t) => ({ tracking_id: t, updated_at: '2026-12-01T00:00:00Z', ...(failure === 'unknown-field' ? { prioritas: 'tinggi' } : {}) }));
      return send(200, { status: 'success', data: { items, next_cursor: String(this.order.length) } });
    }
    const m = /^\/api\/v1\/laporan\/([^/]+)(\/tindak-lanjut|\/status)?$/.exec(url.pathname);
    if (m) {
      const id = decodeURIComponent(m[1]!);
      const rep = this.reports.get(id);
      if (!rep) return send(404, { status: 'error', data: null });
      if (req.method === 'GET' && !m[2]) return send(200, { status: 'success', data: rep });
      if (req.method === 'POST' && m[2] === '/tindak-lanjut') {
        const dup = this.followUps.find((f) => f.body.ref === body.ref);
        if (!dup) this.followUps.push({ trackingId: id, body });
        return send(200, { status: 'success', data: { id: `TL-${this.followUps.length}`, status: 'Ditindaklanjuti' } });
      }
      if (req.method === 'POST' && m[2] === '/status') {
        this.statusPosts.push({ trackingId: id, status: body.status });
        return send(200, { status: 'success', data: null });
      }
    }
    send(404, { status: 'error', data: null });
  }
}

export function wireReport(overrides: Partial<WireReport> = {}): WireReport {
  return {
    tracking_id: 'LAP-2026-0001',
    tanggal_laporan: '2026-11-27T02:00:00Z',
    tanggal_disposisi: '2026-11-30T02:00:00Z',
    judul: 'Bantuan sosial belum diterima',
    isi: 'Sudah tiga bulan bantuan tidak cair.',
    rahasia: false,
    anonim: false,
    pelapor: { nama: 'Siti Aminah', email: 'siti@example.id', telepon: '081234567890', nik: null, alamat: null },
    lampiran: [],
    tanggapan: [],
    status: 'Didisposisikan',
    ...overrides,
  };
}
