import { FieldProblem } from '../shared/domain-error';
import { StaffUser } from './credentials';

/**
 * A handling team (Tim Pengelola Pengaduan). Its code is the stable key that users, tokens and
 * cases name (`tim-pengaduan-1`); the name is what people read and may change.
 */
export interface Team {
  id: string;
  code: string;
  name: string;
  /** A deactivated team keeps its members and cases, but gets no new assignments or members. */
  active: boolean;
  createdAt: Date;
}

/** What a team listing shows of a staff user (never the password hash or login state). */
export type TeamMember = Pick<StaffUser, 'id' | 'username' | 'displayName' | 'role' | 'team' | 'disabledAt'>;

/** Who works a case: a known, active team and, optionally, one of its members. */
export interface Assignment {
  team: string;
  userId: string | null;
}

const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const MAX_TEAM_CODE = 63;
export const MAX_TEAM_NAME = 200;

/** Problems with a new team's code: lowercase words joined by dashes, e.g. `tim-pengaduan-1`. */
export function teamCodeProblems(code: string): FieldProblem[] {
  if (!CODE.test(code) || code.length > MAX_TEAM_CODE) {
    return [{ field: 'code', message: `must be 1-${MAX_TEAM_CODE} characters: a-z, 0-9, words joined by single dashes` }];
  }
  return [];
}

export function teamNameProblems(name: string): FieldProblem[] {
  if (!name || name.length > MAX_TEAM_NAME) return [{ field: 'name', message: `must be 1 to ${MAX_TEAM_NAME} characters` }];
  return [];
}

/**
 * The assignment rule: the team must exist and be active; the person, when named, must be an
 * active staff user who belongs to that team. Returns the error to raise, or null.
 */
export function assignmentProblem(
  team: Team | null,
  person: TeamMember | null,
  userId: string | null,
): { code: 'TEAM_NOT_FOUND' } | { code: 'USER_NOT_FOUND' } | { code: 'ASSIGNEE_NOT_IN_TEAM' } | null {
  if (!team || !team.active) return { code: 'TEAM_NOT_FOUND' };
  if (userId === null) return null;
  if (!person || person.disabledAt) return { code: 'USER_NOT_FOUND' };
  if (person.team !== team.code) return { code: 'ASSIGNEE_NOT_IN_TEAM' };
  return null;
}
