import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { gql, gqlOk, ManualClock, startTestApp } from '../../support/test-app';
import { buildComplaintBoxEntry, buildFax, buildPhoneCall, buildRequester, buildWalkIn, CASE_FIELDS } from '../../support/builders';

const LOG_PHONE = `mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { ${CASE_FIELDS} } }`;
const LOG_FAX = `mutation($input: LogFaxInput!) { logFax(input: $input) { ${CASE_FIELDS} } }`;
const LOG_WALK_IN = `mutation($input: LogWalkInInput!) { logWalkIn(input: $input) { ${CASE_FIELDS} } }`;
const LOG_BOX = `mutation($input: ComplaintBoxEntryInput!) { registerComplaintBoxEntry(input: $input) { ${CASE_FIELDS} } }`;

describe('desk intake over GraphQL (real PostgreSQL)', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  // Tue 2026-03-17 10:00 WIB, the day before the Idul Fitri block.
  const clock = new ManualClock(new Date('2026-03-17T03:00:00Z'));

  beforeAll(async () => {
    const db = await createTestDatabase('intake');
    drop = db.drop;
    app = await startTestApp(db.url, clock);
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  it('logs a phone call as a complaint held to the LIGHT clock, with a reference number and normalized contact data', async () => {
    const { logPhoneCall: c } = await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall({ requester: buildRequester() }) });
    expect(c.reference).toMatch(/^ADU-2026-\d{6}$/);
    expect(c).toMatchObject({ kind: 'COMPLAINT', channel: 'PHONE', status: 'RECEIVED', complaintClass: null, overdue: false });
    expect(c.receivedAt).toBe('2026-03-17T03:00:00.000Z');
    // 3 office hours from 10:00 WIB Tuesday: 13:00 WIB.
    expect(c.dueAt).toBe('2026-03-17T06:00:00.000Z');
    expect(c.requester).toMatchObject({ name: 'Siti Aminah', phone: '+6281234567890', email: 'siti@example.id', nik: '6171**********02' });
    expect(c.channelDetails).toEqual([{ name: 'callerNumber', value: '0812-3456-7890' }]);
  });

  it('refuses a caller or fax number that is not a phone number (BAD_USER_INPUT naming the field); stores nothing', async () => {
    const count = async (): Promise<number> => (await gqlOk(app.url, '{ cases(first: 0) { totalCount } }')).cases.totalCount;
    const before = await count();
    for (const [mutation, input, field] of [
      [LOG_PHONE, buildPhoneCall({ callerNumber: 'halo halo' }), 'callerNumber'],
      [LOG_PHONE, buildPhoneCall({ callerNumber: '0812-ABCD-7890' }), 'callerNumber'],
      [LOG_FAX, buildFax({ faxNumber: '0812-ABCD-7890' }), 'faxNumber'],
    ] as const) {
      const r = await gql(app.url, mutation, { input });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(r.data ?? null).toBeNull();
    }
    expect(await count()).toBe(before);
  });

  it('classifying NORMATIVE across the 2026 Idul Fitri block gives 2026-03-31 16:00 WIB', async () => {
    const { logPhoneCall: c } = await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall() });
    const { classifyComplaint: k } = await gqlOk(
      app.url,
      `mutation($id: ID!) { classifyComplaint(caseId: $id, complaintClass: NORMATIVE) { complaintClass dueAt timeline { edges { node { type before after } } } } }`,
      { id: c.id },
    );
    expect(k.complaintClass).toBe('NORMATIVE');
    expect(k.dueAt).toBe('2026-03-31T09:00:00.000Z');
    const classified = k.timeline.edges.map((e: any) => e.node).find((n: any) => n.type === 'COMPLAINT_CLASSIFIED');
    expect(classified.before).toEqual({ complaintClass: null, dueAt: '2026-03-17T06:00:00.000Z' });
    expect(classified.after).toEqual({ complaintClass: 'NORMATIVE', dueAt: '2026-03-31T09:00:00.000Z' });
  });

  it('keeps receivedAt (when the bureau got it) apart from loggedAt', async () => {
    const { registerComplaintBoxEntry: c } = await gqlOk(app.url, LOG_BOX, {
      input: buildComplaintBoxEntry({ receivedAt: '2026-03-16T08:00:00+07:00' }),
    });
    expect(c).toMatchObject({ kind: 'COMPLAINT', channel: 'COMPLAINT_BOX', requester: null });
    expect(c.receivedAt).toBe('2026-03-16T01:00:00.000Z');
    expect(c.loggedAt).toBe('2026-03-17T03:00:00.000Z');
  });

  it('an information request missing requirements is INCOMPLETE with no clock; completing it starts the clock', async () => {
    const { logWalkIn: c } = await gqlOk(app.url, LOG_WALK_IN, {
      input: buildWalkIn({ requirements: { assignmentLetter: true, requestLetter: false } }),
    });
    expect(c.reference).toMatch(/^PDI-2026-\d{6}$/);
    expect(c).toMatchObject({ status: 'INCOMPLETE', dueAt: null, clockStartedAt: null });
    expect(c.requirements).toEqual({
      assignmentLetter: true, requestLetter: false, identityDocument: false, complete: false, missing: ['requestLetter', 'identityDocument'],
    });
    const answer = await gql(app.url, `mutation($id: ID!) { answerCase(caseId: $id, answer: { text: "Data terlampir", deliveredVia: EMAIL }) { id } }`, { id: c.id });
    expect(answer.errors?.[0].extensions?.code).toBe('REQUIREMENTS_MISSING');

    clock.set('2026-03-25T02:00:00Z'); // Wed 09:00 WIB, after the holidays
    try {
      const { updateRequirements: u } = await gqlOk(
        app.url,
        `mutation($id: ID!) { updateRequirements(caseId: $id, requirements: { requestLetter: true, identityDocument: true }) { status clockStartedAt dueAt requirements { complete } } }`,
        { id: c.id },
      );
      expect(u).toMatchObject({ status: 'RECEIVED', clockStartedAt: '2026-03-25T02:00:00.000Z', requirements: { complete: true } });
      // 3 working days after Wed 25 March: Thu 26, Fri 27, Mon 30 -> 16:00 WIB.
      expect(u.dueAt).toBe('2026-03-30T09:00:00.000Z');
    } finally {
      clock.set('2026-03-17T03:00:00Z');
    }
  });

  it('a complete walk-in request is RECEIVED and due in 3 working days', async () => {
    const { logWalkIn: c } = await gqlOk(app.url, LOG_WALK_IN, { input: buildWalkIn() });
    expect(c.status).toBe('RECEIVED');
    expect(c.dueAt).toBe('2026-03-27T09:30:00.000Z'); // Wed 25, Thu 26, Fri 27 (Friday closes 16:30)
  });

  it('logs a fax with its sender number', async () => {
    const { logFax: c } = await gqlOk(app.url, LOG_FAX, { input: buildFax() });
    expect(c).toMatchObject({ channel: 'FAX', channelDetails: [{ name: 'faxNumber', value: '(0561) 730062' }] });
  });

  it('the same idempotency key returns the same case and creates nothing; other content with that key is refused', async () => {
    const input = buildPhoneCall({ idempotencyKey: `call-${Date.now()}` });
    const first = (await gqlOk(app.url, LOG_PHONE, { input })).logPhoneCall;
    const again = (await gqlOk(app.url, LOG_PHONE, { input })).logPhoneCall;
    expect(again.id).toBe(first.id);
    expect(again.reference).toBe(first.reference);
    const found = await gqlOk(app.url, `query($t: String!) { cases(filter: { text: $t }) { totalCount } }`, { t: input.subject as string });
    expect(found.cases.totalCount).toBe(1);
    const clash = await gql(app.url, LOG_PHONE, { input: { ...input, subject: 'Lain sama sekali' } });
    expect(clash.errors?.[0].extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('concurrent retries with one key make exactly one case', async () => {
    const input = buildPhoneCall({ idempotencyKey: `race-${Date.now()}` });
    const results = await Promise.all(Array.from({ length: 8 }, () => gqlOk(app.url, LOG_PHONE, { input })));
    expect(new Set(results.map((r) => r.logPhoneCall.id)).size).toBe(1);
  });

  it('concurrent intakes get unique, gapless reference numbers per kind', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, () => gqlOk(app.url, LOG_BOX, { input: buildComplaintBoxEntry() })));
    const numbers = results.map((r) => Number(r.registerComplaintBoxEntry.reference.slice(-6))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(30);
    expect(numbers[29] - numbers[0]).toBe(29);
  });

  it.each([
    ['empty subject', { subject: '   ' }, 'subject'],
    ['invalid NIK', { requester: buildRequester({ nik: '12345' }) }, 'requester.nik'],
    ['invalid phone', { requester: buildRequester({ phone: 'call me' }) }, 'requester.phone'],
    ['invalid email', { requester: buildRequester({ email: 'not-an-email' }) }, 'requester.email'],
    ['receivedAt in the future', { receivedAt: '2026-03-18T03:00:00Z' }, 'receivedAt'],
    ['class on an information request', { kind: 'INFORMATION_REQUEST', complaintClass: 'LIGHT' }, 'complaintClass'],
  ])('refuses %s with BAD_USER_INPUT naming the field, without echoing personal data', async (_name, override, field) => {
    const r = await gql(app.url, LOG_PHONE, { input: buildPhoneCall(override) });
    expect(r.data).toBeNull();
    const e = r.errors![0];
    expect(e.extensions?.code).toBe('BAD_USER_INPUT');
    expect(e.extensions?.field).toBe(field);
    const text = JSON.stringify(r);
    expect(text).not.toContain('12345');
    expect(text).not.toContain('not-an-email');
    expect(text).not.toContain('stacktrace');
  });

  it('refuses an unknown kind through GraphQL validation', async () => {
    const r = await gql(app.url, LOG_PHONE, { input: buildPhoneCall({ kind: 'PRAISE' }) });
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
