import { Case, Deadline } from '../../../src/domain/case/case';
import { CaseStatus } from '../../../src/domain/case/case-types';
import { InvalidTransitionError, RequirementsMissingError, ValidationError } from '../../../src/domain/shared/domain-error';
import { ACTOR, ALL_MET, at, caseIn, HOUR, LOGGED_AT, OFFICER, oneHour, openComplaint, openRequest, RECEIVED_AT, thrown } from './builders';

const iso = (d: Date) => d.toISOString();
const types = (c: Case) => c.pendingEvents().map((e) => e.type);
const last = (c: Case) => c.pendingEvents()[c.pendingEvents().length - 1];

function expectCode(fn: () => unknown, code: string, cls: Function) {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(cls);
  expect(e.code).toBe(code);
  return e;
}

describe('Case.open', () => {
  it('opens a complaint as RECEIVED with the clock at receipt and dueAt from the deadline function', () => {
    const starts: Date[] = [];
    const c = openComplaint({ complaintClass: 'NORMATIVE' }, (start) => {
      starts.push(start);
      return oneHour(start);
    });
    const s = c.snapshot();
    expect(starts).toEqual([RECEIVED_AT]);
    expect(s.status).toBe('RECEIVED');
    expect(s.clockStartedAt).toEqual(RECEIVED_AT);
    expect(s.dueAt).toEqual(new Date(RECEIVED_AT.getTime() + HOUR));
    expect(s.complaintClass).toBe('NORMATIVE');
    expect(s.requirements).toBeNull();
    expect(s.deadlineWarnings).toEqual([]);
    expect(s.assignee).toBeNull();
    expect(s.answer).toBeNull();
    expect(s.rejection).toBeNull();
    expect(s.mergedIntoId).toBeNull();
    expect(s.version).toBe(0);
    expect(s.updatedAt).toEqual(LOGGED_AT);
  });

  it('allows an unclassified complaint', () => {
    const c = openComplaint({ complaintClass: null });
    expect(c.complaintClass).toBeNull();
    expect(c.status).toBe('RECEIVED');
    expect(c.snapshot().dueAt).toEqual(new Date('2026-04-06T03:00:00.000Z'));
  });

  it('drops requirements given for a complaint', () => {
    expect(openComplaint({ requirements: ALL_MET }).snapshot().requirements).toBeNull();
  });

  it('records CASE_CREATED with actor, loggedAt and the opening state', () => {
    const c = openComplaint({ channel: 'WHATSAPP' });
    expect(c.pendingEvents()).toEqual([
      {
        caseId: 'case-1',
        type: 'CASE_CREATED',
        actor: { id: 'clerk-1', kind: 'USER' },
        at: LOGGED_AT,
        before: null,
        after: {
          status: 'RECEIVED',
          kind: 'COMPLAINT',
          channel: 'WHATSAPP',
          complaintClass: null,
          dueAt: '2026-04-06T03:00:00.000Z',
        },
        text: null,
      },
    ]);
  });

  it.each([
    ['nothing ticked', { assignmentLetter: false, requestLetter: false, identityDocument: false }],
    ['only identity missing', { assignmentLetter: true, requestLetter: true, identityDocument: false }],
    ['only assignment letter missing', { assignmentLetter: false, requestLetter: true, identityDocument: true }],
  ])('opens an information request with %s as INCOMPLETE, no clock and no dueAt', (_label, reqs) => {
    const deadline = jest.fn(oneHour);
    const c = openRequest(reqs, {}, deadline);
    const s = c.snapshot();
    expect(s.status).toBe('INCOMPLETE');
    expect(s.clockStartedAt).toBeNull();
    expect(s.dueAt).toBeNull();
    expect(s.deadlineWarnings).toEqual([]);
    expect(s.requirements).toEqual(reqs);
    expect(deadline).not.toHaveBeenCalled();
    expect(c.pendingEvents()[0].after).toMatchObject({ status: 'INCOMPLETE', dueAt: null });
  });

  it('treats missing requirements on an information request as none ticked', () => {
    const c = openRequest(null);
    expect(c.status).toBe('INCOMPLETE');
    expect(c.snapshot().requirements).toEqual({ assignmentLetter: false, requestLetter: false, identityDocument: false });
  });

  it('opens a complete information request as RECEIVED with the clock at receipt, and no complaint class', () => {
    const c = openRequest(ALL_MET, { complaintClass: 'LIGHT' });
    const s = c.snapshot();
    expect(s.status).toBe('RECEIVED');
    expect(s.clockStartedAt).toEqual(RECEIVED_AT);
    expect(s.dueAt).toEqual(new Date('2026-04-06T03:00:00.000Z'));
    expect(s.complaintClass).toBeNull();
  });

  it('stores deadline warnings as CODE:year', () => {
    const warned = (start: Date): Deadline => ({
      dueAt: new Date(start.getTime() + HOUR),
      warnings: [
        { code: 'CALENDAR_YEAR_MISSING', year: 2027 },
        { code: 'CALENDAR_YEAR_MISSING', year: 2028 },
      ],
    });
    expect(openComplaint({}, warned).snapshot().deadlineWarnings).toEqual(['CALENDAR_YEAR_MISSING:2027', 'CALENDAR_YEAR_MISSING:2028']);
  });
});

