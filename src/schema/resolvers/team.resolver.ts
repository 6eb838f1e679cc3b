import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { GraphQLContext, principalOf } from '../context';
import { TeamMemberType, TeamType } from '../types/team.types';

@Resolver()
export class TeamResolver {
  @Query(() => [TeamType], { description: 'The handling teams and their members' })
  async teams(@Ctx() ctx: GraphQLContext): Promise<TeamType[]> {
    const teams = await ctx.services.teams.list();
    const members = await ctx.services.teams.membersOf(teams.map((t) => t.code));
    return teams.map((t) => TeamType.from(t, members.get(t.code) ?? []));
  }

  @Mutation(() => TeamType, { description: 'Creates a handling team; the code (e.g. tim-pengaduan-1) cannot change later' })
  async createTeam(@Ctx() ctx: GraphQLContext, @Arg('code', () => String) code: string, @Arg('name', () => String) name: string): Promise<TeamType> {
    return TeamType.from(await ctx.services.teams.create(principalOf(ctx), { code, name }), []);
  }

  @Mutation(() => TeamType)
  async renameTeam(@Ctx() ctx: GraphQLContext, @Arg('code', () => String) code: string, @Arg('name', () => String) name: string): Promise<TeamType> {
    const team = await ctx.services.teams.rename(principalOf(ctx), code, name);
    return TeamType.from(team, (await ctx.services.teams.membersOf([team.code])).get(team.code) ?? []);
  }

  @Mutation(() => TeamType, { description: 'A deactivated team keeps its cases and members, and takes no new ones' })
  async setTeamActive(@Ctx() ctx: GraphQLContext, @Arg('code', () => String) code: string, @Arg('active', () => Boolean) active: boolean): Promise<TeamType> {
    const team = await ctx.services.teams.setActive(principalOf(ctx), code, active);
    return TeamType.from(team, (await ctx.services.teams.membersOf([team.code])).get(team.code) ?? []);
  }

  @Mutation(() => TeamMemberType, { description: 'Puts a staff user in a team (one team each), or in none; a HANDLER needs one' })
  async setUserTeam(
    @Ctx() ctx: GraphQLContext,
    @Arg('userId', () => ID) userId: string,
    @Arg('teamCode', () => String, { nullable: true }) teamCode?: string | null,
  ): Promise<TeamMemberType> {
    const r = await ctx.services.teams.setUserTeam(principalOf(ctx), userId, teamCode ?? null);
    // Their live subscriptions were opened with the old team; they reconnect with the new one.
    ctx.services.credentialsRevoked(r.openSessions);
    return TeamMemberType.from(r.member);
  }
}
