import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { buildPhoneCall, buildWalkIn } from '../../support/builders';
import { anonymous, as, gql, gqlOk, HANDLER_TEAM, startTestApp, Target } from '../../support/test-app';
import { codes, queryDb } from './support';

const TEAMS = `{ teams { code name active members { id username displayName role team disabled } } }`;
const CREATE_TEAM = `mutation($code: String!, $name: String!) { createTeam(code: $code, name: $name) { code name active members { id } } }`;
const RENAME_TEAM = `mutation($code: String!, $name: String!) { renameTeam(code: $code, name: $name) { code name active } }`;
const SET_TEAM_ACTIVE = `mutation($code: String!, $active: Boolean!) { setTeamActive(code: $code, active: $active) { code active } }`;
const SET_USER_TEAM = `mutation($id: ID!, $team: String) { setUserTeam(userId: $id, teamCode: $team) { id team role } }`;
const CREATE_USER = `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id team } }`;
const CREATE_TOKEN = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token apiToken { id team } } }`;
const LOGIN = `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }`;
const LOG_PHONE = `mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { id } }`;
const LOG_WALK_IN = `mutation($input: LogWalkInInput!) { logWalkIn(input: $input) { id kind } }`;
const ASSIGN = `mutation($id: ID!, $team: String!, $who: ID) { assignCase(caseId: $id, team: $team, assignee: $who) { id status assignee assignedUserId } }`;
const DRAFT = `mutation($id: ID!, $text: String!, $files: [ID!]) { draftAnswer(caseId: $id, text: $text, attachmentFileIds: $files) {
  id status answerDraft { text attachmentFileIds draftedBy draftedAt } } }`;
const ANSWER = `mutation($id: ID!, $answer: AnswerInput!) { answerCase(caseId: $id, answer: $answer) { id status answer { text deliveredVia } } }`;
const CASE = `query($id: ID!) { case(id: $id) { id assignee assignedUserId status answerDraft { text }
  timeline(first: 100) { edges { node { type actor text before after } } } } }`;
const CASES = `query($filter: CaseFilter) { cases(first: 100, filter: $filter) { totalCount edges { node { id } } } }`;

const PASSWORD = 'kopi-susu-pontianak-42';
const TEAM_2 = 'tim-pengaduan-2';

describe('teams as data, assignment to a team member, draft and answer (real server, real PostgreSQL)', () => {
  let app: LoketApp;
  let dbUrl: string;
  let drop: () => Promise<void>;
  const admin = (): Target => as(app, 'ADMIN');
  const officer = (): Target => as(app, 'COMPLAINT_OFFICER');
  /** Handlers with their own login sessions: `dewi` and `rudi` in HANDLER_TEAM, `andi` in TEAM_2. */
  const staff: Record<'dewi' | 'rudi' | 'andi', { id: string; target: Target }> = {} as never;

  const newComplaint = async (): Promise<string> => (await gqlOk(officer(), LOG_PHONE, { input: buildPhoneCall({ kind: 'COMPLAINT' }) })).logPhoneCall.id;
  const caseOf = async (id: string) => (await gqlOk(officer(), CASE, { id })).case;
  const typesOf = async (id: string): Promise<string[]> => (await caseOf(id)).timeline.edges.map((e: any) => e.node.type);
  const handler = async (username: string, team: string) => {
    const user = (await gqlOk(admin(), CREATE_USER, { i: { username, displayName: `Staf ${username}`, role: 'HANDLER', team, password: PASSWORD } })).createStaffUser;
    const token = (await gqlOk(anonymous(app), LOGIN, { u: username, p: PASSWORD })).login.token;
    return { id: user.id as string, target: { url: app.url, token } };
  };

  beforeAll(async () => {
    const db = await createTestDatabase('acl_teams');
    dbUrl = db.url;
    drop = db.drop;
    app = await startTestApp(db.url);
    staff.dewi = await handler('dewi.handler', HANDLER_TEAM);
    staff.rudi = await handler('rudi.handler', HANDLER_TEAM);
    staff.andi = await handler('andi.handler', TEAM_2);
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  describe('team administration', () => {
    it('an admin creates, renames and deactivates a team; the list shows its members', async () => {
      expect((await gqlOk(admin(), CREATE_TEAM, { code: 'tim-data', name: 'Tim Data' })).createTeam).toEqual({ code: 'tim-data', name: 'Tim Data', active: true, members: [] });
      expect((await gqlOk(admin(), RENAME_TEAM, { code: 'tim-data', name: 'Tim Data dan Informasi' })).renameTeam).toEqual({
        code: 'tim-data', name: 'Tim Data dan Informasi', active: true,
      });
      expect((await gqlOk(admin(), SET_TEAM_ACTIVE, { code: 'tim-data', active: false })).setTeamActive).toEqual({ code: 'tim-data', active: false });

      const teams = (await gqlOk(officer(), TEAMS)).teams;
      expect(teams.find((t: any) => t.code === 'tim-data')).toMatchObject({ name: 'Tim Data dan Informasi', active: false, members: [] });
      const own = teams.find((t: any) => t.code === HANDLER_TEAM);
      expect(own.members.map((m: any) => m.username)).toEqual(['dewi.handler', 'rudi.handler']);
      expect(own.members[0]).toEqual({ id: staff.dewi.id, username: 'dewi.handler', displayName: 'Staf dewi.handler', role: 'HANDLER', team: HANDLER_TEAM, disabled: false });
    });

    it('a taken code or a code that is not a slug is refused; an unknown team is TEAM_NOT_FOUND', async () => {
      const taken = await gql(admin(), CREATE_TEAM, { code: HANDLER_TEAM, name: 'Lagi' });
      expect(codes(taken)).toEqual(['BAD_USER_INPUT']);
      expect(taken.errors![0].extensions).toMatchObject({ field: 'code' });
      expect(codes(await gql(admin(), CREATE_TEAM, { code: 'Tim Baru', name: 'Tim Baru' }))).toEqual(['BAD_USER_INPUT']);
      const unknown = await gql(admin(), RENAME_TEAM, { code: 'tim-tidak-ada', name: 'X' });
      expect(codes(unknown)).toEqual(['TEAM_NOT_FOUND']);
      expect(unknown.errors![0]).toMatchObject({ message: 'Tim tidak ditemukan atau tidak aktif', extensions: { team: 'tim-tidak-ada' } });
    });

    it.each(['CLERK', 'COMPLAINT_OFFICER', 'HANDLER', 'SUPERVISOR'] as const)('a %s may not create or change teams (FORBIDDEN)', async (role) => {
      expect(codes(await gql(as(app, role), CREATE_TEAM, { code: `tim-${role.toLowerCase().replace('_', '-')}`, name: 'X' }))).toEqual(['FORBIDDEN']);
      expect(codes(await gql(as(app, role), SET_TEAM_ACTIVE, { code: HANDLER_TEAM, active: false }))).toEqual(['FORBIDDEN']);
      expect(codes(await gql(as(app, role), SET_USER_TEAM, { id: staff.dewi.id, team: TEAM_2 }))).toEqual(['FORBIDDEN']);
    });

    it('clerks and handlers do not list teams', async () => {
      expect(codes(await gql(as(app, 'CLERK'), TEAMS))).toEqual(['FORBIDDEN']);
      expect(codes(await gql(staff.dewi.target, TEAMS))).toEqual(['FORBIDDEN']);
    });

    it('users and tokens may only name an active team (TEAM_NOT_FOUND), and nothing is created', async () => {
      const user = await gql(admin(), CREATE_USER, { i: { username: 'siti.handler', displayName: 'Siti', role: 'HANDLER', team: 'tim-tidak-ada', password: PASSWORD } });
      expect(codes(user)).toEqual(['TEAM_NOT_FOUND']);
      const inactive = await gql(admin(), CREATE_USER, { i: { username: 'siti.handler', displayName: 'Siti', role: 'HANDLER', team: 'tim-data', password: PASSWORD } });
      expect(codes(inactive)).toEqual(['TEAM_NOT_FOUND']);
      expect(await queryDb(dbUrl, `SELECT id FROM staff_users WHERE username = 'siti.handler'`)).toEqual([]);
      const token = await gql(admin(), CREATE_TOKEN, { i: { name: 'handler tool', role: 'HANDLER', team: 'tim-tidak-ada' } });
      expect(codes(token)).toEqual(['TEAM_NOT_FOUND']);
      expect(await queryDb(dbUrl, `SELECT id FROM api_tokens WHERE name = 'handler tool'`)).toEqual([]);
    });

    it('setUserTeam moves a user to an active team; an unknown user, an inactive team, or a HANDLER without team is refused', async () => {
      const extra = await handler('budi.handler', HANDLER_TEAM);
      expect((await gqlOk(admin(), SET_USER_TEAM, { id: extra.id, team: TEAM_2 })).setUserTeam).toEqual({ id: extra.id, team: TEAM_2, role: 'HANDLER' });
      // The next request of their session works with the new team.
      const c = await newComplaint();
      await gqlOk(officer(), ASSIGN, { id: c, team: TEAM_2 });
      expect((await gqlOk(extra.target, CASE, { id: c })).case.id).toBe(c);

      expect(codes(await gql(admin(), SET_USER_TEAM, { id: extra.id, team: 'tim-data' }))).toEqual(['TEAM_NOT_FOUND']);
      expect(codes(await gql(admin(), SET_USER_TEAM, { id: extra.id, team: null }))).toEqual(['BAD_USER_INPUT']);
      const nobody = await gql(admin(), SET_USER_TEAM, { id: '00000000-0000-4000-8000-000000000000', team: TEAM_2 });
      expect(codes(nobody)).toEqual(['USER_NOT_FOUND']);
      expect(nobody.errors![0].message).toBe('Pegawai tidak ditemukan atau tidak aktif');
    });
  });

  describe('assignCase', () => {
    it('refuses an unknown or inactive team (TEAM_NOT_FOUND) and changes nothing', async () => {
      const c = await newComplaint();
      expect(codes(await gql(officer(), ASSIGN, { id: c, team: 'tim-tidak-ada' }))).toEqual(['TEAM_NOT_FOUND']);
      expect(codes(await gql(officer(), ASSIGN, { id: c, team: 'tim-data' }))).toEqual(['TEAM_NOT_FOUND']);
      expect(await caseOf(c)).toMatchObject({ assignee: null, assignedUserId: null, status: 'RECEIVED' });
      expect(await typesOf(c)).toEqual(['CASE_CREATED']);
    });

    it('refuses a person outside the team (ASSIGNEE_NOT_IN_TEAM), an unknown or disabled one (USER_NOT_FOUND)', async () => {
      const c = await newComplaint();
      const outside = await gql(officer(), ASSIGN, { id: c, team: HANDLER_TEAM, who: staff.andi.id });
      expect(codes(outside)).toEqual(['ASSIGNEE_NOT_IN_TEAM']);
      expect(outside.errors![0]).toMatchObject({ message: 'Pegawai ini bukan anggota tim tersebut', extensions: { userId: staff.andi.id, team: HANDLER_TEAM } });
      expect(codes(await gql(officer(), ASSIGN, { id: c, team: HANDLER_TEAM, who: '00000000-0000-4000-8000-000000000000' }))).toEqual(['USER_NOT_FOUND']);
      expect(codes(await gql(officer(), ASSIGN, { id: c, team: HANDLER_TEAM, who: 'dewi.handler' }))).toEqual(['USER_NOT_FOUND']);

      const gone = await handler('gone.handler', HANDLER_TEAM);
      await gqlOk(admin(), `mutation($id: ID!) { setStaffUserDisabled(id: $id, disabled: true) { id } }`, { id: gone.id });
      expect(codes(await gql(officer(), ASSIGN, { id: c, team: HANDLER_TEAM, who: gone.id }))).toEqual(['USER_NOT_FOUND']);
      expect(await typesOf(c)).toEqual(['CASE_CREATED']);
    });

    it('assigns to a member: the case shows team and person, the ASSIGNED event both', async () => {
      const c = await newComplaint();
      expect((await gqlOk(officer(), ASSIGN, { id: c, team: HANDLER_TEAM, who: staff.dewi.id })).assignCase).toEqual({
        id: c, status: 'IN_PROGRESS', assignee: HANDLER_TEAM, assignedUserId: staff.dewi.id,
      });
      const assigned = (await caseOf(c)).timeline.edges.map((e: any) => e.node).find((e: any) => e.type === 'ASSIGNED');
      expect(assigned).toMatchObject({ before: { assignee: null, assignedUserId: null }, after: { assignee: HANDLER_TEAM, assignedUserId: staff.dewi.id } });
    });
  });

  describe("the assignee's view", () => {
    let watiCase: string;
    let rudiCase: string;
    let teamCase: string;
    let otherTeamCase: string;
    /** A handler with nothing assigned yet, so their queue holds only what this block assigns. */
    let wati: { id: string; target: Target };

    beforeAll(async () => {
      wati = await handler('wati.handler', HANDLER_TEAM);
      [watiCase, rudiCase, teamCase, otherTeamCase] = [await newComplaint(), await newComplaint(), await newComplaint(), await newComplaint()];
      await gqlOk(officer(), ASSIGN, { id: watiCase, team: HANDLER_TEAM, who: wati.id });
      await gqlOk(officer(), ASSIGN, { id: rudiCase, team: HANDLER_TEAM, who: staff.rudi.id });
      await gqlOk(officer(), ASSIGN, { id: teamCase, team: HANDLER_TEAM });
      await gqlOk(officer(), ASSIGN, { id: otherTeamCase, team: TEAM_2, who: staff.andi.id });
    });

    it('the person a case is assigned to sees it (case and cases)', async () => {
      expect((await gqlOk(wati.target, CASE, { id: watiCase })).case).toMatchObject({ id: watiCase, assignedUserId: wati.id });
      expect((await gqlOk(staff.andi.target, CASE, { id: otherTeamCase })).case.id).toBe(otherTeamCase);
      const listed = (await gqlOk(wati.target, CASES)).cases.edges.map((e: any) => e.node.id);
      expect(listed).toEqual(expect.arrayContaining([watiCase, rudiCase, teamCase]));
      expect(listed).not.toContain(otherTeamCase);
    });

    it('assignedToMe gives a handler their own queue only', async () => {
      const mine = (await gqlOk(wati.target, CASES, { filter: { assignedToMe: true } })).cases;
      expect(mine).toEqual({ totalCount: 1, edges: [{ node: { id: watiCase } }] });
      const rudi = (await gqlOk(staff.rudi.target, CASES, { filter: { assignedToMe: true } })).cases;
      expect(rudi.edges.map((e: any) => e.node.id)).toContain(rudiCase);
      expect(rudi.edges.map((e: any) => e.node.id)).not.toContain(watiCase);
      expect(rudi.edges.map((e: any) => e.node.id)).not.toContain(teamCase);
      // A token is nobody in person: its queue is empty (the officer's token here).
      expect((await gqlOk(officer(), CASES, { filter: { assignedToMe: true } })).cases).toEqual({ totalCount: 0, edges: [] });
    });
  });

  describe('draft and answer', () => {
    it('a handler drafts, the officer answers from the draft; the timeline shows both', async () => {
      const c = await newComplaint();
      await gqlOk(officer(), ASSIGN, { id: c, team: HANDLER_TEAM, who: staff.dewi.id });
      // A file the handler may not read (stored by someone else, on no case) is refused; her own upload is hers to attach.
      const foreign = await app.services.files.put(Buffer.from('%PDF-1.4 milik orang lain'), 'application/pdf');
      expect(codes(await gql(staff.dewi.target, DRAFT, { id: c, text: 'Konsep', files: [foreign.id] }))).toEqual(['FORBIDDEN']);
      const form = new FormData();
      form.append('file', new Blob([Buffer.from('%PDF-1.4 surat jawaban')]), 'surat.pdf');
      const uploaded = await fetch(`${app.url.replace('/graphql', '')}/files`, { method: 'POST', body: form, headers: { authorization: `Bearer ${staff.dewi.target.token}` } });
      expect(uploaded.status).toBe(201);
      const file = (await uploaded.json()) as { id: string };
      await gqlOk(staff.dewi.target, DRAFT, { id: c, text: 'Konsep awal', files: [] });
      const drafted = (await gqlOk(staff.dewi.target, DRAFT, { id: c, text: 'Bantuan akan cair minggu depan', files: [file.id] })).draftAnswer;
      expect(drafted).toMatchObject({ id: c, status: 'IN_PROGRESS', answerDraft: { text: 'Bantuan akan cair minggu depan', attachmentFileIds: [file.id], draftedBy: staff.dewi.id } });
      // Teammates and the officer see the draft.
      expect((await gqlOk(staff.rudi.target, CASE, { id: c })).case.answerDraft).toEqual({ text: 'Bantuan akan cair minggu depan' });

      const answered = (await gqlOk(officer(), ANSWER, { id: c, answer: { fromDraft: true, deliveredVia: 'PHONE' } })).answerCase;
      expect(answered).toEqual({ id: c, status: 'ANSWERED', answer: { text: 'Bantuan akan cair minggu depan', deliveredVia: 'PHONE' } });

      const events = (await caseOf(c)).timeline.edges.map((e: any) => e.node);
      expect(events.map((e: any) => e.type)).toEqual(['CASE_CREATED', 'ASSIGNED', 'STATUS_CHANGED', 'ANSWER_DRAFTED', 'ANSWER_DRAFTED', 'ANSWERED', 'STATUS_CHANGED']);
      const [, second] = events.filter((e: any) => e.type === 'ANSWER_DRAFTED');
      expect(second).toMatchObject({ actor: 'user:dewi.handler', text: 'Bantuan akan cair minggu depan', after: { attachmentFileIds: [file.id] } });
      expect(events.find((e: any) => e.type === 'ANSWERED')).toMatchObject({
        actor: expect.stringMatching(/^token:/), text: 'Bantuan akan cair minggu depan',
        after: { deliveredVia: 'PHONE', fromDraft: true, draftedBy: staff.dewi.id, attachmentFileIds: [file.id] },
      });
      // The draft's file is linked to the case.
      expect(await queryDb(dbUrl, `SELECT source FROM case_attachments WHERE case_id = $1 AND file_id = $2`, [c, file.id])).toEqual([{ source: 'ANSWER_DRAFT' }]);
    });

    it('the officer may also answer with their own text, ignoring the draft', async () => {
      const c = await newComplaint();
      await gqlOk(officer(), ASSIGN, { id: c, team: HANDLER_TEAM });
      await gqlOk(staff.rudi.target, DRAFT, { id: c, text: 'Konsep tim' });
      const r = (await gqlOk(officer(), ANSWER, { id: c, answer: { text: 'Jawaban pejabat', deliveredVia: 'LETTER' } })).answerCase;
      expect(r.answer).toEqual({ text: 'Jawaban pejabat', deliveredVia: 'LETTER' });
    });

    it('a handler may not answer (FORBIDDEN), nor draft on another team’s case; the case is unchanged', async () => {
      const c = await newComplaint();
      await gqlOk(officer(), ASSIGN, { id: c, team: HANDLER_TEAM, who: staff.dewi.id });
      await gqlOk(staff.dewi.target, DRAFT, { id: c, text: 'Konsep' });
      expect(codes(await gql(staff.dewi.target, ANSWER, { id: c, answer: { fromDraft: true, deliveredVia: 'PHONE' } }))).toEqual(['FORBIDDEN']);
      expect(codes(await gql(staff.dewi.target, ANSWER, { id: c, answer: { text: 'Langsung saja', deliveredVia: 'PHONE' } }))).toEqual(['FORBIDDEN']);
      expect(codes(await gql(staff.andi.target, DRAFT, { id: c, text: 'Dari tim lain' }))).toEqual(['FORBIDDEN']);
      expect(codes(await gql(as(app, 'CLERK'), DRAFT, { id: c, text: 'Dari loket' }))).toEqual(['FORBIDDEN']);
      expect(await caseOf(c)).toMatchObject({ status: 'IN_PROGRESS', answerDraft: { text: 'Konsep' } });
    });

    it('fromDraft without a draft is NO_DRAFT; a text with fromDraft, or an unknown attachment, is BAD_USER_INPUT', async () => {
      const c = await newComplaint();
      const none = await gql(officer(), ANSWER, { id: c, answer: { fromDraft: true, deliveredVia: 'PHONE' } });
      expect(codes(none)).toEqual(['NO_DRAFT']);
      expect(none.errors![0].message).toBe('Belum ada konsep jawaban untuk kasus ini');
      expect((await caseOf(c)).status).toBe('RECEIVED');

      await gqlOk(officer(), DRAFT, { id: c, text: 'Konsep pejabat' });
      expect(codes(await gql(officer(), ANSWER, { id: c, answer: { fromDraft: true, text: 'Dua-duanya', deliveredVia: 'PHONE' } }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await gql(officer(), ANSWER, { id: c, answer: { deliveredVia: 'PHONE' } }))).toEqual(['BAD_USER_INPUT']);
      const badFile = await gql(officer(), DRAFT, { id: c, text: 'Dengan lampiran', files: ['0'.repeat(64)] });
      expect(codes(badFile)).toEqual(['BAD_USER_INPUT']);
      expect(badFile.errors![0].extensions).toMatchObject({ field: 'attachmentFileIds[0]' });
      expect((await caseOf(c)).answerDraft).toEqual({ text: 'Konsep pejabat' });
    });

    it('information requests are still answered by the clerk (petugas informasi), from a draft too', async () => {
      const r = (await gqlOk(as(app, 'CLERK'), LOG_WALK_IN, { input: buildWalkIn() })).logWalkIn;
      await gqlOk(officer(), DRAFT, { id: r.id, text: 'Data terlampir' });
      const answered = (await gqlOk(as(app, 'CLERK'), ANSWER, { id: r.id, answer: { fromDraft: true, deliveredVia: 'IN_PERSON' } })).answerCase;
      expect(answered).toMatchObject({ status: 'ANSWERED', answer: { text: 'Data terlampir', deliveredVia: 'IN_PERSON' } });
    });
  });
});
