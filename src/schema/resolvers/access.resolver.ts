import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { RateLimitedError } from '../../domain/shared/domain-error';
import { GraphQLContext, principalOf } from '../context';
import { toGraphQLError } from '../errors/error-mapping';
import {
  ApiTokenType, CreateApiTokenInput, CreatedApiTokenType, CreateStaffUserInput, LoginSessionType, PrincipalType, StaffUserType,
} from '../types/access.types';

@Resolver()
export class AccessResolver {
  @Query(() => PrincipalType, { description: 'The caller' })
  me(@Ctx() ctx: GraphQLContext): PrincipalType {
    return PrincipalType.from(principalOf(ctx));
  }

  @Mutation(() => LoginSessionType, { description: 'Staff login; repeated failures from one address lock the account for that address for a while' })
  async login(
    @Ctx() ctx: GraphQLContext,
    @Arg('username', () => String) username: string,
    @Arg('password', () => String) password: string,
  ): Promise<LoginSessionType> {
    let r: Awaited<ReturnType<typeof ctx.services.access.login>>;
    try {
      await ctx.services.limitLogin(ctx.ip, username.trim().toLowerCase());
      r = await ctx.services.access.login(username, password, ctx.ip);
    } catch (err) {
      // As a GraphQLError it keeps its HTTP status (429) and Retry-After header.
      if (err instanceof RateLimitedError) throw toGraphQLError(err);
      throw err;
    }
    ctx.log.info({ userId: r.user.id, sessionId: r.session.id }, 'login');
    return { token: r.token, expiresAt: r.session.expiresAt, user: StaffUserType.from(r.user) };
  }

  @Mutation(() => Boolean, { description: 'Ends the current login session' })
  async logout(@Ctx() ctx: GraphQLContext): Promise<boolean> {
    const p = principalOf(ctx);
    await ctx.services.access.logout(p);
    ctx.services.credentialsRevoked([p.credentialId]);
    return true;
  }

  @Query(() => [ApiTokenType])
  async apiTokens(@Ctx() ctx: GraphQLContext): Promise<ApiTokenType[]> {
    return (await ctx.services.access.listTokens()).map(ApiTokenType.from);
  }

  @Mutation(() => CreatedApiTokenType, { description: 'Creates an API token; the secret is in the answer and nowhere else' })
  async createApiToken(@Ctx() ctx: GraphQLContext, @Arg('input', () => CreateApiTokenInput) input: CreateApiTokenInput): Promise<CreatedApiTokenType> {
    const r = await ctx.services.access.createToken(principalOf(ctx), input);
    return { token: r.token, apiToken: ApiTokenType.from(r.apiToken) };
  }

  @Mutation(() => ApiTokenType, { description: 'Revokes a token; its live subscriptions are closed' })
  async revokeApiToken(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<ApiTokenType> {
    const t = await ctx.services.access.revokeToken(principalOf(ctx), id);
    ctx.services.credentialsRevoked([t.id]);
    return ApiTokenType.from(t);
  }

  @Query(() => [StaffUserType])
  async staffUsers(@Ctx() ctx: GraphQLContext): Promise<StaffUserType[]> {
    return (await ctx.services.access.listUsers()).map(StaffUserType.from);
  }

  @Mutation(() => StaffUserType)
  async createStaffUser(@Ctx() ctx: GraphQLContext, @Arg('input', () => CreateStaffUserInput) input: CreateStaffUserInput): Promise<StaffUserType> {
    return StaffUserType.from(
      await ctx.services.access.createUser(principalOf(ctx), { ...input, role: input.role as Exclude<typeof input.role, 'INTEGRATION'> }),
    );
  }

  @Mutation(() => StaffUserType, { description: 'Disabling ends the user’s sessions at once' })
  async setStaffUserDisabled(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('disabled', () => Boolean) disabled: boolean,
  ): Promise<StaffUserType> {
    const r = await ctx.services.access.setUserDisabled(principalOf(ctx), id, disabled);
    ctx.services.credentialsRevoked(r.endedSessions);
    return StaffUserType.from(r.user);
  }
}
