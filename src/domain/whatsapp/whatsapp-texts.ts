import { formatAccessCode } from '../case/access-code';
import { CaseProps } from '../case/case';
import { formatOfficeTime } from '../notifications/mail-texts';

/** WhatsApp refuses a text body over 4096 characters. */
export const MAX_WHATSAPP_TEXT = 4096;
const KIND_TEXT = { COMPLAINT: 'pengaduan', INFORMATION_REQUEST: 'permintaan data dan informasi' } as const;
const SIGNATURE = 'Biro Kesejahteraan Rakyat\nSekretariat Daerah Provinsi Kalimantan Barat';

/**
 * The acknowledgement of a new case sent by WhatsApp, in Bahasa Indonesia: the reference, the
 * access code for the status page, what happens next and the deadline in WIB.
 */
export function whatsappAcknowledgement(c: Pick<CaseProps, 'reference' | 'accessCode' | 'kind' | 'dueAt'>, statusPageUrl: string): string {
  const kind = KIND_TEXT[c.kind];
  const due = c.dueAt
    ? `Kami akan menanggapinya paling lambat ${formatOfficeTime(c.dueAt)}. Bila perlu pemeriksaan lebih lanjut, jangka waktunya dapat disesuaikan dan Anda akan kami kabari.`
    : 'Kami akan menanggapinya sesuai jangka waktu dalam Standar Pelayanan setelah persyaratannya lengkap.';
  return [
    `Terima kasih. ${kind.charAt(0).toUpperCase()}${kind.slice(1)} Anda telah kami terima dan dicatat dengan nomor registrasi *${c.reference}*.`,
    `Kode akses: *${formatAccessCode(c.accessCode)}*`,
    '',
    `Selanjutnya ${kind} Anda kami periksa dan teruskan kepada tim yang menanganinya. ${due}`,
    '',
    `Status dapat dilihat kapan saja di ${statusPageUrl} dengan nomor registrasi dan kode akses di atas. Keterangan atau foto tambahan cukup dikirim sebagai balasan di percakapan ini.`,
    '',
    'Layanan ini tidak dipungut biaya.',
    '',
    SIGNATURE,
  ].join('\n');
}

/** The answer as a WhatsApp text; a text over WhatsApp's limit is cut with a note where the rest is. */
export function whatsappAnswer(c: Pick<CaseProps, 'reference' | 'kind'>, answer: string, statusPageUrl: string): string {
  const head = `Jawaban atas ${KIND_TEXT[c.kind]} Anda nomor ${c.reference}:\n\n`;
  const tail = `\n\n${SIGNATURE}`;
  const room = MAX_WHATSAPP_TEXT - head.length - tail.length;
  const cut = `\n\n[Jawaban terlalu panjang untuk WhatsApp dan dipotong di sini; jawaban lengkap dapat dilihat di ${statusPageUrl} atau diminta di kantor kami.]`;
  const body = answer.length <= room ? answer : `${answer.slice(0, room - cut.length)}${cut}`;
  return `${head}${body}${tail}`;
}

/** What the outbox sends for an answer: free text inside the 24-hour window, else the template first. */
export type WhatsAppAnswerPlan =
  | { kind: 'TEXT'; text: string }
  | { kind: 'TEMPLATE'; template: { name: string; language: string; parameters: string[] }; followUp: string };

const WINDOW_MS = 24 * 3600_000;

/**
 * Inside WhatsApp's customer-service window (24 hours since the citizen's last message) the
 * answer goes as text; outside it only an approved template may open the conversation, with the
 * reference as its parameter, and the full answer follows when the citizen replies.
 */
export function planAnswer(
  c: Pick<CaseProps, 'reference' | 'kind'>,
  answer: string,
  lastInboundAt: Date | null,
  now: Date,
  template: { name: string; language: string },
  statusPageUrl: string,
): WhatsAppAnswerPlan {
  const text = whatsappAnswer(c, answer, statusPageUrl);
  if (lastInboundAt && now.getTime() - lastInboundAt.getTime() < WINDOW_MS) return { kind: 'TEXT', text };
  return { kind: 'TEMPLATE', template: { ...template, parameters: [c.reference] }, followUp: text };
}
