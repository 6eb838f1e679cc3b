import { Case } from '../../../src/domain/case/case';
import { CaseRepository } from '../../../src/domain/case/case-repository.port';
import { CaseStatusLookupService } from '../../../src/domain/case/case-status-lookup.service';
import { STATUS_TEXT } from '../../../src/domain/case/case-status-text';
import { CASE_STATUSES } from '../../../src/domain/case/case-types';
import { CaseStatusNotFoundError } from '../../../src/domain/shared/domain-error';
import { ACTOR, at, openComplaint, openRequest } from './builders';

/** Only the two reads the lookup uses. */
function repoOf(...cases: Case[]): CaseRepository {
  const byRef = new Map(cases.map((c) => [c.reference, c]));
  const byId = new Map(cases.map((c) => [c.id, c]));
  return {
    findByReference: async (r: string) => byRef.get(r) ?? null,
    findById: async (id: string) => byId.get(id) ?? null,
  } as unknown as CaseRepository;
}

const requester = { name: 'Siti Aminah', nik: '6171012345678901', phone: '+6281234567890', email: 'siti@example.org', address: 'Jl. Merdeka 1', organization: null };

async function refusal(p: Promise<unknown>): Promise<{ type: string; code: string; message: string }> {
  const e = await p.then(() => null, (err: unknown) => err as CaseStatusNotFoundError);
  if (!e) throw new Error('expected a refusal');
  return { type: e.constructor.name, code: e.code, message: e.message };
}

describe('the status lookup', () => {
  const complaint = openComplaint({ requester, id: 'c-1', reference: 'ADU-2026-000007', accessCode: 'K7QM3XPA' });
  complaint.assign('tim-1', ACTOR, at(10));
  complaint.addNote('Catatan internal tentang Siti', ACTOR, at(11));
  const service = new CaseStatusLookupService(repoOf(complaint));

  it('with the right code (typed loosely) shows the progress and nothing about people', async () => {
    const v = await service.lookup(' adu-2026-000007 ', 'k7qm 3xpa');
    expect(v).toEqual({
      reference: 'ADU-2026-000007',
      kind: 'COMPLAINT',
      kindText: 'Pengaduan',
      status: 'IN_PROGRESS',
      statusText: 'Sedang diproses',
      receivedAt: complaint.receivedAt,
      dueAt: complaint.snapshot().dueAt,
      answered: false,
      answeredAt: null,
      mergedIntoReference: null,
    });
    const json = JSON.stringify(v);
    for (const secret of ['Siti', '6171', '8123', 'siti@', 'Merdeka', 'tim-1', 'Catatan']) expect(json).not.toContain(secret);
  });

  it('a wrong code, an unknown reference and malformed input get the same refusal', async () => {
    const wrong = await refusal(service.lookup('ADU-2026-000007', 'K7QM-3XPB'));
    expect(wrong).toEqual({ type: 'CaseStatusNotFoundError', code: 'CASE_STATUS_NOT_FOUND', message: 'No case matches this reference and access code' });
    expect(await refusal(service.lookup('ADU-2026-000008', 'K7QM-3XPA'))).toEqual(wrong);
    expect(await refusal(service.lookup('bukan nomor', 'K7QM-3XPA'))).toEqual(wrong);
    expect(await refusal(service.lookup('ADU-2026-000007', ''))).toEqual(wrong);
    expect(await refusal(service.lookup('ADU-2026-000007', '22222222'))).toEqual(wrong);
  });

  it('an answered case says when it was answered', async () => {
    const req = openRequest({ assignmentLetter: true, requestLetter: true, identityDocument: true }, { accessCode: 'ABCDEFGH' });
    req.answer('Data terlampir', 'EMAIL', at(60), ACTOR, at(61));
    const v = await new CaseStatusLookupService(repoOf(req)).lookup(req.reference, 'ABCD-EFGH');
    expect(v).toMatchObject({ kind: 'INFORMATION_REQUEST', status: 'ANSWERED', statusText: 'Selesai dijawab', answered: true, answeredAt: at(60) });
  });

  it('a merged case shows the progress of the case it was merged into, under its own reference', async () => {
    const source = openComplaint({ id: 'c-2', reference: 'ADU-2026-000009', accessCode: 'MNPQRSTU' });
    const target = openComplaint({ id: 'c-3', reference: 'ADU-2026-000003', accessCode: 'VWXYZ234', requester });
    source.mergeInto(target, ACTOR, at(5));
    target.assign('tim-1', ACTOR, at(6));
    target.answer('Sudah ditindaklanjuti', 'LETTER', at(30), ACTOR, at(31));
    const v = await new CaseStatusLookupService(repoOf(source, target)).lookup('ADU-2026-000009', 'MNPQ-RSTU');
    expect(v).toMatchObject({
      reference: 'ADU-2026-000009',
      status: 'ANSWERED',
      statusText: 'Selesai dijawab (digabungkan dengan ADU-2026-000003)',
      answered: true,
      answeredAt: at(30),
      mergedIntoReference: 'ADU-2026-000003',
      receivedAt: source.receivedAt,
    });
    // The target's code does not open the merged case.
    expect((await refusal(new CaseStatusLookupService(repoOf(source, target)).lookup('ADU-2026-000009', 'VWXY-Z234'))).code).toBe('CASE_STATUS_NOT_FOUND');
  });

  it('every status has a plain Indonesian text', () => {
    for (const s of CASE_STATUSES) expect(STATUS_TEXT[s]).toMatch(/^[A-Z][a-z ]+$/);
    expect(STATUS_TEXT).toMatchObject({ RECEIVED: 'Diterima', IN_PROGRESS: 'Sedang diproses', ANSWERED: 'Selesai dijawab' });
  });
});
