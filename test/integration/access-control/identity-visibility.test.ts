import { LoketApp } from '../../../src/app';
import { Role } from '../../../src/domain/access/roles';
import { createTestDatabase } from '../../support/database';
import { buildPhoneCall, buildRequester } from '../../support/builders';
import { as, gql, gqlOk, HANDLER_TEAM, startTestApp, Target } from '../../support/test-app';
import { codes, queryDb } from './support';

const NIK = '6171014505900002';
const MASKED_NIK = '6171**********02';
const CALLER = '0812-3456-7890';

const LOG_PHONE = `mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { id kind confidential } }`;
const ASSIGN = `mutation($id: ID!, $who: String!) { assignCase(caseId: $id, team: $who) { id assignee } }`;
const CASE = `query($id: ID!) { case(id: $id) { id confidential anonymous identityHidden requester { name nik phone email address } channelDetails { name value } } }`;
const CASES = `query { cases(first: 100) { edges { node { id identityHidden requester { name nik } } } } }`;
const CHANNEL_ONLY = `query($id: ID!) { case(id: $id) { id channelDetails { name value } } }`;
const REVEAL = `mutation($id: ID!, $reason: String!) { revealNik(caseId: $id, reason: $reason) }`;
const AUDIT = `query($id: ID) { auditLog(caseId: $id, first: 200) { entries { id at actor actorRole action caseId reason details } hasNextPage } }`;
const CREATE_TOKEN = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token apiToken { id scopes } } }`;
const ME = `{ me { id } }`;

describe('who sees the identity of a requester (real server, real PostgreSQL)', () => {
  let app: LoketApp;
  let dbUrl: string;
  let drop: () => Promise<void>;
  /** Confidential complaint, assigned to the handler's team. */
  let complaintId: string;
  /** Information request (not confidential), not assigned at first. */
  let requestId: string;
  /** Complaint whose complainant agreed to be named (confidential: false), assigned to the handler's team. */
  let openComplaintId: string;
  let personalDataTarget: Target;
  const actorIds = {} as Record<Exclude<Role, 'INTEGRATION'>, string>;

  const logWithIdentity = async (overrides: Record<string, unknown>): Promise<{ id: string; kind: string; confidential: boolean }> =>
    (await gqlOk(app.url, LOG_PHONE, { input: buildPhoneCall({ requester: buildRequester(), callerNumber: CALLER, ...overrides }) })).logPhoneCall;

  const auditOf = async (caseId: string): Promise<any[]> => {
    const page = (await gqlOk(as(app, 'SUPERVISOR'), AUDIT, { id: caseId })).auditLog;
    expect(page.hasNextPage).toBe(false);
    return page.entries;
  };
  /** Sorted here by numeric id: the server's own order is wrong past id 99 (see 'auditLog is oldest first'). */
  const byId = (entries: any[]): any[] => [...entries].sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
  const views = async (caseId: string): Promise<any[]> => byId((await auditOf(caseId)).filter((e) => e.action === 'IDENTITY_VIEWED'));

  beforeAll(async () => {
    const db = await createTestDatabase('acl_identity');
    dbUrl = db.url;
    drop = db.drop;
    app = await startTestApp(db.url);

    complaintId = (await logWithIdentity({ kind: 'COMPLAINT' })).id;
    requestId = (await logWithIdentity({ kind: 'INFORMATION_REQUEST' })).id;
    openComplaintId = (await logWithIdentity({ kind: 'COMPLAINT', confidential: false })).id;
    await gqlOk(app.url, ASSIGN, { id: complaintId, who: HANDLER_TEAM });
    await gqlOk(app.url, ASSIGN, { id: openComplaintId, who: HANDLER_TEAM });

    const created = (await gqlOk(as(app, 'ADMIN'), CREATE_TOKEN, {
      i: { name: 'reporting tool with personal data', role: 'INTEGRATION', scopes: ['CASES_READ', 'PERSONAL_DATA_READ'] },
    })).createApiToken;
    personalDataTarget = { url: app.url, token: created.token };

    // Staff roles: the INTEGRATION views are checked by role only.
    for (const role of ['CLERK', 'COMPLAINT_OFFICER', 'HANDLER', 'SUPERVISOR', 'ADMIN'] as Role[]) {
      actorIds[role as Exclude<Role, 'INTEGRATION'>] = `token:${(await gqlOk(as(app, role), ME)).me.id}`;
    }
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  const shown = {
    requester: { name: 'Siti Aminah', nik: MASKED_NIK, phone: '+6281234567890', email: 'siti@example.id', address: 'Jl. Ahmad Yani No. 1, Pontianak' },
  };

  function expectVisible(c: any): void {
    expect(c).toMatchObject({ identityHidden: false, anonymous: false, requester: shown.requester });
    expect(c.channelDetails.map((d: any) => d.name)).toEqual(['callerNumber']);
    expect(c.channelDetails[0].value.replace(/\D/g, '')).toMatch(/8123456789 ?0$/);
  }
  function expectHidden(c: any): void {
    expect(c).toMatchObject({ identityHidden: true, anonymous: false, requester: null, channelDetails: [] });
  }

  it('the complaint is confidential by default, the information request is not', async () => {
    const complaint = (await gqlOk(as(app, 'ADMIN'), CASE, { id: complaintId })).case;
    const request = (await gqlOk(as(app, 'ADMIN'), CASE, { id: requestId })).case;
    const open = (await gqlOk(as(app, 'ADMIN'), CASE, { id: openComplaintId })).case;
    expect([complaint.confidential, request.confidential, open.confidential]).toEqual([true, false, false]);
  });

  describe('confidential complaint (assigned to the handler team)', () => {
    it.each(['COMPLAINT_OFFICER', 'SUPERVISOR', 'ADMIN'] as Role[])('%s sees the identity, NIK masked', async (role) => {
      const c = (await gqlOk(as(app, role), CASE, { id: complaintId })).case;
      expect(c.confidential).toBe(true);
      expectVisible(c);
    });

    it.each(['CLERK', 'HANDLER', 'INTEGRATION'] as Role[])('%s sees the case but not the identity', async (role) => {
      const c = (await gqlOk(as(app, role), CASE, { id: complaintId })).case;
      expect(c).not.toBeNull();
      expect(c.id).toBe(complaintId);
      expectHidden(c);
    });

    it('an INTEGRATION token with PERSONAL_DATA_READ sees the identity', async () => {
      const c = (await gqlOk(personalDataTarget, CASE, { id: complaintId })).case;
      expectVisible(c);
    });

    it('the case list hides it the same way (CLERK, HANDLER) and shows it to a SUPERVISOR', async () => {
      for (const role of ['CLERK', 'HANDLER'] as Role[]) {
        const nodes = (await gqlOk(as(app, role), CASES)).cases.edges.map((e: any) => e.node);
        const node = nodes.find((n: any) => n.id === complaintId);
        expect({ role, node }).toEqual({ role, node: { id: complaintId, identityHidden: true, requester: null } });
      }
      const nodes = (await gqlOk(as(app, 'SUPERVISOR'), CASES)).cases.edges.map((e: any) => e.node);
      expect(nodes.find((n: any) => n.id === complaintId)).toEqual({ id: complaintId, identityHidden: false, requester: { name: 'Siti Aminah', nik: MASKED_NIK } });
    });
  });

  describe('information request (not confidential)', () => {
    it('CLERK sees the identity', async () => {
      expectVisible((await gqlOk(as(app, 'CLERK'), CASE, { id: requestId })).case);
    });

    it('HANDLER sees nothing before it is assigned to their team, and the identity once it is', async () => {
      expect((await gqlOk(as(app, 'HANDLER'), CASE, { id: requestId })).case).toBeNull();
      await gqlOk(app.url, ASSIGN, { id: requestId, who: HANDLER_TEAM });
      const c = (await gqlOk(as(app, 'HANDLER'), CASE, { id: requestId })).case;
      expect(c.confidential).toBe(false);
      expectVisible(c);
    });
  });

  it('a complaint logged with confidential: false shows the identity to the assigned handler (and a clerk)', async () => {
    expectVisible((await gqlOk(as(app, 'HANDLER'), CASE, { id: openComplaintId })).case);
    expectVisible((await gqlOk(as(app, 'CLERK'), CASE, { id: openComplaintId })).case);
  });

  it('the NIK is never returned unmasked by a case query, for any role', async () => {
    for (const target of [...(['CLERK', 'COMPLAINT_OFFICER', 'HANDLER', 'SUPERVISOR', 'ADMIN', 'INTEGRATION'] as Role[]).map((r) => as(app, r)), personalDataTarget]) {
      for (const id of [complaintId, requestId, openComplaintId]) {
        const body = await gql(target, CASE, { id });
        expect(JSON.stringify(body)).not.toContain(NIK);
      }
    }
  });

  describe('revealNik', () => {
    const reason = 'Verifikasi identitas pelapor untuk tindak lanjut';

    it('returns the full NIK to a COMPLAINT_OFFICER and writes a NIK_REVEALED audit entry', async () => {
      const before = (await auditOf(complaintId)).filter((e) => e.action === 'NIK_REVEALED').length;
      const r = await gql(as(app, 'COMPLAINT_OFFICER'), REVEAL, { id: complaintId, reason });
      expect(r.errors).toBeUndefined();
      expect(r.data!.revealNik).toBe(NIK);

      const reveals = byId((await auditOf(complaintId)).filter((e) => e.action === 'NIK_REVEALED'));
      expect(reveals).toHaveLength(before + 1);
      expect(reveals[reveals.length - 1]).toMatchObject({
        action: 'NIK_REVEALED', caseId: complaintId, actor: actorIds.COMPLAINT_OFFICER, actorRole: 'COMPLAINT_OFFICER', reason,
      });
      expect(JSON.stringify(reveals)).not.toContain(NIK);
    });

    it('a too short reason is BAD_USER_INPUT and reveals nothing, audits nothing', async () => {
      const before = (await auditOf(complaintId)).length;
      const r = await gql(as(app, 'COMPLAINT_OFFICER'), REVEAL, { id: complaintId, reason: 'abc' });
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      expect(r.data?.revealNik ?? null).toBeNull();
      expect(JSON.stringify(r)).not.toContain(NIK);
      expect((await auditOf(complaintId)).length).toBe(before);
    });

    it.each(['CLERK', 'HANDLER', 'INTEGRATION'] as Role[])('%s may not reveal a NIK (FORBIDDEN)', async (role) => {
      const r = await gql(as(app, role), REVEAL, { id: complaintId, reason });
      expect(codes(r)).toEqual(['FORBIDDEN']);
      expect(JSON.stringify(r)).not.toContain(NIK);
    });
  });

  describe('IDENTITY_VIEWED audit entries', () => {
    it('a query that returns the identity adds one entry for that case, naming the viewer', async () => {
      const before = await views(complaintId);
      const c = (await gqlOk(as(app, 'COMPLAINT_OFFICER'), CASE, { id: complaintId })).case;
      expect(c.requester).not.toBeNull();
      const after = await views(complaintId);
      expect(after).toHaveLength(before.length + 1);
      expect(after[after.length - 1]).toMatchObject({ action: 'IDENTITY_VIEWED', caseId: complaintId, actor: actorIds.COMPLAINT_OFFICER, actorRole: 'COMPLAINT_OFFICER' });
    });

    it('queries where the identity is hidden add none (then a visible one adds exactly one)', async () => {
      const before = await views(complaintId);
      for (const role of ['CLERK', 'HANDLER', 'INTEGRATION'] as Role[]) {
        const c = (await gqlOk(as(app, role), CASE, { id: complaintId })).case;
        expect(c.requester).toBeNull();
      }
      await gqlOk(as(app, 'CLERK'), CASES);
      expect(await views(complaintId)).toHaveLength(before.length);

      // Sentinel: a view that does show the identity is recorded, so the count above was not merely late.
      await gqlOk(personalDataTarget, CASE, { id: complaintId });
      const after = await views(complaintId);
      expect(after).toHaveLength(before.length + 1);
      expect(after[after.length - 1].actorRole).toBe('INTEGRATION');
    });

    it('the case list adds one entry per case whose identity it shows', async () => {
      const ids = [complaintId, requestId, openComplaintId];
      const before = await Promise.all(ids.map(views));
      const nodes = (await gqlOk(as(app, 'SUPERVISOR'), CASES)).cases.edges.map((e: any) => e.node);
      for (const id of ids) expect(nodes.find((n: any) => n.id === id)?.requester).not.toBeNull();
      const after = await Promise.all(ids.map(views));
      ids.forEach((id, i) => {
        expect({ id, added: after[i].length - before[i].length }).toEqual({ id, added: 1 });
        expect(after[i][after[i].length - 1]).toMatchObject({ actor: actorIds.SUPERVISOR, actorRole: 'SUPERVISOR', caseId: id });
      });
    });

    it('a handler shown an identity (non-confidential, own team) is recorded too; one hidden from them is not', async () => {
      const openBefore = await views(openComplaintId);
      const confidentialBefore = await views(complaintId);
      await gqlOk(as(app, 'HANDLER'), CASE, { id: openComplaintId });
      await gqlOk(as(app, 'HANDLER'), CASE, { id: complaintId });
      const openAfter = await views(openComplaintId);
      expect(openAfter).toHaveLength(openBefore.length + 1);
      expect(openAfter[openAfter.length - 1]).toMatchObject({ actor: actorIds.HANDLER, actorRole: 'HANDLER' });
      expect(await views(complaintId)).toHaveLength(confidentialBefore.length);
    });

    it('a query that returns only channelDetails (the caller number identifies the person) is recorded as a view', async () => {
      const before = await views(complaintId);
      const c = (await gqlOk(as(app, 'COMPLAINT_OFFICER'), CHANNEL_ONLY, { id: complaintId })).case;
      expect(c.channelDetails.map((d: any) => d.name)).toEqual(['callerNumber']);
      expect(await views(complaintId)).toHaveLength(before.length + 1);
    });
  });

  it('auditLog is oldest first: ids ascend numerically, also past id 99, and paging returns every entry once', async () => {
    // Make sure the log has entries with ids of different lengths (9, 10, 100, ...).
    while ((await queryDb(dbUrl, 'SELECT max(id)::int AS m FROM audit_log'))[0].m < 120) {
      await gqlOk(as(app, 'SUPERVISOR'), CASE, { id: complaintId });
    }
    const stored = (await queryDb(dbUrl, 'SELECT id::text AS id FROM audit_log ORDER BY audit_log.id')).map((r) => r.id);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page++) {
      const r: any = (await gqlOk(as(app, 'SUPERVISOR'), `query($after: String) { auditLog(first: 25, after: $after) { entries { id } hasNextPage endCursor } }`, { after })).auditLog;
      seen.push(...r.entries.map((e: any) => e.id));
      if (!r.hasNextPage) break;
      after = r.endCursor;
    }
    expect(seen.slice(0, 15)).toEqual(stored.slice(0, 15));
    expect(seen).toEqual(stored);
  });

  describe('the NIK is stored encrypted', () => {
    it('the cases row contains the NIK digits nowhere, and nik_ciphertext is a v1. ciphertext', async () => {
      for (const id of [complaintId, requestId, openComplaintId]) {
        const [row] = await queryDb(dbUrl, 'SELECT c::text AS whole, nik_ciphertext FROM cases c WHERE id = $1', [id]);
        expect(row).toBeDefined();
        expect(row.whole).toContain(id); // the cast really is the row
        expect(row.whole).not.toContain(NIK);
        expect(row.nik_ciphertext).toMatch(/^v1\./);
        expect(row.nik_ciphertext).not.toContain(NIK);
      }
    });

    it('no other table holds the NIK in clear either (timeline, outbox, audit log)', async () => {
      for (const table of ['case_events', 'outbox', 'audit_log']) {
        const rows = await queryDb(dbUrl, `SELECT t::text AS whole FROM ${table} t`);
        expect(rows.length).toBeGreaterThan(0);
        expect({ table, leaked: rows.filter((r) => r.whole.includes(NIK)).length }).toEqual({ table, leaked: 0 });
      }
    });
  });
});
