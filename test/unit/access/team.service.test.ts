import { AuditEntry } from '../../../src/domain/access/credentials';
import { Principal } from '../../../src/domain/access/roles';
import { assignmentProblem, Team, teamCodeProblems, TeamMember } from '../../../src/domain/access/team';
import { TeamRepository } from '../../../src/domain/access/team-repository.port';
import { TeamService } from '../../../src/domain/access/team.service';

const NOW = new Date('2026-12-01T02:00:00Z');
const ADMIN: Principal = { id: 'a-1', name: 'admin', kind: 'USER', role: 'ADMIN', scopes: [], team: null, credentialId: 's-1' };
const DEWI = '11111111-1111-4111-8111-111111111111';
const ANDI = '22222222-2222-4222-8222-222222222222';
const GONE = '33333333-3333-4333-8333-333333333333';

/** An in-memory TeamRepository: enough to test the rules, not the SQL. */
class MemoryTeams implements TeamRepository {
  teams = new Map<string, Team>();
  users = new Map<string, TeamMember>();
  sessions = new Map<string, string[]>();
  async insert(t: Team) {
    if (this.teams.has(t.code)) return false;
    this.teams.set(t.code, { ...t });
    return true;
  }
  async findByCode(code: string) {
    return this.teams.get(code) ?? null;
  }
  async list() {
    return [...this.teams.values()];
  }
  async update(code: string, changes: { name?: string; active?: boolean }) {
    const t = this.teams.get(code);
    if (!t) return null;
    Object.assign(t, Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)));
    return { ...t };
  }
  async members(codes: string[]) {
    return [...this.users.values()].filter((u) => u.team && codes.includes(u.team));
  }
  async findMember(id: string) {
    return this.users.get(id) ?? null;
  }
  async setUserTeam(id: string, code: string | null) {
    const u = this.users.get(id);
    if (!u) return null;
    u.team = code;
    return { ...u };
  }
  async openSessionsOf(id: string) {
    return this.sessions.get(id) ?? [];
  }
}

function setup() {
  const repo = new MemoryTeams();
  const audit: AuditEntry[] = [];
  let n = 0;
  const service = new TeamService(repo, { record: async (e) => void audit.push(...e), list: async () => ({ entries: [], hasNextPage: false }) }, { now: () => NOW }, {
    newId: () => `id-${++n}`,
  });
  const member = (id: string, over: Partial<TeamMember> = {}): TeamMember => ({
    id, username: `u${id.slice(0, 4)}`, displayName: 'Staf', role: 'HANDLER', team: 'tim-pengaduan-1', disabledAt: null, ...over,
  });
  repo.users.set(DEWI, member(DEWI));
  repo.users.set(ANDI, member(ANDI, { team: 'tim-pengaduan-2' }));
  repo.users.set(GONE, member(GONE, { disabledAt: NOW }));
  return { repo, audit, service };
}

describe('team rules', () => {
  it.each(['tim-pengaduan-1', 'a', 'tim2', 'x-1-y'])('accepts the code %s', (code) => expect(teamCodeProblems(code)).toEqual([]));
  it.each(['', 'Tim A', 'tim_a', '-tim', 'tim-', 'tim--a', 'TIM-A', 'x'.repeat(64)])('refuses the code %j', (code) =>
    expect(teamCodeProblems(code).map((p) => p.field)).toEqual(['code']),
  );

  it('an assignment needs an active team, and a named person an active member of it', () => {
    const team: Team = { id: 't', code: 'tim-1', name: 'Tim 1', active: true, createdAt: NOW };
    const m = (over: Partial<TeamMember> = {}): TeamMember => ({ id: DEWI, username: 'dewi', displayName: 'Dewi', role: 'HANDLER', team: 'tim-1', disabledAt: null, ...over });
    expect(assignmentProblem(team, null, null)).toBeNull();
    expect(assignmentProblem(team, m(), DEWI)).toBeNull();
    expect(assignmentProblem(null, null, null)).toEqual({ code: 'TEAM_NOT_FOUND' });
    expect(assignmentProblem({ ...team, active: false }, m(), DEWI)).toEqual({ code: 'TEAM_NOT_FOUND' });
    expect(assignmentProblem(team, null, DEWI)).toEqual({ code: 'USER_NOT_FOUND' });
    expect(assignmentProblem(team, m({ disabledAt: NOW }), DEWI)).toEqual({ code: 'USER_NOT_FOUND' });
    expect(assignmentProblem(team, m({ team: 'tim-2' }), DEWI)).toEqual({ code: 'ASSIGNEE_NOT_IN_TEAM' });
    expect(assignmentProblem(team, m({ team: null }), DEWI)).toEqual({ code: 'ASSIGNEE_NOT_IN_TEAM' });
  });
});

