/** LOKET_LAPOR_*: the API is on when both URL and token are set; the manual path always is. */
export interface LaporSettings {
  api: { url: string; token: string; timeoutMs: number } | null;
  pollSeconds: number;
}

export const DEFAULT_LAPOR_POLL_SECONDS = 300;
/** How long one call to LAPOR! may take before the channel counts it as unreachable. */
export const DEFAULT_LAPOR_TIMEOUT_SECONDS = 15;

/** Reads and checks the variables; an error names the variable and never repeats the token. */
export function laporSettingsFromEnv(env: NodeJS.ProcessEnv): LaporSettings {
  const url = env.LOKET_LAPOR_URL?.trim() || null;
  const token = env.LOKET_LAPOR_TOKEN?.trim() || null;
  const rawPoll = env.LOKET_LAPOR_POLL_SECONDS?.trim();
  let pollSeconds = DEFAULT_LAPOR_POLL_SECONDS;
  if (rawPoll) {
    if (!/^\d+$/.test(rawPoll) || Number(rawPoll) < 10 || Number(rawPoll) > 86_400) {
      throw new Error('LOKET_LAPOR_POLL_SECONDS must be a whole number of seconds between 10 and 86400');
    }
    pollSeconds = Number(rawPoll);
  }
  const rawTimeout = env.LOKET_LAPOR_TIMEOUT_SECONDS?.trim();
  let timeoutSeconds = DEFAULT_LAPOR_TIMEOUT_SECONDS;
  if (rawTimeout) {
    if (!/^\d+$/.test(rawTimeout) || Number(rawTimeout) < 1 || Number(rawTimeout) > 120) {
      throw new Error('LOKET_LAPOR_TIMEOUT_SECONDS must be a whole number of seconds between 1 and 120');
    }
    timeoutSeconds = Number(rawTimeout);
  }
  if (!url && !token) return { api: null, pollSeconds };
  if (!url) throw new Error('LOKET_LAPOR_URL must be set when LOKET_LAPOR_TOKEN is set');
  if (!token) throw new Error('LOKET_LAPOR_TOKEN must be set when LOKET_LAPOR_URL is set');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('LOKET_LAPOR_URL must be an http(s) URL');
  }
  if (!['http:', 'https:'].includes(parsed.protocol)) throw new Error('LOKET_LAPOR_URL must be an http(s) URL');
  if (token.length < 8 || /\s/.test(token)) throw new Error('LOKET_LAPOR_TOKEN must be at least 8 characters without spaces (value not shown)');
  return { api: { url: parsed.toString().replace(/\/+$/, ''), token, timeoutMs: timeoutSeconds * 1000 }, pollSeconds };
}
