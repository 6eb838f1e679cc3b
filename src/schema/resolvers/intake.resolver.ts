import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Channel } from '../../domain/case/case-types';
import { IntakeItem } from '../../domain/intake/intake-item';
import { IntakeResult } from '../../domain/intake/intake.service';
import { checkTypedNumbers } from '../../domain/intake/typed-numbers';
import { Actor } from '../../domain/case/timeline-event';
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
    checkTypedNumbers({ callerNumber: input.callerNumber });
    const item = toItem('PHONE', input, {
      kind: input.kind,
      complaintClass: input.complaintClass,
      channelDetails: details([['callerNumber', input.callerNumber]]),
    });
    const callRecordId = input.callRecordId?.trim();
    if (!callRecordId) return this.run(ctx, item);
    return this.run(ctx, item, async (actor) => {
      const result = await ctx.services.phoneIntake.logCall(item, callRecordId, actor);
      if (!result.callRecordLinked) ctx.log.warn({ caseId: result.case.id, callRecordId }, 'call record is linked to another case');
      return result;
    });
  }

  @Mutation(() => CaseType, { description: 'A fax received by the bureau' })
  async logFax(@Ctx() ctx: GraphQLContext, @Arg('input', () => LogFaxInput) input: LogFaxInput): Promise<CaseType> {
    checkTypedNumbers({ faxNumber: input.faxNumber });
    const item = toItem('FAX', input, {
      kind: input.kind,
      complaintClass: input.complaintClass,
      channelDetails: details([['faxNumber', input.faxNumber]]),
    });
    const faxFileId = input.faxFileId?.trim();
    if (!faxFileId) return this.run(ctx, item);
    // The fax from the drop folder: attached, and its sender and time fill what the clerk left out.
    return this.run(ctx, item, (actor) => ctx.services.drops.logFax(item, faxFileId, actor));
  }

  @Mutation(() => CaseType, { description: 'A visitor at the desk' })
  async logWalkIn(@Ctx() ctx: GraphQLContext, @Arg('input', () => LogWalkInInput) input: LogWalkInInput): Promise<CaseType> {
    // Scans of the requirements are attached to the new case in the intake's transaction.
    const ticks = await ctx.services.desk.walkInRequirements(input.requirements ? { ...input.requirements } : null, principalOf(ctx));
    const item = toItem('WALK_IN', input, { kind: input.kind, complaintClass: input.complaintClass, requirements: ticks.requirements });
    return this.run(ctx, item, (actor) => ctx.services.intake.intake(item, actor, ticks.decorate));
  }

  @Mutation(() => CaseType, { description: 'A written complaint taken from the complaint box (Kotak Pengaduan)' })
  async registerComplaintBoxEntry(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => ComplaintBoxEntryInput) input: ComplaintBoxEntryInput,
  ): Promise<CaseType> {
    return this.run(ctx, toItem('COMPLAINT_BOX', input, {}));
  }

  /** `via` replaces the plain intake (a phone call naming its call record). */
  private async run(ctx: GraphQLContext, item: IntakeItem, via?: (actor: Actor) => Promise<IntakeResult>): Promise<CaseType> {
    const p = principalOf(ctx);
    const result = via ? await via(actorOf(p)) : await ctx.services.intake.intake(item, actorOf(p));
    ctx.log.info({ caseId: result.case.id, reference: result.case.reference, created: result.created, channel: item.channel }, 'intake');
    if (result.case.deadlineWarnings.length) {
      ctx.log.warn({ caseId: result.case.id, warnings: result.case.deadlineWarnings }, 'deadline computed without a complete calendar');
    }
    return CaseType.from(result.case, ctx.services.clock.now(), p);
  }
}
