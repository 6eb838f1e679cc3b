/**
 * Indonesian messages for every `extensions.code` the API and its HTTP routes return, and an
 * Indonesian rendering of GraphQL validation messages and of the `problems` of BAD_USER_INPUT.
 * test/unit/console-error-messages.test.ts checks that every code in src/schema/errors/error-mapping.ts
 * (and of the HTTP routes) has a message here. No DOM, no imports: the jest test loads this file.
 */
export const ERROR_MESSAGES: Record<string, string> = {
  BAD_USER_INPUT: 'Data yang diisi tidak valid.',
  VALIDATION_FAILED: 'Data yang diisi tidak valid.',
  CASE_NOT_FOUND: 'Kasus tidak ditemukan.',
  CASE_STATUS_NOT_FOUND: 'Nomor referensi atau kode akses tidak cocok.',
  INVALID_TRANSITION: 'Perubahan status ini tidak diperbolehkan untuk kasus dalam keadaannya sekarang.',
  REQUIREMENTS_MISSING: 'Persyaratan belum lengkap.',
  IDEMPOTENCY_KEY_REUSED: 'Permintaan ini sudah pernah dikirim dengan isi lain; muat ulang formulir lalu coba lagi.',
  CONCURRENT_MODIFICATION: 'Kasus sedang diubah oleh orang lain; muat ulang lalu coba lagi.',
  CALENDAR_INVALID: 'Kalender kerja tidak valid.',
  UNAUTHENTICATED: 'Sesi Anda berakhir atau tidak berlaku; silakan masuk lagi.',
  FORBIDDEN: 'Anda tidak berwenang melakukan ini.',
  ACCOUNT_LOCKED: 'Akun dikunci sementara karena terlalu banyak percobaan masuk; coba lagi nanti.',
  RATE_LIMITED: 'Terlalu banyak permintaan; tunggu sebentar lalu coba lagi.',
  TEAM_NOT_FOUND: 'Tim tidak ditemukan atau tidak aktif.',
  USER_NOT_FOUND: 'Pegawai tidak ditemukan atau tidak aktif.',
  ASSIGNEE_NOT_IN_TEAM: 'Pegawai ini bukan anggota tim tersebut.',
  NO_DRAFT: 'Belum ada konsep jawaban untuk kasus ini.',
  LAPOR_NOT_CONNECTED: 'API SP4N-LAPOR! belum terhubung; catat tindak lanjut secara manual.',
  SUBSCRIBER_TOO_SLOW: 'Koneksi terlalu lambat untuk pembaruan langsung; halaman menyambung kembali.',
  INTERNAL_SERVER_ERROR: 'Terjadi kesalahan pada server. Sebutkan kode kejadian kepada admin bila berulang.',
  SERVICE_UNAVAILABLE: 'Layanan sedang tidak dapat dijangkau (basis data tidak tersedia); tunggu sebentar lalu coba lagi.',
  GRAPHQL_VALIDATION_FAILED: 'Permintaan ditolak server (tidak sesuai skema atau melewati batas).',
  GRAPHQL_PARSE_FAILED: 'Permintaan tidak dapat dibaca server.',
  PERSISTED_QUERY_NOT_SUPPORTED: 'Permintaan tersimpan tidak didukung.',
  PERSISTED_QUERY_NOT_FOUND: 'Permintaan tersimpan tidak ditemukan.',
  OPERATION_RESOLUTION_FAILURE: 'Operasi yang diminta tidak ditemukan.',
  BAD_REQUEST: 'Permintaan tidak dapat dibaca.',
  PAYLOAD_TOO_LARGE: 'Permintaan terlalu besar.',
  EMPTY_FILE: 'Berkas kosong.',
  FILE_NOT_FOUND: 'Berkas tidak ditemukan.',
  FILE_TOO_LARGE: 'Berkas terlalu besar.',
  UNSUPPORTED_FILE_TYPE: 'Jenis berkas tidak diterima (PDF, JPEG, PNG, TIFF; CSV untuk catatan panggilan).',
  NETWORK_ERROR: 'Tidak dapat menghubungi server. Periksa koneksi jaringan.',
};

/** Why an UNAUTHENTICATED refusal happened (`extensions.reason`). */
export const UNAUTHENTICATED_REASONS: Record<string, string> = {
  BAD_LOGIN: 'Nama pengguna atau kata sandi salah.',
  MISSING: 'Silakan masuk terlebih dahulu.',
  INVALID: 'Sesi Anda tidak berlaku; silakan masuk lagi.',
  EXPIRED: 'Sesi Anda telah berakhir; silakan masuk lagi.',
  REVOKED: 'Sesi Anda telah dicabut; silakan masuk lagi.',
};

