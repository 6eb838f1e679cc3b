import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { gql, gqlOk, ManualClock, startTestApp } from '../../support/test-app';
import { buildPhoneCall, buildWalkIn, CASE_FIELDS } from '../../support/builders';

const LOG_PHONE = `mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { ${CASE_FIELDS} } }`;
const TIMELINE = `query($id: ID!) { case(id: $id) { status timeline(first: 100) { totalCount edges { cursor node { type actor at before after text } } } } }`;

describe('case workflow over GraphQL (real PostgreSQL)', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  const clock = new ManualClock(new Date('2026-04-06T02:00:00Z')); // Mon 09:00 WIB

  beforeAll(async () => {
    const db = await createTestDatabase('workflow');
    drop = db.drop;
    app = await startTestApp(db.url, clock);
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  const newComplaint = async (overrides: Record<string, unknown> = {}) =>
    (await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall(overrides) })).logPhoneCall;
  const run = (query: string, variables: Record<string, unknown>) => gql(app.url, query, variables);

  it('walks a complaint from intake to closing, each step on the timeline', async () => {
    const c = await newComplaint();
    await gqlOk(app.url, `mutation($id: ID!) { classifyComplaint(caseId: $id, complaintClass: NON_SUPERVISORY) { id } }`, { id: c.id });
    const assigned = await gqlOk(app.url, `mutation($id: ID!) { assignCase(caseId: $id, team: "tim-pengaduan-1") { status assignee } }`, { id: c.id });
    expect(assigned.assignCase).toEqual({ status: 'IN_PROGRESS', assignee: 'tim-pengaduan-1' });
    await gqlOk(app.url, `mutation($id: ID!) { addNote(caseId: $id, text: "Sudah dikonfirmasi ke Dinas Sosial") { id } }`, { id: c.id });
    clock.advance(60 * 60_000);
    const answered = await gqlOk(
      app.url,
      `mutation($id: ID!) { answerCase(caseId: $id, answer: { text: "Bantuan akan dicairkan minggu depan", deliveredVia: PHONE }) { status answer { text deliveredVia answeredAt } } }`,
      { id: c.id },
    );
    expect(answered.answerCase).toEqual({
      status: 'ANSWERED',
      answer: { text: 'Bantuan akan dicairkan minggu depan', deliveredVia: 'PHONE', answeredAt: '2026-04-06T03:00:00.000Z' },
    });
    const closed = await gqlOk(app.url, `mutation($id: ID!) { closeCase(caseId: $id) { status } }`, { id: c.id });
    expect(closed.closeCase.status).toBe('CLOSED');

    const t = (await gqlOk(app.url, TIMELINE, { id: c.id })).case.timeline;
    expect(t.edges.map((e: any) => e.node.type)).toEqual([
      'CASE_CREATED', 'COMPLAINT_CLASSIFIED', 'ASSIGNED', 'STATUS_CHANGED', 'NOTE_ADDED', 'ANSWERED', 'STATUS_CHANGED', 'STATUS_CHANGED',
    ]);
    const answeredEvent = t.edges.find((e: any) => e.node.type === 'ANSWERED').node;
    expect(answeredEvent.actor).toMatch(/^token:[0-9a-f-]{36}$/);
    expect(answeredEvent).toMatchObject({ text: 'Bantuan akan dicairkan minggu depan', after: { deliveredVia: 'PHONE', onTime: true } });
    const statuses = t.edges.filter((e: any) => e.node.type === 'STATUS_CHANGED').map((e: any) => [e.node.before.status, e.node.after.status]);
    expect(statuses).toEqual([['RECEIVED', 'IN_PROGRESS'], ['IN_PROGRESS', 'ANSWERED'], ['ANSWERED', 'CLOSED']]);
    expect(t.totalCount).toBe(t.edges.length);
  });

  it('refuses transitions outside the table with INVALID_TRANSITION and changes nothing', async () => {
    const c = await newComplaint();
    const r = await run(`mutation($id: ID!) { closeCase(caseId: $id) { status } }`, { id: c.id });
    expect(r.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
    await gqlOk(app.url, `mutation($id: ID!) { rejectCase(caseId: $id, reason: SPAM, note: "iklan") { status rejection { reason note } } }`, { id: c.id });
    const again = await run(`mutation($id: ID!) { assignCase(caseId: $id, team: "x") { status } }`, { id: c.id });
    expect(again.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
    const after = (await gqlOk(app.url, TIMELINE, { id: c.id })).case;
    expect(after.status).toBe('REJECTED');
    expect(after.timeline.edges.map((e: any) => e.node.type)).toEqual(['CASE_CREATED', 'REJECTED', 'STATUS_CHANGED']);
  });

  it('merges a duplicate into its case', async () => {
    const target = await newComplaint();
    const source = await newComplaint();
    const merged = await gqlOk(app.url, `mutation($s: ID!, $t: ID!) { mergeCases(sourceId: $s, targetId: $t) { id } }`, { s: source.id, t: target.id });
    expect(merged.mergeCases.id).toBe(target.id);
    const s = await gqlOk(app.url, `query($id: ID!) { case(id: $id) { status mergedIntoId } }`, { id: source.id });
    expect(s.case).toEqual({ status: 'MERGED', mergedIntoId: target.id });
    const t = (await gqlOk(app.url, TIMELINE, { id: target.id })).case.timeline.edges.map((e: any) => e.node);
    expect(t[t.length - 1]).toMatchObject({ type: 'MERGED_FROM', after: { sourceId: source.id, sourceReference: source.reference } });
    const self = await run(`mutation($s: ID!) { mergeCases(sourceId: $s, targetId: $s) { id } }`, { s: target.id });
    expect(self.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const info = (await gqlOk(app.url, `mutation($i: LogWalkInInput!) { logWalkIn(input: $i) { id } }`, { i: buildWalkIn() })).logWalkIn;
    const kinds = await run(`mutation($s: ID!, $t: ID!) { mergeCases(sourceId: $s, targetId: $t) { id } }`, { s: info.id, t: target.id });
    expect(kinds.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers late are recorded as not on time', async () => {
    const c = await newComplaint(); // LIGHT: due 12:00 WIB
    clock.advance(2 * 24 * 3600_000);
    try {
      await gqlOk(app.url, `mutation($id: ID!) { answerCase(caseId: $id, answer: { text: "Jawaban", deliveredVia: LETTER }) { id } }`, { id: c.id });
      const t = (await gqlOk(app.url, TIMELINE, { id: c.id })).case.timeline.edges.map((e: any) => e.node);
      expect(t.find((n: any) => n.type === 'ANSWERED').after.onTime).toBe(false);
    } finally {
      clock.advance(-2 * 24 * 3600_000);
    }
  });

  it('concurrent changes to one case all land, none lost (optimistic locking with retry)', async () => {
    const c = await newComplaint();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => gqlOk(app.url, `mutation($id: ID!, $t: String!) { addNote(caseId: $id, text: $t) { id } }`, { id: c.id, t: `catatan ${i}` })),
    );
    const t = (await gqlOk(app.url, TIMELINE, { id: c.id })).case.timeline;
    expect(t.edges.filter((e: any) => e.node.type === 'NOTE_ADDED')).toHaveLength(20);
  });

  it.each([
    ['unknown id', { id: '00000000-0000-4000-8000-000000000000' }],
    ['malformed id', { id: 'not-a-uuid' }],
  ])('workflow on an %s fails with CASE_NOT_FOUND', async (_n, vars) => {
    const r = await run(`mutation($id: ID!) { addNote(caseId: $id, text: "x") { id } }`, vars);
    expect(r.errors?.[0].extensions?.code).toBe('CASE_NOT_FOUND');
  });

  it('an empty note and a withdrawn requirement are refused', async () => {
    const c = await newComplaint();
    const empty = await run(`mutation($id: ID!) { addNote(caseId: $id, text: "   ") { id } }`, { id: c.id });
    expect(empty.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'text' });
    const info = (await gqlOk(app.url, `mutation($i: LogWalkInInput!) { logWalkIn(input: $i) { id } }`, { i: buildWalkIn() })).logWalkIn;
    const withdraw = await run(`mutation($id: ID!) { updateRequirements(caseId: $id, requirements: { identityDocument: false }) { id } }`, { id: info.id });
    expect(withdraw.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
  });
});
