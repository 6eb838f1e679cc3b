import { Field, ID, ObjectType } from 'type-graphql';
import { Role } from '../../domain/access/roles';
import { Team, TeamMember } from '../../domain/access/team';
import { RoleEnum } from './access.types';
import { DateTimeScalar } from './scalars';

@ObjectType('TeamMember', { description: 'A staff user as a member of a handling team' })
export class TeamMemberType {
  @Field(() => ID) id!: string;
  @Field(() => String) username!: string;
  @Field(() => String) displayName!: string;
  @Field(() => RoleEnum) role!: Role;
  @Field(() => String, { nullable: true, description: 'Code of the team' }) team!: string | null;
  @Field(() => Boolean, { description: 'A disabled user cannot be assigned cases' }) disabled!: boolean;

  static from(m: TeamMember): TeamMemberType {
    return Object.assign(new TeamMemberType(), { id: m.id, username: m.username, displayName: m.displayName, role: m.role, team: m.team, disabled: !!m.disabledAt });
  }
}

@ObjectType('Team', { description: 'A handling team (Tim Pengelola Pengaduan): cases are assigned to it' })
export class TeamType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'Stable key, e.g. tim-pengaduan-1 (assignCase team, staff user team)' }) code!: string;
  @Field(() => String) name!: string;
  @Field(() => Boolean, { description: 'A deactivated team takes no new cases or members' }) active!: boolean;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => [TeamMemberType]) members!: TeamMemberType[];

  static from(t: Team, members: TeamMember[]): TeamType {
    return Object.assign(new TeamType(), { ...t, members: members.map(TeamMemberType.from) });
  }
}
