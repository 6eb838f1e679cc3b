import { Clock } from '../shared/clock.port';
import { AssigneeNotInTeamError, FieldProblem, TeamNotFoundError, UserNotFoundError, ValidationError } from '../shared/domain-error';
import { IdGenerator } from '../shared/id-generator.port';
import { AuditLog } from './access-repository.port';
import { actorOf } from './access.service';
import { Principal } from './roles';
import { Assignment, assignmentProblem, Team, teamCodeProblems, TeamMember, teamNameProblems } from './team';
import { TeamRepository } from './team-repository.port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Handling teams as data: admins create, rename and deactivate them and put staff in them (one
 * team per staff user). The workflow asks it whether an assignment names a real team and member.
 */
export class TeamService {
  constructor(
    private readonly teams: TeamRepository,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  list(): Promise<Team[]> {
    return this.teams.list();
  }

  /** Members of the given teams, grouped by team code. */
  async membersOf(codes: string[]): Promise<Map<string, TeamMember[]>> {
    const byTeam = new Map<string, TeamMember[]>(codes.map((c) => [c, []]));
    for (const m of codes.length ? await this.teams.members(codes) : []) byTeam.get(m.team ?? '')?.push(m);
    return byTeam;
  }

  async create(actor: Principal | null, input: { code: string; name: string }): Promise<Team> {
    const code = input.code?.trim() ?? '';
    const name = input.name?.trim() ?? '';
    const problems: FieldProblem[] = [...teamCodeProblems(code), ...teamNameProblems(name)];
    if (problems.length) throw new ValidationError(problems);
    const team: Team = { id: this.ids.newId(), code, name, active: true, createdAt: this.clock.now() };
    if (!(await this.teams.insert(team))) throw ValidationError.single('code', 'is already taken');
    await this.record(actor, 'TEAM_CREATED', { team: code });
    return team;
  }

  async rename(actor: Principal, code: string, nameInput: string): Promise<Team> {
    const name = nameInput?.trim() ?? '';
    const problems = teamNameProblems(name);
    if (problems.length) throw new ValidationError(problems);
    const team = await this.teams.update(code, { name });
    if (!team) throw new TeamNotFoundError(code);
    await this.record(actor, 'TEAM_CHANGED', { team: code, name });
    return team;
  }

  /** A deactivated team keeps its cases and members; it takes no new assignments or members. */
  async setActive(actor: Principal, code: string, active: boolean): Promise<Team> {
    const team = await this.teams.update(code, { active });
    if (!team) throw new TeamNotFoundError(code);
    await this.record(actor, 'TEAM_CHANGED', { team: code, active });
    return team;
  }

  /**
   * Puts a staff user in an active team, or (null) in none; a HANDLER always needs one. Returns
   * the user and the user's open sessions, whose live connections still carry the old team.
   */
  async setUserTeam(actor: Principal, userId: string, code: string | null): Promise<{ member: TeamMember; openSessions: string[] }> {
    const current = UUID.test(userId) ? await this.teams.findMember(userId) : null;
    if (!current) throw new UserNotFoundError(userId);
    const target = code?.trim() || null;
    if (target === null && current.role === 'HANDLER') throw ValidationError.single('team', 'a HANDLER needs a team');
    if (target !== null) await this.requireActive(target);
    const member = await this.teams.setUserTeam(userId, target);
    if (!member) throw new UserNotFoundError(userId);
    await this.record(actor, 'USER_TEAM_SET', { userId, team: target });
    return { member, openSessions: await this.teams.openSessionsOf(userId, this.clock.now()) };
  }

  /** Checks who may work a case: an active team and, when named, an active member of it. */
  async resolveAssignment(teamInput: string, userIdInput: string | null | undefined): Promise<Assignment> {
    const code = teamInput?.trim() ?? '';
    if (!code) throw ValidationError.single('team', 'must not be empty');
    const userId = userIdInput?.trim() || null;
    const [team, person] = await Promise.all([
      this.teams.findByCode(code),
      userId && UUID.test(userId) ? this.teams.findMember(userId) : Promise.resolve(null),
    ]);
    const problem = assignmentProblem(team, person, userId);
    switch (problem?.code) {
      case undefined:
        return { team: code, userId };
      case 'TEAM_NOT_FOUND':
        throw new TeamNotFoundError(code);
      case 'USER_NOT_FOUND':
        throw new UserNotFoundError(userId ?? '');
      case 'ASSIGNEE_NOT_IN_TEAM':
        throw new AssigneeNotInTeamError(userId ?? '', code);
    }
  }

  private async requireActive(code: string): Promise<Team> {
    const team = await this.teams.findByCode(code);
    if (!team || !team.active) throw new TeamNotFoundError(code);
    return team;
  }

  private async record(actor: Principal | null, action: 'TEAM_CREATED' | 'TEAM_CHANGED' | 'USER_TEAM_SET', details: Record<string, unknown>): Promise<void> {
    await this.audit.record([
      { at: this.clock.now(), actorId: actor ? actorOf(actor).id : 'system:cli', actorRole: actor?.role ?? 'ADMIN', action, caseId: null, reason: null, details },
    ]);
  }
}
