/**
 * What a WhatsApp Business Cloud API webhook delivery carries, as the core reads it: the
 * messages (every type mapped to text an officer reads, in Bahasa Indonesia) and the status
 * callbacks of messages Loket sent. Parsing never throws on an unknown or malformed entry: a
 * message type Loket cannot use becomes a description of what came (zammad/zammad#5439 is a
 * whole channel blocked by one unsupported type).
 */

/** How a message is handled: CONTENT makes or joins a case; NOTE only adds to a known case. */
export type WaMessageRole = 'CONTENT' | 'NOTE';

export interface WaMedia {
  mediaId: string;
  kind: 'image' | 'audio' | 'video' | 'document' | 'sticker';
  mimeType: string | null;
  sha256: string | null;
  filename: string | null;
}

export interface WaMessage {
  wamid: string;
  /** The sender's WhatsApp id (digits, country code first): personal data, never logged. */
  waId: string;
  profileName: string | null;
  at: Date;
  type: string;
  role: WaMessageRole;
  /** The citizen's words and a description of what came, for the timeline. */
  text: string;
  media: WaMedia | null;
}

export interface WaStatus {
  /** The wamid of the message Loket sent. */
  wamid: string;
  status: string;
  at: Date;
  errors: { code: number | null; title: string }[];
}