describe('TeamService', () => {
  it('creates a team once per code, trimmed, and audits it', async () => {
    const { service, audit } = setup();
    expect(await service.create(ADMIN, { code: ' tim-pengaduan-1 ', name: ' Tim Pengaduan 1 ' })).toEqual({
      id: 'id-1', code: 'tim-pengaduan-1', name: 'Tim Pengaduan 1', active: true, createdAt: NOW,
    });
    await expect(service.create(ADMIN, { code: 'tim-pengaduan-1', name: 'Lagi' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', problems: [{ field: 'code', message: 'is already taken' }] });
    await expect(service.create(ADMIN, { code: 'Tim Baru', name: '' })).rejects.toMatchObject({ problems: [{ field: 'code' }, { field: 'name' }] });
    expect(audit.map((a) => [a.action, a.details])).toEqual([['TEAM_CREATED', { team: 'tim-pengaduan-1' }]]);
  });

  it('renames and deactivates; an unknown code is TEAM_NOT_FOUND', async () => {
    const { service } = setup();
    await service.create(ADMIN, { code: 'tim-a', name: 'Tim A' });
    expect((await service.rename(ADMIN, 'tim-a', 'Tim Alfa')).name).toBe('Tim Alfa');
    expect((await service.setActive(ADMIN, 'tim-a', false)).active).toBe(false);
    await expect(service.rename(ADMIN, 'tim-zzz', 'X')).rejects.toMatchObject({ code: 'TEAM_NOT_FOUND', team: 'tim-zzz' });
    await expect(service.setActive(ADMIN, 'tim-zzz', true)).rejects.toMatchObject({ code: 'TEAM_NOT_FOUND' });
  });

  it('resolves assignments with stable codes for each refusal', async () => {
    const { service } = setup();
    for (const code of ['tim-pengaduan-1', 'tim-pengaduan-2']) await service.create(ADMIN, { code, name: code });
    await service.create(ADMIN, { code: 'tim-lama', name: 'Lama' });
    await service.setActive(ADMIN, 'tim-lama', false);
    expect(await service.resolveAssignment('tim-pengaduan-1', null)).toEqual({ team: 'tim-pengaduan-1', userId: null });
    expect(await service.resolveAssignment(' tim-pengaduan-1 ', DEWI)).toEqual({ team: 'tim-pengaduan-1', userId: DEWI });
    await expect(service.resolveAssignment('tim-tidak-ada', null)).rejects.toMatchObject({ code: 'TEAM_NOT_FOUND' });
    await expect(service.resolveAssignment('tim-lama', null)).rejects.toMatchObject({ code: 'TEAM_NOT_FOUND' });
    await expect(service.resolveAssignment('tim-pengaduan-1', ANDI)).rejects.toMatchObject({ code: 'ASSIGNEE_NOT_IN_TEAM', userId: ANDI, team: 'tim-pengaduan-1' });
    await expect(service.resolveAssignment('tim-pengaduan-1', GONE)).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    await expect(service.resolveAssignment('tim-pengaduan-1', 'dewi.handler')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    await expect(service.resolveAssignment('  ', null)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('moves a user to an active team, returns their open sessions, and keeps a HANDLER in some team', async () => {
    const { service, repo, audit } = setup();
    await service.create(ADMIN, { code: 'tim-pengaduan-2', name: 'Dua' });
    await service.create(ADMIN, { code: 'tim-lama', name: 'Lama' });
    await service.setActive(ADMIN, 'tim-lama', false);
    repo.sessions.set(DEWI, ['sess-1']);
    expect(await service.setUserTeam(ADMIN, DEWI, 'tim-pengaduan-2')).toEqual({ member: expect.objectContaining({ id: DEWI, team: 'tim-pengaduan-2' }), openSessions: ['sess-1'] });
    await expect(service.setUserTeam(ADMIN, DEWI, 'tim-lama')).rejects.toMatchObject({ code: 'TEAM_NOT_FOUND' });
    await expect(service.setUserTeam(ADMIN, DEWI, null)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', problems: [{ field: 'team' }] });
    await expect(service.setUserTeam(ADMIN, 'not-a-uuid', 'tim-pengaduan-2')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    expect(repo.users.get(DEWI)!.team).toBe('tim-pengaduan-2');
    expect(audit.filter((a) => a.action === 'USER_TEAM_SET').map((a) => a.details)).toEqual([{ userId: DEWI, team: 'tim-pengaduan-2' }]);
  });
});
