import { isIP } from 'node:net';

/** The part of a request {@link clientIp} reads (an express/`node:http` request has it). */
export interface RequestLike {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly socket: { readonly remoteAddress?: string | undefined };
}

/** Options of {@link clientIp}. */
export interface ClientIpOptions {
  /**
   * Set from `LOKET_TRUST_PROXY === 'true'` only when a reverse proxy in front of Loket overwrites
   * or appends `X-Forwarded-For`. Otherwise any client could pick its own address (and rate-limit key).
   */
  readonly trustProxy?: boolean;
}

/** Used when the socket has no address (already closed): all such requests share one bucket. */
export const UNKNOWN_CLIENT_IP = 'unknown';

/** `::ffff:10.0.0.1` and `10.0.0.1` are the same client; keep one spelling for rate-limit keys. */
function normalise(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return (mapped?.[1] ?? trimmed).toLowerCase();
}

/**
 * The address of the client. By default the TCP peer; with `trustProxy`, the address the nearest
 * proxy saw: the last valid entry of `X-Forwarded-For` (the one our proxy appended; entries to its
 * left are client-supplied and spoofable). Falls back to the peer when the header is absent/invalid.
 */
export function clientIp(req: RequestLike, options: ClientIpOptions = {}): string {
  const peer = req.socket.remoteAddress ? normalise(req.socket.remoteAddress) : UNKNOWN_CLIENT_IP;
  if (!options.trustProxy) return peer;
  const header = req.headers['x-forwarded-for'];
  const raw = Array.isArray(header) ? header.join(',') : header;
  if (!raw) return peer;
  const hops = raw.split(',').map(normalise).filter((hop) => isIP(hop) !== 0);
  return hops[hops.length - 1] ?? peer;
}

/** Reads `LOKET_TRUST_PROXY`: only the exact value "true" trusts `X-Forwarded-For`. */
export function trustProxyFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return env.LOKET_TRUST_PROXY === 'true';
}
