import {
  LaporAttachment, LaporGateway, LaporGatewayError, LaporPostResult, LaporPull, LaporReport, LaporUnmappableReportError,
} from '../../domain/lapor/lapor-gateway.port';
import {
  KNOWN_FIELDS, PATHS, TOKEN_PARAM, WIRE_AGENCY_STATUS, WIRE_STATUS, WireAttachment, WireDispositionList, WireEnvelope, WireFollowUpResult, WireReport, WireStatusRequest,
} from './lapor-wire';

type Obj = Record<string, unknown>;

/** LAPOR! over HTTP + JSON (lapor-wire.ts). Library and HTTP errors become LaporGatewayError. */
export class LaporHttpGateway implements LaporGateway {
  constructor(private readonly settings: { url: string; token: string; timeoutMs: number }) {}

  async pullDispositions(cursor: string | null): Promise<LaporPull> {
    const data = (await this.call('GET', PATHS.dispositions, cursor ? { since: cursor } : {})) as WireDispositionList;
    if (!isObj(data)) throw malformed('disposition list is not an object');
    strict(data, KNOWN_FIELDS.dispositionList, 'disposition list');
    if (!Array.isArray(data.items)) throw malformed('disposition list has no items');
    const dispositions = data.items.map((d) => {
      if (!isObj(d)) throw malformed('disposition is not an object');
      strict(d, KNOWN_FIELDS.disposition, 'disposition');
      if (typeof d.tracking_id !== 'string') throw malformed('disposition without tracking_id');
      return { trackingId: d.tracking_id, changedAt: new Date(String(d.updated_at)) };
    });
    return { dispositions, nextCursor: typeof data.next_cursor === 'string' ? data.next_cursor : null };
  }

  async fetchReport(trackingId: string): Promise<LaporReport> {
    const data = (await this.call('GET', PATHS.report(trackingId))) as WireReport;
    if (!isObj(data)) throw malformed('report is not an object');
    strict(data, KNOWN_FIELDS.report, 'report');
    return toReport(data, trackingId);
  }

  async postFollowUp(trackingId: string, f: { ref: string; text: string; attachments: LaporAttachment[] }): Promise<LaporPostResult> {
    const data = (await this.call('POST', PATHS.followUp(trackingId), {}, { ref: f.ref, isi: f.text, lampiran: f.attachments.map(toWireAttachment) })) as WireFollowUpResult;
    if (!isObj(data) || typeof data.id !== 'string') throw malformed('follow-up answer without id');
    strict(data, KNOWN_FIELDS.followUpResult, 'follow-up answer');
    return { id: data.id, status: String(data.status ?? '') };
  }

  async postStatus(trackingId: string, status: 'IN_PROGRESS' | 'FINISHED'): Promise<void> {
    const body: WireStatusRequest = { status: WIRE_AGENCY_STATUS[status] };
    await this.call('POST', PATHS.status(trackingId), {}, body);
  }

  private async call(method: 'GET' | 'POST', path: string, query: Record<string, string> = {}, body?: unknown): Promise<unknown> {
    const url = new URL(this.settings.url + path);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    url.searchParams.set(TOKEN_PARAM, this.settings.token);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (err) {
      // Never the URL: it carries the token.
      const timeout = (err as { name?: string }).name === 'TimeoutError';
      throw new LaporGatewayError('UNREACHABLE', timeout ? `LAPOR! did not answer within ${this.settings.timeoutMs} ms` : 'LAPOR! is unreachable', { cause: err });
    }
    const where = `${method} ${path.split('/').slice(0, 4).join('/')}`;
    if (res.status === 401 || res.status === 403) throw new LaporGatewayError('AUTH_REJECTED', `LAPOR! rejected the token (HTTP ${res.status})`);
    if (res.status >= 500) throw new LaporGatewayError('UNREACHABLE', `LAPOR! answered HTTP ${res.status} to ${where}`);
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new LaporGatewayError('UNREACHABLE', 'LAPOR! broke off its answer', { cause: err });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new LaporGatewayError('MALFORMED', `LAPOR! answered ${where} with malformed JSON`, { cause: err });
    }
    if (!res.ok) throw new LaporGatewayError(res.status === 404 ? 'MALFORMED' : 'UNREACHABLE', `LAPOR! answered HTTP ${res.status} to ${where}`);
    if (!isObj(json)) throw malformed(`answer to ${where} is not an object`);
    strict(json, KNOWN_FIELDS.envelope, 'envelope');
    const env = json as unknown as WireEnvelope<unknown>;
    if (env.status !== 'success') throw malformed(`LAPOR! answered ${where} with status ${String(env.status).slice(0, 20)}`);
    return env.data;
  }
}

