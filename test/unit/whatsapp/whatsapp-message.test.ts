import { parseWebhook, phoneOfWaId, referenceInText } from '../../../src/domain/whatsapp/whatsapp-message';
import { delivery, everyType, statusDelivery } from '../../fixtures/whatsapp/webhook-payloads';

const AT = new Date('2026-12-01T03:00:00Z');
const FROM = '6281234567890';

/** The one message of a delivery of `m` from FROM. */
function one(m: Record<string, unknown>) {
  const d = parseWebhook(delivery(FROM, 'Siti Aminah', [m]));
  expect(d.messages).toHaveLength(1);
  return d.messages[0];
}

describe('WhatsApp webhook payloads -> what the core reads', () => {
  const all = everyType(AT);

  it('reads sender, profile name, time, wamid and the phone number id', () => {
    const d = parseWebhook(delivery(FROM, 'Siti Aminah', [all.text]));
    expect(d.phoneNumberIds).toEqual(['106540352242922']);
    expect(d.messages[0]).toMatchObject({ wamid: all.text.id, waId: FROM, profileName: 'Siti Aminah', at: AT, type: 'text', role: 'CONTENT', text: 'Bantuan sosial belum diterima', media: null });
  });

  // Each type: its role (CONTENT makes or joins a case, NOTE only joins a known one) and what the officer reads.
  const expected: [string, 'CONTENT' | 'NOTE', RegExp][] = [
    ['text', 'CONTENT', /^Bantuan sosial belum diterima$/],
    ['image', 'CONTENT', /^Foto rumah\n\n\[Foto diterima melalui WhatsApp\]$/],
    ['audio', 'CONTENT', /^\[Pesan suara\/audio diterima melalui WhatsApp\]$/],
    ['video', 'CONTENT', /^\[Video diterima melalui WhatsApp\]$/],
    ['document', 'CONTENT', /^Surat\n\n\[Dokumen "surat\.pdf" diterima melalui WhatsApp\]$/],
    ['sticker', 'NOTE', /^\[Stiker diterima melalui WhatsApp\]$/],
    ['location', 'CONTENT', /^\[Lokasi dibagikan: Kantor Gubernur, Jl\. A\. Yani \(-0\.0263, 109\.3425\) https:\/\/maps\.google\.com\/\?q=-0\.0263,109\.3425\]$/],
    ['contacts', 'CONTENT', /^\[Kontak dibagikan: Pak RT \(\+62 811 000\)\]$/],
    ['button_reply', 'CONTENT', /^\[Pilihan dijawab: Ya\]$/],
    ['list_reply', 'CONTENT', /^\[Pilihan dijawab: Bansos — Bantuan sosial\]$/],
    ['button', 'CONTENT', /^\[Tombol dipilih: Cek status\]$/],
    ['reaction', 'NOTE', /^\[Reaksi 👍 pada pesan WhatsApp\]$/],
    ['order', 'NOTE', /^\[Pesanan katalog WhatsApp diterima \(1 barang\); Loket tidak memakai katalog\]\n\npesan$/],
    ['system', 'NOTE', /^\[Pemberitahuan sistem WhatsApp: User A changed from 62811 to 62812\]$/],
    ['unsupported', 'CONTENT', /^\[Pesan WhatsApp jenis "unsupported" diterima tetapi tidak dapat ditampilkan \(131051: Message type unknown\); mohon minta/],
    ['unknown', 'CONTENT', /^\[Pesan WhatsApp jenis "unknown" diterima tetapi tidak dapat ditampilkan \(131051: Message type unknown\)/],
  ];

  it('covers every fixture type', () => {
    expect(expected.map(([name]) => name).sort()).toEqual(Object.keys(all).sort());
  });

  it.each(expected)('maps %s', (name, role, text) => {
    const m = one(all[name]);
    expect(m.role).toBe(role);
    expect(m.text).toMatch(text);
  });

  it('keeps the media of image, audio, video, document and sticker for the download', () => {
    expect(one(all.image).media).toEqual({ mediaId: 'media-img-x', kind: 'image', mimeType: 'image/jpeg', sha256: 'abc', filename: null });
    expect(one(all.audio).media).toMatchObject({ mediaId: 'media-aud-x', kind: 'audio', mimeType: 'audio/ogg; codecs=opus' });
    expect(one(all.video).media).toMatchObject({ mediaId: 'media-vid-x', kind: 'video' });
    expect(one(all.document).media).toEqual({ mediaId: 'media-doc-x', kind: 'document', mimeType: 'application/pdf', sha256: 'abc', filename: 'surat.pdf' });
    expect(one(all.sticker).media).toMatchObject({ mediaId: 'media-stk-x', kind: 'sticker' });
    for (const name of ['text', 'location', 'contacts', 'button_reply', 'button', 'reaction', 'order', 'system', 'unsupported']) expect(one(all[name]).media).toBeNull();
    // A media message without an id is still a message (no download).
    expect(one({ id: 'wamid.X1', timestamp: '1', type: 'image', image: { caption: 'tanpa id' } })).toMatchObject({ role: 'CONTENT', media: null });
  });

  it('describes edge shapes instead of failing: empty text, removed reaction, location without name, interactive by id', () => {
    expect(one({ id: 'wamid.E1', timestamp: '1', type: 'text', text: {} }).text).toBe('[Pesan teks kosong]');
    expect(one({ id: 'wamid.E2', timestamp: '1', type: 'reaction', reaction: { message_id: 'wamid.OUT', emoji: '' } }).text).toBe('[Reaksi pada pesan WhatsApp dihapus]');
    expect(one({ id: 'wamid.E3', timestamp: '1', type: 'location', location: {} }).text).toBe('[Lokasi dibagikan: (?, ?)]');
    expect(one({ id: 'wamid.E4', timestamp: '1', type: 'interactive', interactive: { type: 'nfm_reply', nfm_reply: { id: 'flow-1' } } }).text).toBe('[Pilihan dijawab: flow-1]');
    expect(one({ id: 'wamid.E5', timestamp: '1', type: 'contacts', contacts: [] }).text).toBe('[Kontak dibagikan: kosong]');
    expect(one({ id: 'wamid.E6', timestamp: '1', type: 'brand_new_type', brand_new_type: {} }).text).toMatch(/jenis "brand_new_type"/);
    expect(one({ id: 'wamid.E7', timestamp: '1', type: 'text', text: { body: 'x'.repeat(30_000) } }).text).toHaveLength(19_000);
  });

  it('orders the messages of one delivery by their time, and skips a message without id or sender', () => {
    const later = { ...all.text, id: 'wamid.LATE', timestamp: String(AT.getTime() / 1000 + 5) };
    const earlier = { ...all.image, id: 'wamid.EARLY', timestamp: String(AT.getTime() / 1000) };
    const d = parseWebhook(delivery(FROM, 'A', [later, earlier, { timestamp: '1', type: 'text', text: { body: 'no id' } }]));
    expect(d.messages.map((m) => m.wamid)).toEqual(['wamid.EARLY', 'wamid.LATE']);
    const noSender = parseWebhook({ entry: [{ changes: [{ value: { messages: [{ id: 'wamid.NOFROM', type: 'text', text: { body: 'x' } }] } }] }] });
    expect(noSender.messages).toEqual([]);
  });

  it('reads status callbacks with their errors', () => {
    const d = parseWebhook(statusDelivery([
      { id: 'wamid.OUT1', status: 'delivered', timestamp: String(AT.getTime() / 1000), recipient_id: FROM },
      { id: 'wamid.OUT2', status: 'failed', timestamp: String(AT.getTime() / 1000), errors: [{ code: 131047, title: 'Re-engagement message' }, { message: 'no title' }] },
      { status: 'read' },
    ]));
    expect(d.messages).toEqual([]);
    expect(d.statuses).toEqual([
      { wamid: 'wamid.OUT1', status: 'delivered', at: AT, errors: [] },
      { wamid: 'wamid.OUT2', status: 'failed', at: AT, errors: [{ code: 131047, title: 'Re-engagement message' }, { code: null, title: 'no title' }] },
    ]);
  });

  it('never throws on a body that is not a webhook', () => {
    for (const body of [null, undefined, 'text', 42, [], {}, { entry: 'x' }, { entry: [{ changes: [null, { value: 'x' }] }] }]) {
      expect(parseWebhook(body)).toEqual({ phoneNumberIds: [], messages: [], statuses: [] });
    }
    expect(one({ id: 'wamid.T', type: 'text', text: { body: 'no time' } }).at.getTime()).toBeNaN();
  });
});

describe('reference numbers and numbers', () => {
  it('finds a reference in the text in canonical form', () => {
    expect(referenceInText('Menanyakan ADU-2026-000123 mohon info')).toBe('ADU-2026-000123');
    expect(referenceInText('nomor adu-2026-000123.')).toBe('ADU-2026-000123');
    expect(referenceInText('PDI-2027-000001')).toBe('PDI-2027-000001');
    expect(referenceInText('ADU-2026-0000123')).toBe('ADU-2026-000123');
    expect(referenceInText('ADU-2026-1234567')).toBe('ADU-2026-1234567');
    expect(referenceInText('ADU-2026-12345 terlalu pendek')).toBeNull();
    expect(referenceInText('XADU-2026-000123')).toBeNull();
    expect(referenceInText('tanpa nomor')).toBeNull();
  });

  it('keeps the sender as +<digits>', () => {
    expect(phoneOfWaId('6285828735503')).toBe('+6285828735503');
  });
});
