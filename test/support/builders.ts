/** Small builders of intake inputs with overrides (test data, not fixtures). */
let seq = 0;
const unique = (): string => `${process.pid}-${Date.now()}-${++seq}`;

export function buildRequester(overrides: Record<string, unknown> = {}) {
  return { name: 'Siti Aminah', nik: '6171014505900002', phone: '0812-3456-7890', email: 'siti@example.id', address: 'Jl. Ahmad Yani No. 1, Pontianak', ...overrides };
}

export function buildPhoneCall(overrides: Record<string, unknown> = {}) {
  return { kind: 'COMPLAINT', subject: `Bantuan sosial belum diterima ${unique()}`, description: 'Pelapor menelepon ke ekstensi 126.', callerNumber: '0812-3456-7890', ...overrides };
}

export function buildFax(overrides: Record<string, unknown> = {}) {
  return { kind: 'COMPLAINT', subject: `Surat pengaduan lewat faks ${unique()}`, faxNumber: '(0561) 730062', ...overrides };
}

export function buildWalkIn(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'INFORMATION_REQUEST',
    subject: `Permintaan data penerima bantuan ${unique()}`,
    requester: buildRequester({ organization: 'Dinas Sosial Kabupaten Kubu Raya' }),
    requirements: { assignmentLetter: true, requestLetter: true, identityDocument: true },
    ...overrides,
  };
}

export function buildComplaintBoxEntry(overrides: Record<string, unknown> = {}) {
  return { subject: `Pengaduan tertulis dari kotak pengaduan ${unique()}`, description: 'Ditulis tangan, tanpa nama.', ...overrides };
}

export const CASE_FIELDS = `id reference kind channel status complaintClass subject description receivedAt loggedAt clockStartedAt dueAt overdue
  deadlineWarnings assignee mergedIntoId version requester { name nik organization phone email address }
  requirements { assignmentLetter requestLetter identityDocument complete missing } channelDetails { name value }
  answer { text deliveredVia answeredAt } rejection { reason note }`;
