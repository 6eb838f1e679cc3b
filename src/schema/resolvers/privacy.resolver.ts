import { Arg, Ctx, Extensions, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { MAX_AUDIT_PAGE_SIZE } from '../../domain/access/privacy.service';
import { GraphQLContext, principalOf } from '../context';
import { AuditEntryType, AuditLogPageType } from '../types/access.types';

@Resolver()
export class PrivacyResolver {
  @Mutation(() => String, { nullable: true, description: "Shows a requester's full NIK for a stated reason; audited" })
  async revealNik(
    @Ctx() ctx: GraphQLContext,
    @Arg('caseId', () => ID) caseId: string,
    @Arg('reason', () => String) reason: string,
  ): Promise<string | null> {
    return ctx.services.privacy.revealNik(principalOf(ctx), caseId, reason);
  }

  @Mutation(() => Int, { description: "Erases the requester's identity from all their cases; returns how many changed" })
  async eraseRequester(
    @Ctx() ctx: GraphQLContext,
    @Arg('caseId', () => ID) caseId: string,
    @Arg('reason', () => String) reason: string,
  ): Promise<number> {
    return ctx.services.privacy.eraseRequester(principalOf(ctx), caseId, reason);
  }

  @Extensions({ maxPageSize: MAX_AUDIT_PAGE_SIZE })
  @Query(() => AuditLogPageType, { description: 'Who saw or changed personal data and credentials, oldest first' })
  async auditLog(
    @Ctx() ctx: GraphQLContext,
    @Arg('caseId', () => ID, { nullable: true }) caseId?: string | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<AuditLogPageType> {
    const page = await ctx.services.privacy.auditLog(caseId ?? null, first ?? null, after ?? null);
    const entries = page.entries.map(AuditEntryType.from);
    return { entries, hasNextPage: page.hasNextPage, endCursor: entries[entries.length - 1]?.id ?? null };
  }
}
