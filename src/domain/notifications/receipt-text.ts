import { formatAccessCode } from '../case/access-code';
import { CaseProps } from '../case/case';
import { KIND_TEXT as KIND } from '../case/case-status-text';
import { missingRequirements, Requirements } from '../case/requirements';
import { OfficeHoursSlot } from '../sla/working-calendar';
import { formatOfficeTime } from './mail-texts';
import { OFFICE_ADDRESS, officeHoursLines } from './office-info';
const REQUIREMENT = {
  assignmentLetter: 'Surat tugas',
  requestLetter: 'Surat permintaan data, laporan, informasi',
  identityDocument: 'Tanda pengenal/identitas',
} as const satisfies Record<keyof Requirements, string>;

/** What a printed receipt says, section by section; the PDF adapter only lays it out. */
export interface ReceiptContent {
  title: string;
  office: string[];
  rows: { label: string; value: string }[];
  sections: { heading: string; lines: string[] }[];
  footer: string[];
}

/** What the receipt says beyond the case: the status lookup and the office. */
export interface ReceiptExtras {
  /** Printed only when the caller may read it (see mayReadAccessCode). */
  showAccessCode: boolean;
  /** `${LOKET_PUBLIC_URL}/status`. */
  statusPageUrl: string;
  /** From the working calendar: the standard itself names no hours. */
  officeHours: { slots: readonly OfficeHoursSlot[]; timeZone: string };
}

/**
 * The receipt (Tanda Terima) handed to the visitor, in Bahasa Indonesia. The requester's name is
 * printed only when the caller may see the identity (`showIdentity`), the access code only when
 * the caller may read it.
 */
export function receiptContent(c: CaseProps, showIdentity: boolean, printedAt: Date, extras: ReceiptExtras): ReceiptContent {
  const rows = [
    { label: 'Nomor registrasi', value: c.reference },
    ...(extras.showAccessCode ? [{ label: 'Kode akses', value: formatAccessCode(c.accessCode) }] : []),
    { label: 'Jenis layanan', value: KIND[c.kind] },
    { label: 'Perihal', value: c.subject },
    { label: 'Diterima', value: formatOfficeTime(c.receivedAt) },
  ];
  if (showIdentity && c.requester) {
    const who = [c.requester.name, c.requester.organization].filter(Boolean).join(', ');
    if (who) rows.push({ label: 'Pemohon', value: who });
  }
  rows.push({ label: 'Batas waktu penyelesaian', value: c.dueAt ? formatOfficeTime(c.dueAt) : 'dihitung setelah persyaratan lengkap' });
  const sections: ReceiptContent['sections'] = [];
  if (c.requirements) {
    const missing = missingRequirements(c.requirements);
    const received = (Object.keys(REQUIREMENT) as (keyof Requirements)[]).filter((k) => c.requirements?.[k]);
    sections.push({ heading: 'Yang telah diterima', lines: received.length ? received.map((k) => `- ${REQUIREMENT[k]}`) : ['- (belum ada)'] });
    sections.push({ heading: 'Persyaratan yang belum lengkap', lines: missing.length ? missing.map((k) => `- ${REQUIREMENT[k]}`) : ['- Tidak ada; persyaratan lengkap'] });
  } else {
    sections.push({ heading: 'Yang telah diterima', lines: [`- ${KIND[c.kind]} dengan perihal di atas`] });
  }
  sections.push({
    heading: 'Menanyakan perkembangan',
    lines: [
      ...(extras.showAccessCode ? [`Lihat status di ${extras.statusPageUrl} dengan nomor registrasi dan kode akses di atas, atau`] : []),
      `Sebutkan nomor registrasi ${c.reference} melalui:`,
      '- WhatsApp 085828735503',
      '- Telepon (0561) 736541 ext. 126',
      '- Email kesra@kalbarprov.go.id',
    ],
  });
  sections.push({
    heading: 'Alamat dan jam layanan',
    lines: [OFFICE_ADDRESS, 'Jam layanan:', ...officeHoursLines(extras.officeHours.slots, extras.officeHours.timeZone).map((l) => `- ${l}`)],
  });
  return {
    title: 'Tanda Terima',
    office: ['Biro Kesejahteraan Rakyat', 'Sekretariat Daerah Provinsi Kalimantan Barat'],
    rows,
    sections,
    footer: ['Layanan ini tidak dipungut biaya.', `Dicetak ${formatOfficeTime(printedAt)}`],
  };
}