describe('classify', () => {
  const fiveDays: Deadline = { dueAt: new Date('2026-04-13T09:00:00.000Z'), warnings: [] };

  it('sets the class, replaces dueAt and records before/after', () => {
    const c = openComplaint();
    c.clearPendingEvents();
    c.classify('NORMATIVE', fiveDays, OFFICER, at(10));
    const s = c.snapshot();
    expect(s.complaintClass).toBe('NORMATIVE');
    expect(s.dueAt).toEqual(new Date('2026-04-13T09:00:00.000Z'));
    expect(s.status).toBe('RECEIVED');
    expect(s.updatedAt).toEqual(at(10));
    expect(c.pendingEvents()).toEqual([
      {
        caseId: 'case-1',
        type: 'COMPLAINT_CLASSIFIED',
        actor: OFFICER,
        at: at(10),
        before: { complaintClass: null, dueAt: '2026-04-06T03:00:00.000Z' },
        after: { complaintClass: 'NORMATIVE', dueAt: '2026-04-13T09:00:00.000Z' },
        text: null,
      },
    ]);
  });

  it('reclassifies and replaces old warnings with the new ones', () => {
    const c = openComplaint({ complaintClass: 'NORMATIVE' }, (s) => ({ dueAt: new Date(s.getTime() + HOUR), warnings: [{ code: 'CALENDAR_YEAR_MISSING', year: 2026 }] }));
    expect(c.snapshot().deadlineWarnings).toEqual(['CALENDAR_YEAR_MISSING:2026']);
    c.classify('SUPERVISORY', { dueAt: new Date('2026-07-01T09:00:00.000Z'), warnings: [{ code: 'CALENDAR_YEAR_MISSING', year: 2027 }] }, OFFICER, at(5));
    expect(c.snapshot().deadlineWarnings).toEqual(['CALENDAR_YEAR_MISSING:2027']);
    expect(last(c).before).toEqual({ complaintClass: 'NORMATIVE', dueAt: '2026-04-06T03:00:00.000Z' });
  });

  it('is refused for information requests', () => {
    const c = openRequest(ALL_MET);
    const e = expectCode(() => c.classify('LIGHT', fiveDays, OFFICER, at(1)), 'VALIDATION_FAILED', ValidationError);
    expect(e.problems).toEqual([{ field: 'caseId', message: 'only complaints have a complaint class' }]);
    expect(c.complaintClass).toBeNull();
    expect(types(c)).toEqual(['CASE_CREATED']);
  });

  it.each<CaseStatus>(['ANSWERED', 'CLOSED', 'REJECTED', 'MERGED'])('is refused for a %s complaint', (status) => {
    const c = caseIn(status);
    expectCode(() => c.classify('LIGHT', fiveDays, OFFICER, at(1)), 'INVALID_TRANSITION', InvalidTransitionError);
    expect(c.snapshot().dueAt).toEqual(new Date('2026-04-06T03:00:00.000Z'));
    expect(c.pendingEvents()).toEqual([]);
  });

  it('is allowed while IN_PROGRESS', () => {
    const c = caseIn('IN_PROGRESS');
    c.classify('LIGHT', fiveDays, OFFICER, at(1));
    expect(c.complaintClass).toBe('LIGHT');
  });
});