function toReport(w: WireReport, asked: string): LaporReport {
  const payload = JSON.stringify({ ...w, pelapor: w.pelapor ? '[hidden]' : null, lampiran: Array.isArray(w.lampiran) ? w.lampiran.length : w.lampiran });
  const unmappable = (reason: string): LaporUnmappableReportError => new LaporUnmappableReportError(typeof w.tracking_id === 'string' ? w.tracking_id : asked, reason, payload);
  if (typeof w.tracking_id !== 'string' || !w.tracking_id) throw unmappable('tracking_id missing');
  const receivedAt = date(w.tanggal_laporan);
  const dispositionedAt = date(w.tanggal_disposisi);
  if (!receivedAt) throw unmappable('tanggal_laporan is not a date');
  if (!dispositionedAt) throw unmappable('tanggal_disposisi is not a date');
  if (typeof w.judul !== 'string' || !w.judul.trim()) throw unmappable('judul missing');
  if (typeof w.rahasia !== 'boolean' || typeof w.anonim !== 'boolean') throw unmappable('rahasia/anonim are not booleans');
  if (w.pelapor !== null && w.pelapor !== undefined) {
    if (!isObj(w.pelapor)) throw unmappable('pelapor is not an object');
    strict(w.pelapor, KNOWN_FIELDS.reporter, 'pelapor');
  }
  const attachments = (Array.isArray(w.lampiran) ? w.lampiran : []).map(fromWireAttachment);
  const replies = (Array.isArray(w.tanggapan) ? w.tanggapan : []).map((r) => {
    if (!isObj(r)) throw unmappable('tanggapan is not an object');
    strict(r, KNOWN_FIELDS.reply, 'tanggapan');
    const at = date(r.tanggal);
    if (typeof r.id !== 'string' || !at) throw unmappable('tanggapan without id or date');
    return { id: r.id, at, text: String(r.isi ?? ''), attachments: (Array.isArray(r.lampiran) ? r.lampiran : []).map(fromWireAttachment) };
  });
  const p = w.anonim ? null : w.pelapor;
  return {
    trackingId: w.tracking_id,
    receivedAt,
    dispositionedAt,
    subject: w.judul,
    description: typeof w.isi === 'string' ? w.isi : null,
    rahasia: w.rahasia,
    anonim: w.anonim,
    reporter: p ? { name: p.nama, email: p.email, phone: p.telepon, nik: p.nik, address: p.alamat } : null,
    attachments,
    replies,
    closed: (WIRE_STATUS.closed as readonly string[]).includes(w.status),
  };
}

function fromWireAttachment(a: WireAttachment): LaporAttachment {
  if (!isObj(a)) throw malformed('lampiran is not an object');
  strict(a, KNOWN_FIELDS.attachment, 'lampiran');
  if (typeof a.isi_base64 !== 'string') throw malformed('lampiran without content');
  return { filename: String(a.nama ?? 'lampiran').slice(0, 200), contentType: String(a.tipe || 'application/octet-stream'), content: Buffer.from(a.isi_base64, 'base64') };
}

function toWireAttachment(a: LaporAttachment): WireAttachment {
  return { nama: a.filename, tipe: a.contentType, isi_base64: a.content.toString('base64') };
}

function date(v: unknown): Date | null {
  if (typeof v !== 'string') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An unknown field means the format changed: the channel stops in its error state instead of guessing. */
function strict(o: object, known: readonly string[], what: string): void {
  const unknown = Object.keys(o).filter((k) => !known.includes(k));
  if (unknown.length) throw malformed(`unknown field in ${what}: ${unknown.slice(0, 3).map((k) => k.slice(0, 40)).join(', ')}`);
}

function malformed(message: string): LaporGatewayError {
  return new LaporGatewayError('MALFORMED', message);
}
