import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { RateLimitedError } from '../../domain/shared/domain-error';
import { GraphQLContext } from '../context';
import { toGraphQLError } from '../errors/error-mapping';
import { PublicCaseStatusType } from '../types/public-case-status.type';

@Resolver()
export class CaseStatusResolver {
  @Query(() => PublicCaseStatusType, {
    nullable: true,
    description:
      'Public (no credential): the status of a case for whoever holds its reference and access code. An unknown reference and a wrong code both fail with CASE_STATUS_NOT_FOUND; lookups are rate-limited per client address (RATE_LIMITED).',
  })
  async caseStatus(
    @Ctx() ctx: GraphQLContext,
    @Arg('reference', () => String, { description: 'e.g. ADU-2026-000123' }) reference: string,
    @Arg('accessCode', () => String, { description: 'e.g. K7QM-3XPA; case, spaces and dashes do not matter' }) accessCode: string,
  ): Promise<PublicCaseStatusType> {
    try {
      await ctx.services.limitStatusLookup(ctx.ip);
    } catch (err) {
      // As a GraphQLError it keeps its HTTP status (429) and Retry-After header.
      if (err instanceof RateLimitedError) throw toGraphQLError(err);
      throw err;
    }
    return PublicCaseStatusType.from(await ctx.services.statusLookup.lookup(reference, accessCode));
  }
}
