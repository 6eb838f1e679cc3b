/** Bearer tokens of the servers under test, by host:port (the bare baseline has none). */
const tokens = new Map<string, string>();

export function registerToken(url: string, token: string | null): void {
  if (token) tokens.set(new URL(url).host, token);
}

export function authHeaders(url: URL | string): Record<string, string> {
  const token = tokens.get(new URL(String(url)).host);
  return token ? { authorization: `Bearer ${token}` } : {};
}
