import { Arg, Ctx, Extensions, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { actorOf } from '../../domain/access/access.service';
import { GraphQLContext, principalOf } from '../context';
import { ComplaintBoxEntryInput } from '../inputs/intake.inputs';
import { CaseType } from '../types/case.type';
import { FaxItemType, ScanItemType } from '../types/drop-item.types';

/** Larger pages are served as this many. */
const MAX_DROP_PAGE_SIZE = 500;
const limitOf = (first?: number | null): number => Math.min(Math.max(first ?? 100, 1), MAX_DROP_PAGE_SIZE);

@Resolver()
export class DropItemResolver {
  @Extensions({ maxPageSize: MAX_DROP_PAGE_SIZE })
  @Query(() => [ScanItemType], { description: 'Scans from the scanner drop folder waiting for a clerk, oldest first' })
  async unregisteredScans(@Ctx() ctx: GraphQLContext, @Arg('first', () => Int, { nullable: true, defaultValue: 100 }) first?: number | null): Promise<ScanItemType[]> {
    return (await ctx.services.drops.unregistered('SCAN', limitOf(first))).map(ScanItemType.from);
  }

  @Extensions({ maxPageSize: MAX_DROP_PAGE_SIZE })
  @Query(() => [FaxItemType], { description: 'Faxes from the fax drop folder not yet logged, oldest first' })
  async unregisteredFaxes(@Ctx() ctx: GraphQLContext, @Arg('first', () => Int, { nullable: true, defaultValue: 100 }) first?: number | null): Promise<FaxItemType[]> {
    return (await ctx.services.drops.unregistered('FAX', limitOf(first))).map(FaxItemType.from);
  }

  @Mutation(() => CaseType, { description: 'Turns a waiting scan into a complaint-box case (receivedAt defaults to when the scan arrived); the scan is attached' })
  async registerScan(
    @Ctx() ctx: GraphQLContext,
    @Arg('scanId', () => ID) scanId: string,
    @Arg('input', () => ComplaintBoxEntryInput) input: ComplaintBoxEntryInput,
  ): Promise<CaseType> {
    const p = principalOf(ctx);
    const result = await ctx.services.drops.registerScan(
      scanId,
      {
        kind: 'COMPLAINT',
        channel: 'COMPLAINT_BOX',
        subject: input.subject,
        description: input.description,
        receivedAt: input.receivedAt,
        requester: input.requester,
        confidential: input.confidential,
        dedupeKey: input.idempotencyKey ? `api:${input.idempotencyKey}` : null,
      },
      actorOf(p),
    );
    ctx.log.info({ caseId: result.case.id, reference: result.case.reference, scanId }, 'scan registered');
    return CaseType.from(result.case, ctx.services.clock.now(), p);
  }

  @Mutation(() => ScanItemType, { description: 'Sets a waiting scan aside for good (blank sheet, duplicate, not for this bureau)' })
  async discardScan(@Ctx() ctx: GraphQLContext, @Arg('scanId', () => ID) scanId: string, @Arg('reason', () => String) reason: string): Promise<ScanItemType> {
    return ScanItemType.from(await ctx.services.drops.discardScan(scanId, reason, actorOf(principalOf(ctx))));
  }
}
