import { formatAccessCode } from '../case/access-code';
import { CaseProps } from '../case/case';

const DATE = new Intl.DateTimeFormat('id-ID', {
  timeZone: 'Asia/Pontianak',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** A time as people in Pontianak read it, e.g. "Senin, 30 November 2026 pukul 10.30 WIB". */
export function formatOfficeTime(at: Date): string {
  const parts = Object.fromEntries(DATE.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.weekday}, ${parts.day} ${parts.month} ${parts.year} pukul ${parts.hour}.${parts.minute} WIB`;
}

const KIND_TEXT = { COMPLAINT: 'pengaduan', INFORMATION_REQUEST: 'permintaan data dan informasi' } as const;

/** The acknowledgement of a new case, in Bahasa Indonesia, with the access code for the status page. */
export function acknowledgementMail(
  c: Pick<CaseProps, 'reference' | 'accessCode' | 'kind' | 'subject' | 'dueAt' | 'requester'>,
  statusPageUrl: string,
): { subject: string; text: string } {
  const kind = KIND_TEXT[c.kind];
  const greeting = c.requester?.name ? `Yth. ${c.requester.name},` : 'Yth. Bapak/Ibu,';
  const due = c.dueAt
    ? `Kami akan menanggapinya paling lambat ${formatOfficeTime(c.dueAt)}. Bila ${kind} Anda perlu pemeriksaan lebih lanjut, jangka waktunya dapat disesuaikan dan Anda akan kami kabari.`
    : 'Kami akan menanggapinya sesuai jangka waktu dalam Standar Pelayanan setelah persyaratannya lengkap.';
  return {
    subject: `[${c.reference}] ${kind.charAt(0).toUpperCase()}${kind.slice(1)} Anda telah kami terima`,
    text: [
      greeting,
      '',
      `Terima kasih. ${kind.charAt(0).toUpperCase()}${kind.slice(1)} Anda dengan perihal "${c.subject}" telah kami terima dan dicatat dengan nomor registrasi ${c.reference}.`,
      '',
      due,
      '',
      `Status ${kind} Anda dapat dilihat kapan saja di ${statusPageUrl} dengan nomor registrasi ${c.reference} dan kode akses ${formatAccessCode(c.accessCode)}.`,
      '',
      `Untuk menanyakan perkembangannya, balas email ini tanpa mengubah nomor registrasi di subjek, atau sebutkan nomor ${c.reference} bila menghubungi kami melalui WhatsApp 085828735503 atau telepon (0561) 736541 ext. 126.`,
      '',
      'Layanan ini tidak dipungut biaya.',
      '',
      'Hormat kami,',
      'Biro Kesejahteraan Rakyat',
      'Sekretariat Daerah Provinsi Kalimantan Barat',
      '',
      'Email ini dikirim otomatis.',
    ].join('\n'),
  };
}

/** The answer to a case, in Bahasa Indonesia, carrying the officer's text. */
export function answerMail(c: Pick<CaseProps, 'reference' | 'subject' | 'requester'>, answer: string): { subject: string; text: string } {
  const greeting = c.requester?.name ? `Yth. ${c.requester.name},` : 'Yth. Bapak/Ibu,';
  return {
    subject: `[${c.reference}] Jawaban atas ${c.subject}`.slice(0, 250),
    text: [
      greeting,
      '',
      `Berikut jawaban kami atas ${c.reference} dengan perihal "${c.subject}":`,
      '',
      answer,
      '',
      'Hormat kami,',
      'Biro Kesejahteraan Rakyat',
      'Sekretariat Daerah Provinsi Kalimantan Barat',
    ].join('\n'),
  };
}