describe('updateRequirements', () => {
  const partial = { assignmentLetter: true, requestLetter: true, identityDocument: false };

  it('keeps an incomplete request INCOMPLETE when requirements are still missing', () => {
    const c = openRequest({ assignmentLetter: false, requestLetter: false, identityDocument: false });
    c.clearPendingEvents();
    c.updateRequirements({ requestLetter: true }, oneHour, ACTOR, at(3));
    expect(c.status).toBe('INCOMPLETE');
    expect(c.clockStartedAt).toBeNull();
    expect(c.snapshot().requirements).toEqual({ assignmentLetter: false, requestLetter: true, identityDocument: false });
    expect(c.pendingEvents()).toEqual([
      {
        caseId: 'req-1',
        type: 'REQUIREMENTS_UPDATED',
        actor: ACTOR,
        at: at(3),
        before: { assignmentLetter: false, requestLetter: false, identityDocument: false },
        after: { assignmentLetter: false, requestLetter: true, identityDocument: false },
        text: null,
      },
    ]);
  });

  it('on the last tick moves to RECEIVED, starts the clock at now and records STATUS_CHANGED', () => {
    const c = openRequest(partial);
    c.clearPendingEvents();
    const now = new Date('2026-04-08T04:30:00.000Z');
    const starts: Date[] = [];
    c.updateRequirements({ identityDocument: true, requestLetter: undefined }, (s) => (starts.push(s), oneHour(s)), ACTOR, now);
    const s = c.snapshot();
    expect(starts).toEqual([now]);
    expect(s.status).toBe('RECEIVED');
    expect(s.clockStartedAt).toEqual(now);
    expect(s.receivedAt).toEqual(RECEIVED_AT);
    expect(s.dueAt).toEqual(new Date('2026-04-08T05:30:00.000Z'));
    expect(s.requirements).toEqual(ALL_MET);
    expect(types(c)).toEqual(['REQUIREMENTS_UPDATED', 'STATUS_CHANGED']);
    expect(c.pendingEvents()[1]).toEqual({
      caseId: 'req-1',
      type: 'STATUS_CHANGED',
      actor: ACTOR,
      at: now,
      before: { status: 'INCOMPLETE' },
      after: { status: 'RECEIVED', dueAt: '2026-04-08T05:30:00.000Z' },
      text: null,
    });
  });

  it('refuses unticking after the request is RECEIVED, leaving state and events unchanged', () => {
    const c = openRequest(ALL_MET);
    c.clearPendingEvents();
    const e = expectCode(() => c.updateRequirements({ identityDocument: false }, oneHour, ACTOR, at(1)), 'INVALID_TRANSITION', InvalidTransitionError);
    expect(e.from).toBe('RECEIVED');
    expect(e.to).toBe('INCOMPLETE');
    expect(c.snapshot().requirements).toEqual(ALL_MET);
    expect(c.status).toBe('RECEIVED');
    expect(c.pendingEvents()).toEqual([]);
  });

  it('refuses unticking while IN_PROGRESS too', () => {
    const c = openRequest(ALL_MET);
    c.assign('Tim Data', OFFICER, at(1));
    expectCode(() => c.updateRequirements({ requestLetter: false }, oneHour, ACTOR, at(2)), 'INVALID_TRANSITION', InvalidTransitionError);
  });

  it('is refused for complaints', () => {
    const c = openComplaint();
    expectCode(() => c.updateRequirements({ identityDocument: true }, oneHour, ACTOR, at(1)), 'VALIDATION_FAILED', ValidationError);
  });

  it('is refused on a rejected request', () => {
    const c = openRequest(partial);
    c.reject('SPAM', null, OFFICER, at(1));
    expectCode(() => c.updateRequirements({ identityDocument: true }, oneHour, ACTOR, at(2)), 'INVALID_TRANSITION', InvalidTransitionError);
    expect(c.status).toBe('REJECTED');
  });
});

