import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Channel } from '../../domain/case/case-types';
import { IntakeItem } from '../../domain/intake/intake-item';
import { actorOf } from '../../domain/access/access.service';
import { GraphQLContext, principalOf } from '../context';
import { ComplaintBoxEntryInput, LogFaxInput, LogPhoneCallInput, LogWalkInInput } from '../inputs/intake.inputs';
import { CaseType } from '../types/case.type';

type DeskInput = LogPhoneCallInput | LogFaxInput | LogWalkInInput | ComplaintBoxEntryInput;

/** Client keys are namespaced so they can never collide with adapters' dedupe keys. */
function toItem(channel: Channel, input: DeskInput, extra: Partial<IntakeItem>): IntakeItem {
  return {
    kind: 'COMPLAINT',
    channel,
    subject: input.subject,
    description: input.description,
    receivedAt: input.receivedAt,
    requester: input.requester,
    confidential: input.confidential,
    dedupeKey: input.idempotencyKey ? `api:${input.idempotencyKey}` : null,
    ...extra,
  };
}

const details = (entries: [string, string | null | undefined][]): Record<string, string> =>
  Object.fromEntries(entries.filter((e): e is [string, string] => !!e[1]?.trim()).map(([k, v]) => [k, v.trim()]));

@Resolver()
export class IntakeResolver {
  @Mutation(() => CaseType, { description: 'A call to the complaint/information line, logged by a clerk' })
  async logPhoneCall(@Ctx() ctx: GraphQLContext, @Arg('input', () => LogPhoneCallInput) input: LogPhoneCallInput): Promise<CaseType> {
    return this.run(ctx, toItem('PHONE', input, {
      kind: input.kind,
      complaintClass: input.complaintClass,
      channelDetails: details([['callerNumber', input.callerNumber]]),
    }));
  }

  @Mutation(() => CaseType, { description: 'A fax received by the bureau' })
  async logFax(@Ctx() ctx: GraphQLContext, @Arg('input', () => LogFaxInput) input: LogFaxInput): Promise<CaseType> {
    return this.run(ctx, toItem('FAX', input, {
      kind: input.kind,
      complaintClass: input.complaintClass,
      channelDetails: details([['faxNumber', input.faxNumber]]),
    }));
  }

  @Mutation(() => CaseType, { description: 'A visitor at the desk' })
  async logWalkIn(@Ctx() ctx: GraphQLContext, @Arg('input', () => LogWalkInInput) input: LogWalkInInput): Promise<CaseType> {
    return this.run(ctx, toItem('WALK_IN', input, {
      kind: input.kind,
      complaintClass: input.complaintClass,
      requirements: input.requirements,
    }));
  }

  @Mutation(() => CaseType, { description: 'A written complaint taken from the complaint box (Kotak Pengaduan)' })
  async registerComplaintBoxEntry(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => ComplaintBoxEntryInput) input: ComplaintBoxEntryInput,
  ): Promise<CaseType> {
    return this.run(ctx, toItem('COMPLAINT_BOX', input, {}));
  }

  private async run(ctx: GraphQLContext, item: IntakeItem): Promise<CaseType> {
    const p = principalOf(ctx);
    const result = await ctx.services.intake.intake(item, actorOf(p));
    ctx.log.info({ caseId: result.case.id, reference: result.case.reference, created: result.created, channel: item.channel }, 'intake');
    if (result.case.deadlineWarnings.length) {
      ctx.log.warn({ caseId: result.case.id, warnings: result.case.deadlineWarnings }, 'deadline computed without a complete calendar');
    }
    return CaseType.from(result.case, ctx.services.clock.now(), p);
  }
}