export interface WaDelivery {
  phoneNumberIds: string[];
  messages: WaMessage[];
  statuses: WaStatus[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : null);
const MAX_TEXT = 19_000;

const MEDIA_LABEL: Record<WaMedia['kind'], string> = {
  image: 'Foto', audio: 'Pesan suara/audio', video: 'Video', document: 'Dokumen', sticker: 'Stiker',
};

/** Reads a parsed webhook body (Meta's `entry[].changes[].value` shape); unknown parts are skipped. */
export function parseWebhook(body: unknown): WaDelivery {
  const out: WaDelivery = { phoneNumberIds: [], messages: [], statuses: [] };
  for (const entry of arr(obj(body).entry)) {
    for (const change of arr(obj(entry).changes)) {
      const value = obj(obj(change).value);
      const pnid = str(obj(value.metadata).phone_number_id);
      if (pnid && !out.phoneNumberIds.includes(pnid)) out.phoneNumberIds.push(pnid);
      const names = new Map<string, string>();
      for (const c of arr(value.contacts)) {
        const id = str(obj(c).wa_id);
        const name = str(obj(obj(c).profile).name);
        if (id && name) names.set(id, name);
      }
      for (const m of arr(value.messages)) {
        const parsed = parseMessage(obj(m), names);
        if (parsed) out.messages.push(parsed);
      }
      for (const s of arr(value.statuses)) {
        const st = obj(s);
        const wamid = str(st.id);
        const status = str(st.status);
        if (!wamid || !status) continue;
        out.statuses.push({
          wamid,
          status,
          at: timeOf(st.timestamp),
          errors: arr(st.errors).map((e) => ({ code: typeof obj(e).code === 'number' ? (obj(e).code as number) : null, title: str(obj(e).title) ?? str(obj(e).message) ?? 'unknown error' })),
        });
      }
    }
  }
  // Several messages of one delivery land in the order they were written.
  out.messages.sort((a, b) => a.at.getTime() - b.at.getTime());
  return out;
}

function timeOf(v: unknown): Date {
  const n = Number(str(v));
  return Number.isFinite(n) && n > 0 ? new Date(n * 1000) : new Date(Number.NaN);
}

function parseMessage(m: Obj, names: Map<string, string>): WaMessage | null {
  const wamid = str(m.id);
  const waId = str(m.from);
  if (!wamid || !waId) return null;
  const type = str(m.type) ?? 'unknown';
  const base = { wamid, waId, profileName: names.get(waId) ?? null, at: timeOf(m.timestamp), type };
  const { role, text, media } = describe(type, m);
  return { ...base, role, text: text.slice(0, MAX_TEXT), media };
}

function describe(type: string, m: Obj): { role: WaMessageRole; text: string; media: WaMedia | null } {
  const body = obj(m[type]);
  switch (type) {
    case 'text':
      return { role: 'CONTENT', text: str(body.body) ?? '[Pesan teks kosong]', media: null };
    case 'image':
    case 'audio':
    case 'video':
    case 'document':
    case 'sticker': {
      const kind = type;
      const mediaId = str(body.id);
      const filename = str(body.filename);
      const caption = str(body.caption);
      const label = `[${MEDIA_LABEL[kind]}${filename ? ` "${filename}"` : ''} diterima melalui WhatsApp]`;
      const media = mediaId ? { mediaId, kind, mimeType: str(body.mime_type), sha256: str(body.sha256), filename } : null;
      // A sticker says nothing an officer can act on: it only joins a known conversation.
      return { role: kind === 'sticker' ? 'NOTE' : 'CONTENT', text: caption ? `${caption}\n\n${label}` : label, media };
    }
    case 'location': {
      const lat = str(body.latitude);
      const lon = str(body.longitude);
      const place = [str(body.name), str(body.address)].filter(Boolean).join(', ');
      return { role: 'CONTENT', text: `[Lokasi dibagikan: ${place ? `${place} ` : ''}(${lat ?? '?'}, ${lon ?? '?'})${lat && lon ? ` https://maps.google.com/?q=${lat},${lon}` : ''}]`, media: null };
    }
    case 'contacts': {
      const people = arr(m.contacts).map((c) => {
        const name = str(obj(obj(c).name).formatted_name) ?? 'tanpa nama';
        const phones = arr(obj(c).phones).map((p) => str(obj(p).phone)).filter(Boolean);
        return phones.length ? `${name} (${phones.join(', ')})` : name;
      });
      return { role: 'CONTENT', text: `[Kontak dibagikan: ${people.join('; ') || 'kosong'}]`, media: null };
    }
    case 'interactive': {
      const kind = str(body.type);
      const reply = obj(kind ? body[kind] : undefined);
      const title = str(reply.title) ?? str(reply.id) ?? '';
      return { role: 'CONTENT', text: `[Pilihan dijawab: ${title}${str(reply.description) ? ` — ${str(reply.description)}` : ''}]`, media: null };
    }
    case 'button':
      return { role: 'CONTENT', text: `[Tombol dipilih: ${str(body.text) ?? str(body.payload) ?? ''}]`, media: null };
    case 'reaction':
      return { role: 'NOTE', text: str(body.emoji) ? `[Reaksi ${str(body.emoji)} pada pesan WhatsApp]` : '[Reaksi pada pesan WhatsApp dihapus]', media: null };
    case 'order': {
      const items = arr(body.product_items).length;
      return { role: 'NOTE', text: `[Pesanan katalog WhatsApp diterima (${items} barang); Loket tidak memakai katalog]${str(body.text) ? `\n\n${str(body.text)}` : ''}`, media: null };
    }
    case 'system':
      return { role: 'NOTE', text: `[Pemberitahuan sistem WhatsApp: ${str(body.body) ?? str(body.type) ?? 'tanpa keterangan'}]`, media: null };
    default: {
      const errors = arr(m.errors).map((e) => `${str(obj(e).code) ?? '?'}: ${str(obj(e).title) ?? str(obj(e).message) ?? ''}`);
      return {
        role: 'CONTENT',
        text: `[Pesan WhatsApp jenis "${type}" diterima tetapi tidak dapat ditampilkan${errors.length ? ` (${errors.join('; ')})` : ''}; mohon minta pengirim mengirim ulang sebagai teks atau foto]`,
        media: null,
      };
    }
  }
}

/** A reference number written in a message (`ADU-2026-000123`), in canonical form, or null. */
export function referenceInText(text: string): string | null {
  const m = /\b(ADU|PDI)-(\d{4})-(\d{6,})\b/i.exec(text);
  return m ? `${m[1].toUpperCase()}-${m[2]}-${m[3].replace(/^0+(?=\d{6})/, '')}` : null;
}

/** The sender's number as Loket keeps phone numbers (+62...). */
export function phoneOfWaId(waId: string): string {
  return `+${waId.replace(/\D/g, '')}`;
}