describe('assign', () => {
  it('moves RECEIVED to IN_PROGRESS and records ASSIGNED then STATUS_CHANGED', () => {
    const c = openComplaint();
    c.clearPendingEvents();
    c.assign('  Tim Pengaduan A ', OFFICER, at(7));
    expect(c.status).toBe('IN_PROGRESS');
    expect(c.snapshot().assignee).toBe('Tim Pengaduan A');
    expect(c.pendingEvents().map((e) => [e.type, e.before, e.after, e.actor.id, e.at])).toEqual([
      ['ASSIGNED', { assignee: null }, { assignee: 'Tim Pengaduan A' }, 'officer-7', at(7)],
      ['STATUS_CHANGED', { status: 'RECEIVED' }, { status: 'IN_PROGRESS' }, 'officer-7', at(7)],
    ]);
  });

  it('reassigning while IN_PROGRESS records only ASSIGNED', () => {
    const c = openComplaint();
    c.assign('Tim A', OFFICER, at(1));
    c.clearPendingEvents();
    c.assign('Tim B', OFFICER, at(2));
    expect(c.status).toBe('IN_PROGRESS');
    expect(c.pendingEvents().map((e) => [e.type, e.before, e.after])).toEqual([['ASSIGNED', { assignee: 'Tim A' }, { assignee: 'Tim B' }]]);
  });

  it('keeps an INCOMPLETE request INCOMPLETE', () => {
    const c = openRequest(null);
    c.assign('Petugas Informasi', OFFICER, at(1));
    expect(c.status).toBe('INCOMPLETE');
    expect(c.snapshot().assignee).toBe('Petugas Informasi');
  });

  it('refuses an empty assignee', () => {
    const c = openComplaint();
    const e = expectCode(() => c.assign('   ', OFFICER, at(1)), 'VALIDATION_FAILED', ValidationError);
    expect(e.problems).toEqual([{ field: 'assignee', message: 'must not be empty' }]);
    expect(c.status).toBe('RECEIVED');
  });

  it.each<CaseStatus>(['ANSWERED', 'CLOSED', 'REJECTED', 'MERGED'])('is refused for a %s case', (status) => {
    expectCode(() => caseIn(status).assign('Tim A', OFFICER, at(1)), 'INVALID_TRANSITION', InvalidTransitionError);
  });
});

describe('addNote', () => {
  it('records the trimmed note text', () => {
    const c = openComplaint();
    c.clearPendingEvents();
    c.addNote('  Sudah dihubungi via telepon.  ', OFFICER, at(4));
    expect(c.pendingEvents()).toEqual([
      { caseId: 'case-1', type: 'NOTE_ADDED', actor: OFFICER, at: at(4), before: null, after: null, text: 'Sudah dihubungi via telepon.' },
    ]);
    expect(c.status).toBe('RECEIVED');
  });

  it.each(['', '   ', '\n\t'])('refuses an empty note %p with VALIDATION_FAILED', (text) => {
    const c = openComplaint();
    const e = expectCode(() => c.addNote(text, OFFICER, at(1)), 'VALIDATION_FAILED', ValidationError);
    expect(e.problems).toEqual([{ field: 'text', message: 'must not be empty' }]);
    expect(types(c)).toEqual(['CASE_CREATED']);
  });
});

