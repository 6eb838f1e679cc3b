import { InvalidTransitionError, NoDraftError, ValidationError } from '../../../src/domain/shared/domain-error';
import { at, caseIn, OFFICER, openComplaint, thrown } from './builders';

const HANDLER = { id: 'user:dewi.handler', kind: 'USER' as const };
const USER_ID = '11111111-1111-4111-8111-111111111111';

describe('assign to a team member', () => {
  it('records the person with the team; reassigning to the team alone clears the person', () => {
    const c = openComplaint();
    c.clearPendingEvents();
    c.assign('tim-pengaduan-1', OFFICER, at(1), USER_ID);
    expect(c.snapshot()).toMatchObject({ assignee: 'tim-pengaduan-1', assignedUserId: USER_ID, status: 'IN_PROGRESS' });
    expect(c.pendingEvents()[0]).toMatchObject({
      type: 'ASSIGNED', before: { assignee: null, assignedUserId: null }, after: { assignee: 'tim-pengaduan-1', assignedUserId: USER_ID },
    });
    c.clearPendingEvents();
    c.assign('tim-pengaduan-2', OFFICER, at(2));
    expect(c.snapshot()).toMatchObject({ assignee: 'tim-pengaduan-2', assignedUserId: null });
    expect(c.pendingEvents().map((e) => [e.type, e.before, e.after])).toEqual([
      ['ASSIGNED', { assignee: 'tim-pengaduan-1', assignedUserId: USER_ID }, { assignee: 'tim-pengaduan-2', assignedUserId: null }],
    ]);
  });
});

describe('draftAnswer', () => {
  it('keeps the latest draft and records each one on the timeline; status does not change', () => {
    const c = openComplaint();
    c.assign('tim-pengaduan-1', OFFICER, at(1));
    c.clearPendingEvents();
    c.draftAnswer('  Konsep pertama ', [], USER_ID, HANDLER, at(5));
    c.draftAnswer('Konsep kedua', ['f1', 'f2', 'f1'], USER_ID, HANDLER, at(6));
    expect(c.snapshot().answerDraft).toEqual({ text: 'Konsep kedua', attachmentFileIds: ['f1', 'f2'], draftedBy: USER_ID, draftedAt: at(6) });
    expect(c.snapshot().answer).toBeNull();
    expect(c.status).toBe('IN_PROGRESS');
    expect(c.pendingEvents().map((e) => [e.type, e.after, e.text, e.actor.id])).toEqual([
      ['ANSWER_DRAFTED', { attachmentFileIds: [] }, 'Konsep pertama', HANDLER.id],
      ['ANSWER_DRAFTED', { attachmentFileIds: ['f1', 'f2'] }, 'Konsep kedua', HANDLER.id],
    ]);
  });

  it('refuses an empty text and a finished case', () => {
    const e = thrown(() => openComplaint().draftAnswer('   ', [], USER_ID, HANDLER, at(1)));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.problems).toEqual([{ field: 'text', message: 'must not be empty' }]);
    expect(thrown(() => caseIn('ANSWERED').draftAnswer('Konsep', [], USER_ID, HANDLER, at(1)))).toBeInstanceOf(InvalidTransitionError);
  });
});

describe('answerFromDraft', () => {
  it('sends the latest draft text; the ANSWERED event names the draft', () => {
    const c = openComplaint();
    c.assign('tim-pengaduan-1', OFFICER, at(1));
    c.draftAnswer('Bantuan cair minggu depan', ['f1'], USER_ID, HANDLER, at(5));
    c.clearPendingEvents();
    c.answerFromDraft('PHONE', at(10), OFFICER, at(10));
    expect(c.snapshot().answer).toEqual({ text: 'Bantuan cair minggu depan', deliveredVia: 'PHONE', answeredAt: at(10) });
    expect(c.status).toBe('ANSWERED');
    const answered = c.pendingEvents().find((e) => e.type === 'ANSWERED')!;
    expect(answered.actor).toEqual(OFFICER);
    expect(answered.text).toBe('Bantuan cair minggu depan');
    expect(answered.after).toEqual({
      deliveredVia: 'PHONE', answeredAt: at(10).toISOString(), onTime: true,
      fromDraft: true, draftedBy: USER_ID, draftedAt: at(5).toISOString(), attachmentFileIds: ['f1'],
    });
  });

  it('is NO_DRAFT when nobody drafted, and the case stays as it was', () => {
    const c = openComplaint();
    const e = thrown(() => c.answerFromDraft('PHONE', at(10), OFFICER, at(10)));
    expect(e).toBeInstanceOf(NoDraftError);
    expect(e.code).toBe('NO_DRAFT');
    expect(c.status).toBe('RECEIVED');
    expect(c.snapshot().answer).toBeNull();
  });
});