/** Field names (input paths, last segments) in Indonesian. */
const FIELD_NAMES: Record<string, string> = {
  subject: 'Perihal',
  description: 'Uraian',
  receivedAt: 'Waktu diterima',
  name: 'Nama',
  nik: 'NIK',
  organization: 'Instansi',
  phone: 'Nomor telepon',
  email: 'Surel',
  address: 'Alamat',
  callerNumber: 'Nomor penelepon',
  faxNumber: 'Nomor faks',
  callRecordId: 'Catatan panggilan',
  faxFileId: 'Faks',
  scanId: 'Pindaian',
  fileId: 'Berkas',
  text: 'Teks',
  reason: 'Alasan',
  team: 'Tim',
  assignee: 'Petugas',
  caseId: 'Kasus',
  targetId: 'Kasus tujuan',
  sourceId: 'Kasus sumber',
  username: 'Nama pengguna',
  password: 'Kata sandi',
  displayName: 'Nama tampilan',
  role: 'Peran',
  scopes: 'Cakupan',
  expiresAt: 'Berlaku sampai',
  code: 'Kode',
  date: 'Tanggal',
  year: 'Tahun',
  from: 'Dari',
  to: 'Sampai',
  first: 'Jumlah',
  after: 'Kursor',
  before: 'Kursor',
  deliveredVia: 'Cara penyampaian',
  entries: 'Isi kotak',
  purpose: 'Keperluan',
  idempotencyKey: 'Kunci idempotensi',
  requester: 'Pemohon',
  kind: 'Jenis',
  reference: 'Nomor referensi',
  id: 'Id',
  openedBy: 'Dibuka oleh',
  witnesses: 'Saksi',
};

/** Known English problem texts (src/domain) as patterns, with their Indonesian rendering. */
const PROBLEM_PATTERNS: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/^must not be empty$/, () => 'wajib diisi'],
  [/^must be at most (\d+) characters$/, (m) => `paling banyak ${m[1]} karakter`],
  [/^must be at least (\d+) characters$/, (m) => `paling sedikit ${m[1]} karakter`],
  [/^must be (\d+) to (\d+) characters$/, (m) => `harus ${m[1]} sampai ${m[2]} karakter`],
  [/^must be (\d+)-(\d+) characters: (.*)$/, (m) => `harus ${m[1]}–${m[2]} karakter (huruf kecil a-z, angka 0-9, titik, tanda hubung atau garis bawah)`],
  [/^must contain at most (\d+) entries$/, (m) => `paling banyak ${m[1]} isian`],
  [/^must contain at least one entry$/, () => 'harus berisi paling sedikit satu isian'],
  [/^must not be in the future$/, () => 'tidak boleh di masa depan'],
  [/^must be in the future$/, () => 'harus di masa depan'],
  [/^must not be before (\w+)$/, (m) => `tidak boleh sebelum ${fieldName(m[1])}`],
  [/^must be after (\w+)$/, (m) => `harus sesudah ${fieldName(m[1])}`],
  [/^is not a valid phone number$/, () => 'bukan nomor telepon yang sah'],
  [/^is not a valid email address$/, () => 'bukan alamat surel yang sah'],
  [/^is not a valid (time|instant)$/, () => 'bukan waktu yang sah'],
  [/^is not an ISO-8601 time$/, () => 'bukan waktu yang sah'],
  [/^is not a valid cursor$/, () => 'bukan kursor yang sah'],
  [/^is not a stored file$/, () => 'bukan berkas yang tersimpan'],
  [/^is not a known (\w[\w ]*)$/, () => 'tidak dikenal'],
  [/^is not a (case id|staff role|text file|LAPOR! tracking ID)$/, () => 'tidak sah'],
  [/^is not a CSV file/, () => 'bukan berkas CSV'],
  [/^is already taken$/, () => 'sudah dipakai'],
  [/^is already linked to a case$/, () => 'sudah tertaut ke sebuah kasus'],
  [/^is no longer waiting to be registered$/, () => 'sudah tidak menunggu untuk dicatat'],
  [/^is already (\w+)$/, () => 'sudah diproses'],
  [/^must be exactly 16 digits$/, () => 'harus tepat 16 angka'],
  [/^does not contain a valid birth date$/, () => 'tidak memuat tanggal lahir yang sah'],
  [/^is not a valid NIK$/, () => 'bukan NIK yang sah'],
  [/^must not contain the NUL character/, () => 'berisi karakter yang tidak diperbolehkan'],
  [/^a HANDLER( token)? needs a team$/, () => 'tim penanganan wajib punya tim'],
  [/^only INTEGRATION tokens have scopes$/, () => 'hanya token integrasi yang punya cakupan'],
  [/^an INTEGRATION token needs at least one scope$/, () => 'token integrasi perlu paling sedikit satu cakupan'],
  [/^contains an unknown scope$/, () => 'berisi cakupan yang tidak dikenal'],
  [/^must be between (\d+) and (\d+)$/, (m) => `harus antara ${m[1]} dan ${m[2]}`],
  [/^must be (\d+) to (\d+)$/, (m) => `harus ${m[1]} sampai ${m[2]}`],
  [/^must be a date/, () => 'harus tanggal seperti 2026-03-17'],
  [/^must be a year from (\d+) to (\d+)$/, (m) => `harus tahun ${m[1]} sampai ${m[2]}`],
  [/^give either a text or fromDraft, not both$/, () => 'isi teks jawaban atau pakai konsep, bukan keduanya'],
  [/^the case did not come through SP4N-LAPOR!$/, () => 'kasus ini tidak masuk melalui SP4N-LAPOR!'],
  [/^the requester has no email address$/, () => 'pemohon tidak punya alamat surel'],
  [/^the requester has no phone number$/, () => 'pemohon tidak punya nomor telepon'],
  [/^only complaints have a complaint class$/, () => 'hanya pengaduan yang punya klasifikasi'],
  [/^only information requests have requirements$/, () => 'hanya permintaan informasi yang punya persyaratan'],
  [/^a case cannot be merged into itself$/, () => 'kasus tidak dapat digabungkan ke dirinya sendiri'],
  [/^cases of different kinds cannot be merged$/, () => 'kasus berbeda jenis tidak dapat digabungkan'],
  [/^give exactly one of id or reference$/, () => 'isi salah satu: id atau nomor referensi'],
  [/^is not a reference number/, () => 'bukan nomor referensi seperti ADU-2026-000123'],
  [/^the range may cover at most five years$/, () => 'rentang paling lama lima tahun'],
  [/^window must be at most one year$/, () => 'rentang paling lama satu tahun'],
  [/^a scan cannot be given for a requirement set to false$/, () => 'pindaian tidak dapat dilampirkan untuk persyaratan yang tidak dicentang'],
  [/^is not a non-working day in the calendar$/, () => 'bukan hari libur di kalender'],
  [/^must be NATIONAL_HOLIDAY or CUTI_BERSAMA$/, () => 'harus libur nasional atau cuti bersama'],
  [/^must be a whole number/, () => 'harus bilangan bulat bulan, paling sedikit 1'],
];