describe('answer', () => {
  const due = new Date('2026-04-06T03:00:00.000Z');

  it('from RECEIVED goes through IN_PROGRESS to ANSWERED and records onTime: true', () => {
    const c = openComplaint();
    c.clearPendingEvents();
    const answeredAt = new Date('2026-04-06T02:45:00.000Z');
    c.answer('  Bantuan akan disalurkan minggu depan. ', 'WHATSAPP', answeredAt, OFFICER, at(50));
    const s = c.snapshot();
    expect(s.status).toBe('ANSWERED');
    expect(s.answer).toEqual({ text: 'Bantuan akan disalurkan minggu depan.', deliveredVia: 'WHATSAPP', answeredAt });
    expect(c.pendingEvents().map((e) => [e.type, e.before, e.after, e.text])).toEqual([
      ['STATUS_CHANGED', { status: 'RECEIVED' }, { status: 'IN_PROGRESS' }, null],
      ['ANSWERED', null, { deliveredVia: 'WHATSAPP', answeredAt: '2026-04-06T02:45:00.000Z', onTime: true }, 'Bantuan akan disalurkan minggu depan.'],
      ['STATUS_CHANGED', { status: 'IN_PROGRESS' }, { status: 'ANSWERED' }, null],
    ]);
  });

  it('counts an answer exactly at dueAt as on time', () => {
    const c = openComplaint();
    c.answer('Jawaban', 'EMAIL', due, OFFICER, at(60));
    expect(c.pendingEvents().find((e) => e.type === 'ANSWERED')?.after).toMatchObject({ onTime: true });
  });

  it('records onTime: false one millisecond after dueAt', () => {
    const c = openComplaint();
    c.assign('Tim A', OFFICER, at(1));
    c.clearPendingEvents();
    c.answer('Jawaban', 'LETTER', new Date(due.getTime() + 1), OFFICER, at(90));
    expect(types(c)).toEqual(['ANSWERED', 'STATUS_CHANGED']);
    expect(c.pendingEvents()[0].after).toEqual({ deliveredVia: 'LETTER', answeredAt: '2026-04-06T03:00:00.001Z', onTime: false });
  });

  it('refuses an INCOMPLETE request with REQUIREMENTS_MISSING listing what is missing', () => {
    const c = openRequest({ assignmentLetter: false, requestLetter: true, identityDocument: false });
    const e = expectCode(() => c.answer('Data terlampir', 'EMAIL', at(10), OFFICER, at(10)), 'REQUIREMENTS_MISSING', RequirementsMissingError);
    expect(e.missing).toEqual(['assignmentLetter', 'identityDocument']);
    expect(c.status).toBe('INCOMPLETE');
    expect(c.snapshot().answer).toBeNull();
    expect(types(c)).toEqual(['CASE_CREATED']);
  });

  it('refuses empty text with VALIDATION_FAILED', () => {
    const c = openComplaint();
    expectCode(() => c.answer('  ', 'EMAIL', at(1), OFFICER, at(1)), 'VALIDATION_FAILED', ValidationError);
    expect(c.status).toBe('RECEIVED');
  });

  it.each<CaseStatus>(['ANSWERED', 'CLOSED', 'REJECTED', 'MERGED'])('is refused from %s', (status) => {
    const c = caseIn(status);
    expectCode(() => c.answer('Jawaban', 'EMAIL', at(1), OFFICER, at(1)), 'INVALID_TRANSITION', InvalidTransitionError);
    expect(c.status).toBe(status);
    expect(c.snapshot().answer).toBeNull();
  });
});

describe('close', () => {
  it('closes an ANSWERED case', () => {
    const c = openComplaint();
    c.answer('Jawaban', 'PHONE', at(5), OFFICER, at(5));
    c.clearPendingEvents();
    c.close(OFFICER, at(30));
    expect(c.status).toBe('CLOSED');
    expect(c.pendingEvents()).toEqual([
      { caseId: 'case-1', type: 'STATUS_CHANGED', actor: OFFICER, at: at(30), before: { status: 'ANSWERED' }, after: { status: 'CLOSED' }, text: null },
    ]);
  });

  it.each<CaseStatus>(['INCOMPLETE', 'RECEIVED', 'IN_PROGRESS', 'CLOSED', 'REJECTED', 'MERGED'])('is refused from %s', (status) => {
    const c = caseIn(status);
    expectCode(() => c.close(OFFICER, at(1)), 'INVALID_TRANSITION', InvalidTransitionError);
    expect(c.status).toBe(status);
  });
});

