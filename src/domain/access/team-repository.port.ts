import { Team, TeamMember } from './team';

export interface TeamRepository {
  /** Stores a new team; false when its code is taken. */
  insert(team: Team): Promise<boolean>;
  findByCode(code: string): Promise<Team | null>;
  list(): Promise<Team[]>;
  /** Changes name and/or active; returns the team, or null when unknown. */
  update(code: string, changes: { name?: string; active?: boolean }): Promise<Team | null>;
  /** Staff users of the given teams, by username. */
  members(codes: string[]): Promise<TeamMember[]>;
  findMember(userId: string): Promise<TeamMember | null>;
  /** Moves a staff user to a team (or out of any); returns the user, or null when unknown. */
  setUserTeam(userId: string, code: string | null): Promise<TeamMember | null>;
  /** Ids of the user's sessions that are still valid (their live connections use the old team). */
  openSessionsOf(userId: string, now: Date): Promise<string[]>;
}
