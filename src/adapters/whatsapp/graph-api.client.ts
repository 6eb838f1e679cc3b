import { WhatsAppSettings } from './whatsapp-settings';

/** The Graph API's answer to a failed call, translated: temporary (retry), auth (token), or permanent. */
export class GraphApiError extends Error {
  constructor(
    readonly kind: 'TEMPORARY' | 'AUTH' | 'PERMANENT' | 'NOT_FOUND',
    readonly httpStatus: number,
    readonly code: number | null,
    message: string,
    /** Seconds to wait before the next attempt, when the API said (Retry-After). */
    readonly retryAfterSeconds: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Graph error codes that mean "slow down" (rate limits and throttling), retried later. */
const THROTTLE_CODES = new Set([4, 80007, 130429, 131056]);
/** Temporary service errors, retried. */
const TEMPORARY_CODES = new Set([1, 2, 131000, 131016, 133004]);

export type OutgoingMessage =
  | { type: 'text'; text: string }
  | { type: 'template'; name: string; language: string; parameters: string[] };

/** POST /{phone-number-id}/messages and the media download, with the access token. */
export class GraphApiClient {
  constructor(private readonly s: WhatsAppSettings) {}

  /** Sends one message; answers its wamid. */
  async send(toWaId: string, m: OutgoingMessage): Promise<string> {
    const body =
      m.type === 'text'
        ? { messaging_product: 'whatsapp', recipient_type: 'individual', to: toWaId, type: 'text', text: { preview_url: false, body: m.text } }
        : {
            messaging_product: 'whatsapp', recipient_type: 'individual', to: toWaId, type: 'template',
            template: { name: m.name, language: { code: m.language }, components: [{ type: 'body', parameters: m.parameters.map((text) => ({ type: 'text', text })) }] },
          };
    const res = await this.call(`${this.s.graphUrl}/${this.s.phoneNumberId}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json().catch(() => ({}))) as { messages?: { id?: string }[] };
    const wamid = json.messages?.[0]?.id;
    if (!wamid) throw new GraphApiError('TEMPORARY', res.status, null, 'send answered without a message id');
    return wamid;
  }

  /** Downloads a media file: GET /{media-id} for the short-lived URL, then GET the URL with the token. */
  async download(mediaId: string, maxBytes: number): Promise<{ content: Buffer; mimeType: string; sha256: string | null }> {
    const meta = (await (await this.call(`${this.s.graphUrl}/${encodeURIComponent(mediaId)}`, { method: 'GET' })).json()) as {
      url?: string; mime_type?: string; sha256?: string; file_size?: string | number;
    };
    if (!meta.url) throw new GraphApiError('TEMPORARY', 200, null, 'media lookup answered without a URL');
    if (meta.file_size !== undefined && Number(meta.file_size) > maxBytes) throw new GraphApiError('PERMANENT', 200, null, `media larger than ${maxBytes} bytes`);
    const res = await this.call(meta.url, { method: 'GET' });
    const content = Buffer.from(await res.arrayBuffer());
    if (content.length > maxBytes) throw new GraphApiError('PERMANENT', 200, null, `media larger than ${maxBytes} bytes`);
    return { content, mimeType: meta.mime_type ?? res.headers.get('content-type') ?? 'application/octet-stream', sha256: meta.sha256 ?? null };
  }

  private async call(url: string, init: RequestInit): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${this.s.accessToken}` }, signal: AbortSignal.timeout(30_000) });
    } catch (cause) {
      throw new GraphApiError('TEMPORARY', 0, null, `Graph API unreachable: ${(cause as Error).message}`, null, { cause });
    }
    if (res.ok) return res;
    const err = ((await res.json().catch(() => ({}))) as { error?: { code?: number; message?: string; type?: string } }).error ?? {};
    const code = typeof err.code === 'number' ? err.code : null;
    // Meta's messages are English and about the call, never the citizen's data.
    const message = `Graph API ${res.status}${code !== null ? ` code ${code}` : ''}: ${(err.message ?? res.statusText).slice(0, 200)}`;
    const retryAfter = Number(res.headers.get('retry-after'));
    const after = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null;
    if (res.status === 401 || code === 190) throw new GraphApiError('AUTH', res.status, code, message);
    if (res.status === 429 || res.status >= 500 || (code !== null && (THROTTLE_CODES.has(code) || TEMPORARY_CODES.has(code)))) {
      throw new GraphApiError('TEMPORARY', res.status, code, message, after);
    }
    if (res.status === 404 || code === 100 || code === 131052) throw new GraphApiError('NOT_FOUND', res.status, code, message);
    throw new GraphApiError('PERMANENT', res.status, code, message);
  }
}