describe('reject', () => {
  it.each<CaseStatus>(['INCOMPLETE', 'RECEIVED', 'IN_PROGRESS'])('rejects from %s', (status) => {
    const c = caseIn(status);
    c.reject('OUT_OF_AUTHORITY', '  Kewenangan kabupaten ', OFFICER, at(2));
    expect(c.status).toBe('REJECTED');
    expect(c.snapshot().rejection).toEqual({ reason: 'OUT_OF_AUTHORITY', note: 'Kewenangan kabupaten' });
    expect(c.pendingEvents().map((e) => [e.type, e.before, e.after, e.text])).toEqual([
      ['REJECTED', null, { reason: 'OUT_OF_AUTHORITY' }, 'Kewenangan kabupaten'],
      ['STATUS_CHANGED', { status }, { status: 'REJECTED' }, null],
    ]);
  });

  it('stores a blank note as null', () => {
    const c = openComplaint();
    c.reject('SPAM', '   ', OFFICER, at(1));
    expect(c.snapshot().rejection).toEqual({ reason: 'SPAM', note: null });
  });

  it.each<CaseStatus>(['ANSWERED', 'CLOSED', 'REJECTED', 'MERGED'])('is refused from %s', (status) => {
    const c = caseIn(status);
    expectCode(() => c.reject('WITHDRAWN', null, OFFICER, at(1)), 'INVALID_TRANSITION', InvalidTransitionError);
    expect(c.snapshot().rejection).toBeNull();
    expect(c.pendingEvents()).toEqual([]);
  });
});

describe('mergeInto', () => {
  const source = () => openComplaint({ id: 'case-2', reference: 'ADU-2026-000002' });
  const target = () => openComplaint({ id: 'case-1', reference: 'ADU-2026-000001' });

  it('marks the source MERGED with mergedIntoId and gives the target a MERGED_FROM event', () => {
    const s = source();
    const t = target();
    s.clearPendingEvents();
    t.clearPendingEvents();
    s.mergeInto(t, OFFICER, at(20));
    expect(s.status).toBe('MERGED');
    expect(s.snapshot().mergedIntoId).toBe('case-1');
    expect(s.pendingEvents()).toEqual([
      { caseId: 'case-2', type: 'MERGED_INTO', actor: OFFICER, at: at(20), before: null, after: { targetId: 'case-1', targetReference: 'ADU-2026-000001' }, text: null },
      { caseId: 'case-2', type: 'STATUS_CHANGED', actor: OFFICER, at: at(20), before: { status: 'RECEIVED' }, after: { status: 'MERGED' }, text: null },
    ]);
    expect(t.status).toBe('RECEIVED');
    expect(t.snapshot().updatedAt).toEqual(at(20));
    expect(t.pendingEvents()).toEqual([
      { caseId: 'case-1', type: 'MERGED_FROM', actor: OFFICER, at: at(20), before: null, after: { sourceId: 'case-2', sourceReference: 'ADU-2026-000002' }, text: null },
    ]);
  });

  it('merges an INCOMPLETE request into another open request', () => {
    const s = openRequest(null, { id: 'req-2', reference: 'PDI-2026-000002' });
    const t = openRequest(ALL_MET);
    t.assign('Tim Data', OFFICER, at(1));
    s.mergeInto(t, OFFICER, at(2));
    expect(s.status).toBe('MERGED');
    expect(s.snapshot().mergedIntoId).toBe('req-1');
  });

  it('is refused into itself', () => {
    const s = source();
    const e = expectCode(() => s.mergeInto(s, OFFICER, at(1)), 'VALIDATION_FAILED', ValidationError);
    expect(e.problems).toEqual([{ field: 'targetId', message: 'a case cannot be merged into itself' }]);
    expect(s.status).toBe('RECEIVED');
  });

  it('is refused into a case with the same id (another instance)', () => {
    expectCode(() => source().mergeInto(openComplaint({ id: 'case-2' }), OFFICER, at(1)), 'VALIDATION_FAILED', ValidationError);
  });

  it('is refused across kinds', () => {
    const s = source();
    const t = openRequest(ALL_MET);
    const e = expectCode(() => s.mergeInto(t, OFFICER, at(1)), 'VALIDATION_FAILED', ValidationError);
    expect(e.problems).toEqual([{ field: 'targetId', message: 'cases of different kinds cannot be merged' }]);
    expect(s.status).toBe('RECEIVED');
    expect(t.pendingEvents().map((x) => x.type)).toEqual(['CASE_CREATED']);
  });

  it.each<CaseStatus>(['ANSWERED', 'CLOSED', 'REJECTED', 'MERGED'])('is refused into a %s target', (status) => {
    const s = source();
    const t = caseIn(status, { id: 'case-1' });
    expectCode(() => s.mergeInto(t, OFFICER, at(1)), 'INVALID_TRANSITION', InvalidTransitionError);
    expect(s.status).toBe('RECEIVED');
    expect(s.snapshot().mergedIntoId).toBeNull();
    expect(t.pendingEvents()).toEqual([]);
  });

  it.each<CaseStatus>(['ANSWERED', 'CLOSED', 'REJECTED', 'MERGED'])('is refused from a %s source, leaving the target untouched', (status) => {
    const s = caseIn(status, { id: 'case-2' });
    const t = target();
    t.clearPendingEvents();
    expectCode(() => s.mergeInto(t, OFFICER, at(1)), 'INVALID_TRANSITION', InvalidTransitionError);
    expect(s.snapshot().mergedIntoId).toBeNull();
    expect(t.pendingEvents()).toEqual([]);
  });
});

