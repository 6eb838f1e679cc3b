import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { ValidationError } from '../../domain/shared/domain-error';
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

  @Query(() => AuditLogPageType, { description: 'Who saw or changed personal data and credentials, oldest first' })
  async auditLog(
    @Ctx() ctx: GraphQLContext,
    @Arg('caseId', () => ID, { nullable: true }) caseId?: string | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<AuditLogPageType> {
    const size = first ?? 50;
    if (!Number.isInteger(size) || size < 1 || size > 200) throw ValidationError.single('first', 'must be between 1 and 200');
    if (after && !/^\d{1,19}$/.test(after)) throw ValidationError.single('after', 'is not a valid cursor');
    if (caseId && !/^[0-9a-f-]{36}$/i.test(caseId)) throw ValidationError.single('caseId', 'is not a case id');
    const page = await ctx.services.audit.list(caseId ?? null, size, after ?? null);
    const entries = page.entries.map(AuditEntryType.from);
    return { entries, hasNextPage: page.hasNextPage, endCursor: entries[entries.length - 1]?.id ?? null };
  }
}
