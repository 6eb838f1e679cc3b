/** The WhatsApp channel (WhatsApp Business Cloud API); off unless LOKET_WHATSAPP_PHONE_NUMBER_ID is set. */
export interface WhatsAppSettings {
  phoneNumberId: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  /** Graph API base including the version, no trailing slash. */
  graphUrl: string;
  answerTemplate: string;
  templateLanguage: string;
  /** Largest webhook body accepted (413 beyond). */
  maxBodyBytes: number;
  /** Largest media file downloaded and stored. */
  maxMediaBytes: number;
  /** A message from a number whose last message to a case is younger than this joins that case. */
  threadWindowMs: number;
  /** Period of the retry timer (deliveries, downloads and sends waiting for their next attempt). */
  pollSeconds: number;
}

export const DEFAULT_GRAPH_URL = 'https://graph.facebook.com/v25.0';
const REQUIRED = ['LOKET_WHATSAPP_ACCESS_TOKEN', 'LOKET_WHATSAPP_APP_SECRET', 'LOKET_WHATSAPP_VERIFY_TOKEN', 'LOKET_WHATSAPP_ANSWER_TEMPLATE'] as const;

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number`);
  return n;
}

/** Reads LOKET_WHATSAPP_*; a bad or missing value is refused by its name, never repeating a secret. */
export function whatsappSettingsFromEnv(env: NodeJS.ProcessEnv): WhatsAppSettings | null {
  const phoneNumberId = env.LOKET_WHATSAPP_PHONE_NUMBER_ID?.trim();
  if (!phoneNumberId) {
    const stray = REQUIRED.find((n) => env[n]?.trim());
    if (stray) throw new Error(`${stray} is set but LOKET_WHATSAPP_PHONE_NUMBER_ID is not`);
    return null;
  }
  if (!/^\d{5,30}$/.test(phoneNumberId)) throw new Error('LOKET_WHATSAPP_PHONE_NUMBER_ID must be the numeric phone number id from the WhatsApp Manager');
  for (const n of REQUIRED) if (!env[n]?.trim()) throw new Error(`${n} must be set when LOKET_WHATSAPP_PHONE_NUMBER_ID is set`);
  const graphUrl = (env.LOKET_WHATSAPP_GRAPH_URL?.trim() || DEFAULT_GRAPH_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+\/v\d+\.\d+$/.test(graphUrl)) throw new Error('LOKET_WHATSAPP_GRAPH_URL must be http(s)://host/vNN.N');
  const templateLanguage = env.LOKET_WHATSAPP_TEMPLATE_LANGUAGE?.trim() || 'id';
  if (!/^[a-z]{2,3}(_[A-Z]{2})?$/.test(templateLanguage)) throw new Error('LOKET_WHATSAPP_TEMPLATE_LANGUAGE must be a language code such as id or en_US');
  const answerTemplate = env.LOKET_WHATSAPP_ANSWER_TEMPLATE!.trim();
  if (!/^[a-z0-9_]{1,512}$/.test(answerTemplate)) throw new Error('LOKET_WHATSAPP_ANSWER_TEMPLATE must be a template name (lowercase letters, digits, _)');
  return {
    phoneNumberId,
    accessToken: env.LOKET_WHATSAPP_ACCESS_TOKEN!.trim(),
    appSecret: env.LOKET_WHATSAPP_APP_SECRET!.trim(),
    verifyToken: env.LOKET_WHATSAPP_VERIFY_TOKEN!.trim(),
    graphUrl,
    answerTemplate,
    templateLanguage,
    maxBodyBytes: positive(env, 'LOKET_WHATSAPP_MAX_BODY_BYTES', 1024 * 1024),
    maxMediaBytes: positive(env, 'LOKET_WHATSAPP_MAX_MEDIA_BYTES', 16 * 1024 * 1024),
    threadWindowMs: positive(env, 'LOKET_WHATSAPP_THREAD_DAYS', 30) * 86_400_000,
    pollSeconds: positive(env, 'LOKET_WHATSAPP_POLL_SECONDS', 15),
  };
}