describe('pending events', () => {
  it('accumulate in order across a full complaint lifecycle, each with its actor and time', () => {
    const c = openComplaint();
    c.classify('LIGHT', oneHour(RECEIVED_AT), OFFICER, at(1));
    c.assign('Tim A', OFFICER, at(2));
    c.addNote('Catatan', ACTOR, at(3));
    c.answer('Jawaban', 'IN_PERSON', at(4), OFFICER, at(4));
    c.close(OFFICER, at(5));
    expect(c.pendingEvents().map((e) => [e.type, e.actor.id, iso(e.at), e.caseId])).toEqual([
      ['CASE_CREATED', 'clerk-1', iso(LOGGED_AT), 'case-1'],
      ['COMPLAINT_CLASSIFIED', 'officer-7', iso(at(1)), 'case-1'],
      ['ASSIGNED', 'officer-7', iso(at(2)), 'case-1'],
      ['STATUS_CHANGED', 'officer-7', iso(at(2)), 'case-1'],
      ['NOTE_ADDED', 'clerk-1', iso(at(3)), 'case-1'],
      ['ANSWERED', 'officer-7', iso(at(4)), 'case-1'],
      ['STATUS_CHANGED', 'officer-7', iso(at(4)), 'case-1'],
      ['STATUS_CHANGED', 'officer-7', iso(at(5)), 'case-1'],
    ]);
    expect(c.snapshot().updatedAt).toEqual(at(5));
  });

  it('clearPendingEvents empties the list; restore starts with none', () => {
    const c = openComplaint();
    expect(c.pendingEvents()).toHaveLength(1);
    c.clearPendingEvents();
    expect(c.pendingEvents()).toEqual([]);
    expect(Case.restore(c.snapshot()).pendingEvents()).toEqual([]);
  });

  it('snapshot is a copy: changing it does not change the case', () => {
    const c = openComplaint();
    const s = c.snapshot() as { status: string };
    s.status = 'CLOSED';
    expect(c.status).toBe('RECEIVED');
  });

  it('recordDuplicateIntake appends a DUPLICATE_INTAKE event', () => {
    const c = openComplaint();
    c.clearPendingEvents();
    c.recordDuplicateIntake({ channel: 'PHONE' }, 'Menanyakan status', ACTOR, at(9));
    expect(c.pendingEvents()).toEqual([
      { caseId: 'case-1', type: 'DUPLICATE_INTAKE', actor: ACTOR, at: at(9), before: null, after: { channel: 'PHONE' }, text: 'Menanyakan status' },
    ]);
  });
});
