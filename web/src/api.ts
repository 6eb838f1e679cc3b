import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from './gql/graphql';
import { messageFor, ERROR_MESSAGES, type ApiErrorShape } from './errors';
import { expire, session, onSession } from './session';

/** An API refusal, with the Indonesian text to show. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: ApiErrorShape[] = [],
  ) {
    super(message);
  }
}

function authHeader(): Record<string, string> {
  const s = session();
  return s ? { authorization: `Bearer ${s.token}` } : {};
}

function raise(errors: ApiErrorShape[]): never {
  const first = errors[0] ?? {};
  const code = first.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
  if (code === 'UNAUTHENTICATED' && session()) expire();
  throw new ApiError(code, errors.map(messageFor).filter((m, i, all) => all.indexOf(m) === i).join(' '), errors);
}

/** One query or mutation over HTTP. */
export async function request<R, V>(doc: TypedDocumentString<R, V>, ...[variables]: V extends Record<string, never> ? [] | [V] : [V]): Promise<R> {
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...authHeader() },
      body: JSON.stringify({ query: doc.toString(), variables: variables ?? {} }),
    });
  } catch {
    throw new ApiError('NETWORK_ERROR', ERROR_MESSAGES.NETWORK_ERROR);
  }
  let body: { data?: R | null; errors?: ApiErrorShape[] };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new ApiError('BAD_REQUEST', ERROR_MESSAGES.INTERNAL_SERVER_ERROR);
  }
  if (body.errors?.length) raise(body.errors);
  if (!body.data) throw new ApiError('INTERNAL_SERVER_ERROR', ERROR_MESSAGES.INTERNAL_SERVER_ERROR);
  return body.data;
}

/** A plain HTTP call with the bearer token (files, receipts, CSV); JSON refusals become ApiError. */
export async function http(path: string, init: RequestInit = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), ...authHeader() } });
  } catch {
    throw new ApiError('NETWORK_ERROR', ERROR_MESSAGES.NETWORK_ERROR);
  }
  if (!res.ok) {
    let errors: ApiErrorShape[] = [{ extensions: { code: res.status === 404 ? 'FILE_NOT_FOUND' : 'INTERNAL_SERVER_ERROR' } }];
    try {
      const body = (await res.json()) as { errors?: ApiErrorShape[]; error?: { code?: string }; code?: string };
      if (body.errors?.length) errors = body.errors;
      else if (body.code || body.error?.code) errors = [{ extensions: { code: body.code ?? body.error?.code } }];
    } catch {
      // not JSON
    }
    raise(errors);
  }
  return res;
}

/** Uploads one file (POST /files); its stored id. */
export async function upload(file: File): Promise<string> {
  const form = new FormData();
  form.append('file', file);
  const res = await http('/files', { method: 'POST', body: form });
  return ((await res.json()) as { id: string }).id;
}

/** A file fetched with the bearer token, as a blob URL for a preview or a download link. */
export async function blobUrl(path: string): Promise<string> {
  const res = await http(path);
  return URL.createObjectURL(await res.blob());
}

// --- Live: one graphql-ws connection per login session -------------------------------------

export type LinkState = 'connecting' | 'online' | 'offline';
const linkListeners = new Set<(s: LinkState) => void>();
let linkState: LinkState = 'connecting';
let everConnected = false;
const reconnectListeners = new Set<(again: boolean) => void>();
let ws: Client | null = null;

function setLink(s: LinkState): void {
  linkState = s;
  document.documentElement.dataset.link = s;
  for (const l of linkListeners) l(s);
}

export function onLink(l: (s: LinkState) => void): () => void {
  linkListeners.add(l);
  l(linkState);
  return () => linkListeners.delete(l);
}

/** Called each time the live connection is up: `again` after it came back from a drop. */
export function onConnected(l: (again: boolean) => void): () => void {
  reconnectListeners.add(l);
  return () => reconnectListeners.delete(l);
}

function live(): Client {
  if (ws) return ws;
  everConnected = false;
  ws = createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    connectionParams: () => authHeader(),
    lazy: false,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: async (retries) => {
      await new Promise((r) => setTimeout(r, Math.min(500 * 2 ** retries, 5000)));
    },
    on: {
      connected: () => {
        const again = everConnected;
        everConnected = true;
        setLink('online');
        for (const l of reconnectListeners) l(again);
      },
      closed: (event) => {
        const code = (event as { code?: number } | undefined)?.code;
        if (code === 4401 || code === 4403) expire();
        if (session()) setLink('offline');
      },
      error: () => {
        if (session()) setLink('offline');
      },
    },
  });
  return ws;
}

window.addEventListener('offline', () => {
  if (ws) setLink('offline');
  // A dead socket may take a keep-alive period to notice: drop it now so the retry starts.
  ws?.terminate();
});

onSession((s) => {
  if (!s && ws) {
    void ws.dispose();
    ws = null;
    setLink('connecting');
  }
});

/**
 * A live subscription; `variables` may be changed in place (e.g. its `after` cursor), and a
 * retry after a dropped connection subscribes with the variables as they are then.
 */
export function subscribe<R, V extends Record<string, unknown>>(doc: TypedDocumentString<R, V>, variables: V, next: (data: R) => void): () => void {
  const payload = { query: doc.toString(), variables };
  return live().subscribe<R>(payload, {
    next: (msg) => {
      if (msg.data) next(msg.data as R);
    },
    error: () => {
      // the client retries; the link state says so on screen
    },
    complete: () => {},
  });
}
