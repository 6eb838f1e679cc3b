import { acknowledgementMail, formatOfficeTime } from '../../../src/domain/notifications/mail-texts';
import { formatOfficeHours, OFFICE_ADDRESS, statusPageUrl } from '../../../src/domain/notifications/office-info';
import { receiptContent, ReceiptExtras } from '../../../src/domain/notifications/receipt-text';
import { DEFAULT_OFFICE_HOURS } from '../../../src/domain/sla/default-calendar';
import { openComplaint } from '../case/builders';

const requester = { name: 'Siti Aminah', nik: null, phone: '+6281234567890', email: 'siti@example.org', address: null, organization: null };
const extras = (over: Partial<ReceiptExtras> = {}): ReceiptExtras => ({
  showAccessCode: true,
  statusPageUrl: 'https://loket.example.go.id/status',
  officeHours: { slots: DEFAULT_OFFICE_HOURS, timeZone: 'Asia/Pontianak' },
  ...over,
});
const allText = (r: ReturnType<typeof receiptContent>): string =>
  [...r.office, ...r.rows.map((x) => `${x.label}: ${x.value}`), ...r.sections.flatMap((s) => [s.heading, ...s.lines]), ...r.footer].join('\n');

describe('texts for citizens', () => {
  it('dates read as in Pontianak', () => {
    expect(formatOfficeTime(new Date('2026-12-07T09:00:00Z'))).toBe('Senin, 7 Desember 2026 pukul 16.00 WIB');
    expect(formatOfficeTime(new Date('2026-12-06T17:05:00Z'))).toBe('Senin, 7 Desember 2026 pukul 00.05 WIB');
  });

  it('office hours from the calendar, days grouped', () => {
    expect(formatOfficeHours(DEFAULT_OFFICE_HOURS, 'Asia/Pontianak')).toBe('Senin s.d. Kamis pukul 07.30–16.00 WIB; Jumat pukul 07.30–16.30 WIB');
    const withBreak = [1, 2].flatMap((weekday) => [{ weekday, start: '13:00', end: '16:00' }, { weekday, start: '07:30', end: '12:00' }]);
    expect(formatOfficeHours(withBreak, 'Asia/Pontianak')).toBe('Senin dan Selasa pukul 07.30–12.00 dan 13.00–16.00 WIB');
    expect(formatOfficeHours([{ weekday: 1, start: '08:00', end: '12:00' }, { weekday: 3, start: '08:00', end: '12:00' }], 'Asia/Makassar')).toBe(
      'Senin pukul 08.00–12.00 WITA; Rabu pukul 08.00–12.00 WITA',
    );
  });

  it('the status page lives under the public address', () => {
    expect(statusPageUrl('http://localhost:4000')).toBe('http://localhost:4000/status');
    expect(statusPageUrl('https://loket.example.go.id/layanan/')).toBe('https://loket.example.go.id/layanan/status');
  });

  it('the receipt carries the access code, the lookup address, the street address and hours', () => {
    const c = openComplaint({ requester, confidential: false }).snapshot();
    const text = allText(receiptContent(c, true, new Date('2026-12-01T03:00:00Z'), extras()));
    expect(text).toContain('Kode akses: K7QM-3XPA');
    expect(text).toContain('https://loket.example.go.id/status');
    expect(text).toContain(OFFICE_ADDRESS);
    expect(OFFICE_ADDRESS).toBe('Jl. Jenderal Ahmad Yani, Bangka Belitung Laut, Kec. Pontianak Tenggara, Kota Pontianak, Kalimantan Barat 78124');
    expect(text).toContain('Jam layanan:\n- Senin s.d. Kamis pukul 07.30–16.00 WIB\n- Jumat pukul 07.30–16.30 WIB');
  });

  it('the receipt leaves the code out for a caller who may not read it', () => {
    const c = openComplaint().snapshot();
    const text = allText(receiptContent(c, false, new Date('2026-12-01T03:00:00Z'), extras({ showAccessCode: false })));
    expect(text).not.toContain('K7QM');
    expect(text).not.toContain('Kode akses');
    expect(text).toContain(OFFICE_ADDRESS);
  });

  it('the acknowledgement names the access code and the status page', () => {
    const c = openComplaint({ requester }).snapshot();
    const mail = acknowledgementMail(c, 'https://loket.example.go.id/status');
    expect(mail.text).toContain('kode akses K7QM-3XPA');
    expect(mail.text).toContain('https://loket.example.go.id/status');
    expect(mail.text).toContain(`nomor registrasi ${c.reference} dan kode akses`);
  });
});
