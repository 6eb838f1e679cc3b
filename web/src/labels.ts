import type { CaseKind, CaseStatus, Channel, ComplaintClass, DeadlineState, DeliveryMethod, PauseReason, Role, TimelineEventType } from './gql/graphql';

export const KIND: Record<CaseKind, string> = { COMPLAINT: 'Pengaduan', INFORMATION_REQUEST: 'Permintaan informasi' };

export const CHANNEL: Record<Channel, string> = {
  WALK_IN: 'Datang langsung',
  COMPLAINT_BOX: 'Kotak pengaduan',
  WHATSAPP: 'WhatsApp',
  PHONE: 'Telepon',
  FAX: 'Faks',
  EMAIL: 'Surel',
  LAPOR: 'SP4N-LAPOR!',
};

export const STATUS: Record<CaseStatus, string> = {
  INCOMPLETE: 'Belum lengkap',
  RECEIVED: 'Diterima',
  IN_PROGRESS: 'Sedang diproses',
  ANSWERED: 'Sudah dijawab',
  CLOSED: 'Ditutup',
  REJECTED: 'Ditolak',
  MERGED: 'Digabungkan',
  WAITING: 'Ditunda (menunggu)',
};

export const CLASS: Record<ComplaintClass, string> = {
  LIGHT: 'Ringan (3 jam kerja)',
  NORMATIVE: 'Normatif (5 hari kerja)',
  NON_SUPERVISORY: 'Non-pengawasan (14 hari kerja)',
  SUPERVISORY: 'Pengawasan (60 hari kerja)',
};

export const DEADLINE: Record<DeadlineState, string> = {
  ON_TRACK: 'Sesuai jadwal',
  AT_RISK: 'Hampir jatuh tempo',
  BREACHED: 'Lewat batas waktu',
  PAUSED: 'Ditunda',
  NONE: 'Tanpa batas waktu',
};

export const DELIVERY: Record<DeliveryMethod, string> = {
  IN_PERSON: 'Langsung',
  LETTER: 'Surat',
  EMAIL: 'Surel',
  WHATSAPP: 'WhatsApp',
  PHONE: 'Telepon',
  FAX: 'Faks',
  LAPOR: 'SP4N-LAPOR!',
};

/** The delivery that matches the channel a case came from. */
export const DELIVERY_FOR_CHANNEL: Record<Channel, DeliveryMethod> = {
  WALK_IN: 'IN_PERSON',
  COMPLAINT_BOX: 'LETTER',
  WHATSAPP: 'WHATSAPP',
  PHONE: 'PHONE',
  FAX: 'FAX',
  EMAIL: 'EMAIL',
  LAPOR: 'LAPOR',
};

export const PAUSE: Record<PauseReason, string> = {
  WAITING_FOR_REQUESTER: 'Menunggu pemohon',
  WAITING_FOR_THIRD_PARTY: 'Menunggu pihak ketiga',
};

export const REJECTION: Record<'OUT_OF_AUTHORITY' | 'SPAM' | 'WITHDRAWN', string> = {
  OUT_OF_AUTHORITY: 'Bukan kewenangan biro',
  SPAM: 'Spam',
  WITHDRAWN: 'Ditarik pemohon',
};

export const ROLE: Record<Role, string> = {
  CLERK: 'Petugas loket',
  COMPLAINT_OFFICER: 'Petugas pengaduan',
  HANDLER: 'Tim penanganan',
  SUPERVISOR: 'Supervisor',
  ADMIN: 'Administrator',
  INTEGRATION: 'Integrasi',
};

export const NON_WORKING: Record<'NATIONAL_HOLIDAY' | 'CUTI_BERSAMA', string> = { NATIONAL_HOLIDAY: 'Libur nasional', CUTI_BERSAMA: 'Cuti bersama' };

export const EVENT: Record<TimelineEventType, string> = {
  CASE_CREATED: 'Kasus dicatat',
  STATUS_CHANGED: 'Status berubah',
  COMPLAINT_CLASSIFIED: 'Pengaduan diklasifikasikan',
  DEADLINE_CHANGED: 'Batas waktu berubah',
  DEADLINE_MOVED: 'Batas waktu bergeser (kalender)',
  REQUIREMENTS_UPDATED: 'Persyaratan diperbarui',
  ASSIGNED: 'Ditugaskan',
  NOTE_ADDED: 'Catatan',
  ANSWER_DRAFTED: 'Konsep jawaban ditulis',
  ANSWERED: 'Dijawab',
  REJECTED: 'Ditolak',
  MERGED_INTO: 'Digabungkan ke kasus lain',
  MERGED_FROM: 'Kasus lain digabungkan ke sini',
  DUPLICATE_INTAKE: 'Masukan ganda',
  IDENTITY_ERASED: 'Identitas dihapus',
  INCOMING_MESSAGE: 'Pesan masuk',
  MAIL_SENT: 'Surel terkirim',
  DELIVERY_FAILED: 'Pengiriman gagal',
  MESSAGE_STATUS: 'Status pesan',
  CASE_PAUSED: 'Ditunda',
  CASE_RESUMED: 'Dilanjutkan',
  SLA_WARNING: 'Peringatan batas waktu',
  SLA_BREACHED: 'Batas waktu terlewati',
  LAPOR_FOLLOW_UP_QUEUED: 'Tindak lanjut LAPOR! diantrekan',
  LAPOR_FOLLOW_UP: 'Tindak lanjut LAPOR!',
  LAPOR_FOLLOW_UP_FAILED: 'Tindak lanjut LAPOR! gagal',
  LAPOR_FOLLOW_UP_WARNING: 'Peringatan tindak lanjut LAPOR!',
  LAPOR_FOLLOW_UP_BREACHED: 'Tindak lanjut LAPOR! terlambat',
  LAPOR_CLOSED: 'Laporan LAPOR! ditutup',
  LAPOR_REPORT_CHANGED: 'Laporan diubah di LAPOR!',
  LAPOR_STATUS_POSTED: 'Status dikirim ke LAPOR!',
};

/** ISO weekday (1 = Senin .. 7 = Minggu). */
export const WEEKDAY = ['', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu', 'Minggu'];
