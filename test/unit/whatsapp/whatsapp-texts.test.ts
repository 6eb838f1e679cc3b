import { MAX_WHATSAPP_TEXT, planAnswer, whatsappAcknowledgement, whatsappAnswer } from '../../../src/domain/whatsapp/whatsapp-texts';

const STATUS = 'https://loket.example.id/status';
const NOW = new Date('2026-12-01T03:00:00Z');
const HOUR = 3_600_000;
const TEMPLATE = { name: 'jawaban_tersedia', language: 'id' };
const CASE = { reference: 'ADU-2026-000123', accessCode: 'K7QM3XPA', kind: 'COMPLAINT' as const, dueAt: new Date('2026-12-08T10:00:00Z') };

describe('WhatsApp acknowledgement (Bahasa Indonesia)', () => {
  const text = whatsappAcknowledgement(CASE, STATUS);

  it('names the reference, the access code, what happens next and the deadline in WIB', () => {
    expect(text).toContain('Pengaduan Anda telah kami terima dan dicatat dengan nomor registrasi *ADU-2026-000123*');
    expect(text).toContain('Kode akses: *K7QM-3XPA*');
    expect(text).toContain('kami periksa dan teruskan kepada tim yang menanganinya');
    // 10:00 UTC is 17.00 in Pontianak (WIB, UTC+7).
    expect(text).toContain('paling lambat Selasa, 8 Desember 2026 pukul 17.00 WIB');
    expect(text).toContain(`${STATUS} dengan nomor registrasi dan kode akses`);
    expect(text).toContain('Layanan ini tidak dipungut biaya.');
    expect(text.length).toBeLessThanOrEqual(MAX_WHATSAPP_TEXT);
  });

  it('without a deadline yet, and for an information request', () => {
    const info = whatsappAcknowledgement({ ...CASE, kind: 'INFORMATION_REQUEST', reference: 'PDI-2026-000009', dueAt: null }, STATUS);
    expect(info).toContain('Permintaan data dan informasi Anda telah kami terima');
    expect(info).toContain('sesuai jangka waktu dalam Standar Pelayanan setelah persyaratannya lengkap');
    expect(info).not.toContain('WIB');
  });
});

describe('WhatsApp answers: the 24-hour customer-service window', () => {
  const plan = (lastInboundAt: Date | null) => planAnswer(CASE, 'Bantuan cair bulan Januari.', lastInboundAt, NOW, TEMPLATE, STATUS);

  it('inside the window: free text with the reference and the answer', () => {
    const p = plan(new Date(NOW.getTime() - 24 * HOUR + 1));
    expect(p.kind).toBe('TEXT');
    expect(p.kind === 'TEXT' && p.text).toMatch(/^Jawaban atas pengaduan Anda nomor ADU-2026-000123:\n\nBantuan cair bulan Januari\./);
  });

  it('at 24 hours, long after, or never written: the template with the reference, the full answer held for the reply', () => {
    for (const last of [new Date(NOW.getTime() - 24 * HOUR), new Date(NOW.getTime() - 40 * 24 * HOUR), null]) {
      const p = plan(last);
      expect(p).toEqual({
        kind: 'TEMPLATE',
        template: { name: 'jawaban_tersedia', language: 'id', parameters: ['ADU-2026-000123'] },
        followUp: whatsappAnswer(CASE, 'Bantuan cair bulan Januari.', STATUS),
      });
    }
  });

  it('cuts an answer over WhatsApp\'s limit with a note where the full answer is', () => {
    const long = whatsappAnswer(CASE, 'a'.repeat(10_000), STATUS);
    expect(long.length).toBeLessThanOrEqual(MAX_WHATSAPP_TEXT);
    expect(long).toContain(`jawaban lengkap dapat dilihat di ${STATUS}`);
    expect(long.endsWith('Sekretariat Daerah Provinsi Kalimantan Barat')).toBe(true);
    expect(whatsappAnswer(CASE, 'pendek', STATUS)).not.toContain('dipotong');
  });
});
