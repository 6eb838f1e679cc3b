import { LoketApp } from '../../../src/app';
import { TypeormCaseRepository } from '../../../src/adapters/persistence/typeorm-case.repository';
import { TOTAL_COUNT_CAP } from '../../../src/domain/case/case-repository.port';
import { createTestDatabase } from '../../support/database';
import { gqlOk, ManualClock, startTestApp } from '../../support/test-app';
import { buildPhoneCall } from '../../support/builders';

/**
 * totalCount of a case list: counted only when selected, exact up to TOTAL_COUNT_CAP, and
 * capped (with totalCountIsCapped) beyond it.
 */
describe('cases totalCount: counted on request, capped over large results (real PostgreSQL)', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  const clock = new ManualClock(new Date('2026-05-04T02:00:00Z'));

  beforeAll(async () => {
    const db = await createTestDatabase('totalcount');
    drop = db.drop;
    app = await startTestApp(db.url, clock);
    for (const subject of ['Bantuan sosial belum diterima', 'Bantuan sosial dipotong', 'Jembatan putus di desa']) {
      await gqlOk(app.url, `mutation($i: LogPhoneCallInput!) { logPhoneCall(input: $i) { id } }`, { i: buildPhoneCall({ subject }) });
    }
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await app?.stop();
    await drop?.();
  });

  it('does not count when neither totalCount nor totalCountIsCapped is selected', async () => {
    const count = jest.spyOn(TypeormCaseRepository.prototype, 'count');
    try {
      const r = await gqlOk(app.url, `{ cases(first: 2) { edges { node { id } } pageInfo { hasNextPage } } }`);
      expect(r.cases.edges).toHaveLength(2);
      expect(count).not.toHaveBeenCalled();
    } finally {
      count.mockRestore();
    }
  });

  it('counts once, exactly, when both fields are selected', async () => {
    const count = jest.spyOn(TypeormCaseRepository.prototype, 'count');
    try {
      const r = await gqlOk(app.url, `{ cases(first: 1) { totalCount totalCountIsCapped edges { node { id } } } }`);
      expect(r.cases).toMatchObject({ totalCount: 3, totalCountIsCapped: false });
      expect(count).toHaveBeenCalledTimes(1);
    } finally {
      count.mockRestore();
    }
  });

  it('gives the cap and totalCountIsCapped when more cases match than the cap', async () => {
    // Copies of a stored case with fresh ids and references (no domain path makes 10,000 cases fast).
    await app.db.dataSource.query(
      `INSERT INTO cases (id, reference, kind, channel, status, complaint_class, subject, description, received_at, logged_at,
         clock_started_at, due_at, deadline_warnings, requester, requirements, channel_details, assignee, answer, rejection,
         merged_into_id, updated_at, version, search_text, access_code)
       SELECT gen_random_uuid(), 'ADU-2019-' || lpad(g::text, 6, '0'), kind, channel, status, complaint_class, subject, description,
         received_at - make_interval(secs => g), logged_at, clock_started_at, due_at, deadline_warnings, requester, requirements,
         channel_details, assignee, answer, rejection, merged_into_id, updated_at, version, search_text, access_code
       FROM (SELECT * FROM cases WHERE subject = 'Bantuan sosial belum diterima') t, generate_series(1, $1::int) g`,
      [TOTAL_COUNT_CAP],
    );
    const all = await gqlOk(app.url, `{ cases(first: 1) { totalCount totalCountIsCapped } }`);
    expect(all.cases).toEqual({ totalCount: TOTAL_COUNT_CAP, totalCountIsCapped: true });
    // A selective filter over the same table stays exact.
    const few = await gqlOk(app.url, `{ cases(first: 1, filter: { text: "jembatan" }) { totalCount totalCountIsCapped } }`);
    expect(few.cases).toEqual({ totalCount: 1, totalCountIsCapped: false });
    const [{ n }] = await app.db.dataSource.query(`SELECT count(*)::int AS n FROM cases`);
    expect(n).toBe(TOTAL_COUNT_CAP + 3);
  });
});
