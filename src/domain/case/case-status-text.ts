import { CaseKind, CaseStatus } from './case-types';

/** Status as a citizen reads it (GET /status, caseStatus, later WhatsApp). */
export const STATUS_TEXT: Readonly<Record<CaseStatus, string>> = {
  INCOMPLETE: 'Menunggu kelengkapan persyaratan',
  RECEIVED: 'Diterima',
  IN_PROGRESS: 'Sedang diproses',
  WAITING: 'Menunggu tanggapan atau kelengkapan dari pelapor atau pihak lain',
  ANSWERED: 'Selesai dijawab',
  CLOSED: 'Selesai',
  REJECTED: 'Tidak dapat diproses',
  MERGED: 'Digabungkan dengan permohonan lain',
};

/** The kinds of service as the standard names them. */
export const KIND_TEXT: Readonly<Record<CaseKind, string>> = {
  COMPLAINT: 'Pengaduan',
  INFORMATION_REQUEST: 'Permintaan Data, Laporan, dan Informasi',
};