export function fieldName(path: string): string {
  const parts = path.split('.');
  const last = parts[parts.length - 1].replace(/\[\d+\]$/, '');
  const named = FIELD_NAMES[last] ?? last;
  return parts.length > 1 && parts[parts.length - 2].startsWith('requester') ? `${named} pemohon` : named;
}

/** One `problems` entry as "<field>: <Indonesian rendering>". */
export function problemText(p: { field?: string | null; message?: string | null }): string {
  const msg = p.message ?? '';
  let rendered = 'tidak valid';
  for (const [re, render] of PROBLEM_PATTERNS) {
    const m = msg.match(re);
    if (m) {
      rendered = render(m);
      break;
    }
  }
  return p.field ? `${fieldName(p.field)}: ${rendered}` : rendered;
}

/** GraphQL's own validation messages (English) in Indonesian, generically by their shapes. */
export function graphqlValidationText(message: string): string {
  let m = message.match(/^Variable "\$(\w+)" got invalid value .*?; (?:Expected non-nullable type|Field "(\w+)" of required type)/);
  if (m) return `${fieldName(m[2] ?? m[1])}: wajib diisi`;
  m = message.match(/^Variable "\$(\w+)" got invalid value .*?at "[\w$]*\.?([\w.]+)"/);
  if (m) return `${fieldName(m[2])}: nilainya tidak sah`;
  m = message.match(/^Variable "\$(\w+)" got invalid value/);
  if (m) return `${fieldName(m[1])}: nilainya tidak sah`;
  m = message.match(/^Variable "\$(\w+)" of required type .* was not provided/);
  if (m) return `${fieldName(m[1])}: wajib diisi`;
  if (/^Cannot query field/.test(message)) return 'Permintaan memakai kolom yang tidak dikenal server (versi konsol dan server berbeda?).';
  if (/^Syntax Error/.test(message)) return 'Permintaan tidak dapat dibaca server.';
  if (/depth|aliases|cost|directives|tokens/i.test(message)) return 'Permintaan melewati batas yang diizinkan server.';
  return ERROR_MESSAGES.GRAPHQL_VALIDATION_FAILED;
}

export interface ApiErrorShape {
  message?: string;
  extensions?: { code?: string; reason?: string; problems?: Array<{ field?: string; message?: string }>; correlationId?: string; retryAfterSeconds?: number; lockedUntil?: string };
}

/** What a person reads for one API error. */
export function messageFor(e: ApiErrorShape): string {
  const code = e.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
  if (code === 'BAD_USER_INPUT' && e.extensions?.problems?.length) {
    return `${ERROR_MESSAGES.BAD_USER_INPUT} ${e.extensions.problems.map(problemText).join('; ')}`;
  }
  if (code === 'UNAUTHENTICATED' && e.extensions?.reason && UNAUTHENTICATED_REASONS[e.extensions.reason]) return UNAUTHENTICATED_REASONS[e.extensions.reason];
  if ((code === 'GRAPHQL_VALIDATION_FAILED' || code === 'BAD_USER_INPUT') && e.message) return graphqlValidationText(e.message);
  const base = ERROR_MESSAGES[code] ?? ERROR_MESSAGES.INTERNAL_SERVER_ERROR;
  if (code === 'INTERNAL_SERVER_ERROR' && e.extensions?.correlationId) return `${base} (kode kejadian ${e.extensions.correlationId})`;
  if (code === 'RATE_LIMITED' && e.extensions?.retryAfterSeconds) return `${base} (${e.extensions.retryAfterSeconds} detik)`;
  return base;
}
