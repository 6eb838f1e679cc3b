/**
 * THE SP4N-LAPOR! WIRE FORMAT — A BEST GUESS, TO BE CONFIRMED AGAINST THE DEVELOPER DOCUMENTATION.
 *
 * LAPOR!'s integration API is documented only to accounts with the developer role. What is
 * public: the older public API took the token as a KEYTOKEN parameter and spoke JSON, and a
 * report's public page is lapor.go.id/pengaduan/<TrackingID>. Everything else here (paths,
 * field names, status words, the envelope) is a guess. Correcting it is this one file: the
 * gateway (lapor-http.gateway.ts) and the test's fake server (test/support/lapor) both read it.
 *
 * An unknown field is treated as a changed format (the channel goes into its error state) rather
 * than silently ignored; a report missing what Loket needs is quarantined.
 */

/** The token as a query parameter, as the older public API took it (KEYTOKEN). */
export const TOKEN_PARAM = 'keytoken';

export const PATHS = {
  /** GET ?since=<cursor>: reports dispositioned to (or changed for) this agency. */
  dispositions: '/api/v1/disposisi',
  /** GET: one report with attachments and the reporter's replies. */
  report: (trackingId: string) => `/api/v1/laporan/${encodeURIComponent(trackingId)}`,
  /** POST: a follow-up (tindak lanjut). */
  followUp: (trackingId: string) => `/api/v1/laporan/${encodeURIComponent(trackingId)}/tindak-lanjut`,
  /** POST { status } (WireStatusRequest): the report's status as the agency sets it. TO BE CONFIRMED: path, body and answer. */
  status: (trackingId: string) => `/api/v1/laporan/${encodeURIComponent(trackingId)}/status`,
} as const;

/** Every answer is `{ status: 'success' | 'error', message?, data }`. */
export interface WireEnvelope<T> {
  status: 'success' | 'error';
  message?: string;
  data: T;
}

export interface WireDispositionList {
  items: { tracking_id: string; updated_at: string }[];
  next_cursor: string | null;
}

export interface WireAttachment {
  nama: string;
  tipe: string;
  /** Base64 of the bytes. */
  isi_base64: string;
}

export interface WireReply {
  id: string;
  tanggal: string;
  isi: string;
  lampiran: WireAttachment[];
}

export interface WireReporter {
  nama: string | null;
  email: string | null;
  telepon: string | null;
  nik: string | null;
  alamat: string | null;
}

/** LAPOR!'s status words (guessed). */
export const WIRE_STATUS = { open: ['Didisposisikan', 'Diproses', 'Ditindaklanjuti'], closed: ['Selesai', 'Ditutup'] } as const;

export interface WireReport {
  tracking_id: string;
  tanggal_laporan: string;
  tanggal_disposisi: string;
  judul: string;
  isi: string | null;
  rahasia: boolean;
  anonim: boolean;
  /** null when anonim. */
  pelapor: WireReporter | null;
  lampiran: WireAttachment[];
  tanggapan: WireReply[];
  status: string;
}

export interface WireFollowUpRequest {
  /** Loket's id of the follow-up, so a repeat can be refused (to be confirmed that LAPOR! does). */
  ref: string;
  isi: string;
  lampiran: WireAttachment[];
}

export interface WireFollowUpResult {
  id: string;
  status: string;
}

/**
 * Status words the agency sets (TO BE CONFIRMED): Loket posts IN_PROGRESS once when the case is
 * first worked (assigned, or answered straight away) and FINISHED when it is answered.
 */
export const WIRE_AGENCY_STATUS = { IN_PROGRESS: 'Diproses', FINISHED: 'Selesai' } as const;

/** The body of a status post (to be confirmed); the answer's `data` is not read. */
export interface WireStatusRequest {
  status: (typeof WIRE_AGENCY_STATUS)[keyof typeof WIRE_AGENCY_STATUS];
}

export const KNOWN_FIELDS = {
  envelope: ['status', 'message', 'data'],
  dispositionList: ['items', 'next_cursor'],
  disposition: ['tracking_id', 'updated_at'],
  report: ['tracking_id', 'tanggal_laporan', 'tanggal_disposisi', 'judul', 'isi', 'rahasia', 'anonim', 'pelapor', 'lampiran', 'tanggapan', 'status'],
  reporter: ['nama', 'email', 'telepon', 'nik', 'alamat'],
  attachment: ['nama', 'tipe', 'isi_base64'],
  reply: ['id', 'tanggal', 'isi', 'lampiran'],
  followUpResult: ['id', 'status'],
} as const;
