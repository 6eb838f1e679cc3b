/**
 * The wire contract of the WhatsApp Business Cloud API (Graph API) as Loket uses it, written
 * from Meta's published shapes; the fake server and the webhook fixtures are built from it.
 *
 * - POST {graph}/{phone-number-id}/messages, `Authorization: Bearer <token>`, JSON body
 *   `{ messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text: { preview_url, body } }`
 *   or `type: 'template', template: { name, language: { code }, components: [{ type: 'body', parameters: [{ type: 'text', text }] }] }`
 *   -> 200 `{ messaging_product, contacts: [{ input, wa_id }], messages: [{ id: 'wamid...' }] }`.
 * - GET {graph}/{media-id} -> 200 `{ messaging_product, url, mime_type, sha256, file_size, id }`;
 *   GET url with the same bearer -> the bytes.
 * - Errors: HTTP 4xx/5xx with `{ error: { message, type, code, error_subcode?, fbtrace_id } }`;
 *   401 + code 190 (OAuthException) = token revoked/expired; 429 + code 130429 = throttled;
 *   400 + code 100 on a media id that no longer exists.
 * - Webhook: `{ object: 'whatsapp_business_account', entry: [{ id, changes: [{ field: 'messages', value }] }] }`
 *   with `value = { messaging_product, metadata: { display_phone_number, phone_number_id }, contacts?, messages?, statuses? }`,
 *   signed `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(raw body, app secret)>`.
 */
export const API_VERSION = 'v25.0';

export interface SendResponse {
  messaging_product: 'whatsapp';
  contacts: { input: string; wa_id: string }[];
  messages: { id: string }[];
}

export interface MediaInfo {
  messaging_product: 'whatsapp';
  url: string;
  mime_type: string;
  sha256: string;
  file_size: string;
  id: string;
}

export interface GraphError {
  error: { message: string; type: string; code: number; error_subcode?: number; fbtrace_id: string };
}

export const ERRORS = {
  tokenExpired: { status: 401, body: { error: { message: 'Error validating access token: Session has expired', type: 'OAuthException', code: 190, error_subcode: 463, fbtrace_id: 'Afake1' } } },
  throttled: { status: 429, body: { error: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429, fbtrace_id: 'Afake2' } } },
  serverError: { status: 500, body: { error: { message: 'An unknown error has occurred.', type: 'OAuthException', code: 1, fbtrace_id: 'Afake3' } } },
  mediaGone: { status: 400, body: { error: { message: 'Unsupported get request. Object does not exist', type: 'GraphMethodException', code: 100, error_subcode: 33, fbtrace_id: 'Afake4' } } },
} satisfies Record<string, { status: number; body: GraphError }>;

export type WebhookValue = {
  messaging_product: 'whatsapp';
  metadata: { display_phone_number: string; phone_number_id: string };
  contacts?: { profile: { name: string }; wa_id: string }[];
  messages?: Record<string, unknown>[];
  statuses?: Record<string, unknown>[];
};

export function webhookBody(value: WebhookValue): Record<string, unknown> {
  return { object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field: 'messages', value }] }] };
}
