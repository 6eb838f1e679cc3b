import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { ComplaintClass, RejectionReason } from '../../domain/case/case-types';
import { GraphQLContext, principalOf } from '../context';
import { RequirementsInput } from '../inputs/intake.inputs';
import { AnswerInput } from '../inputs/workflow.inputs';
import { CaseType } from '../types/case.type';
import { ComplaintClassEnum, RejectionReasonEnum } from '../types/enums';

const out = (ctx: GraphQLContext) => (c: Parameters<typeof CaseType.from>[0]) => CaseType.from(c, ctx.services.clock.now(), principalOf(ctx));

@Resolver()
export class WorkflowResolver {
  @Mutation(() => CaseType, { description: 'Sets the complaint class; the deadline is recomputed from receipt' })
  async classifyComplaint(
    @Ctx() ctx: GraphQLContext,
    @Arg('caseId', () => ID) caseId: string,
    @Arg('complaintClass', () => ComplaintClassEnum) complaintClass: ComplaintClass,
  ): Promise<CaseType> {
    return out(ctx)(await ctx.services.workflow.classify(caseId, complaintClass, principalOf(ctx)));
  }

  @Mutation(() => CaseType, { description: 'Ticks requirements of an information request; complete starts the clock' })
  async updateRequirements(
    @Ctx() ctx: GraphQLContext,
    @Arg('caseId', () => ID) caseId: string,
    @Arg('requirements', () => RequirementsInput) requirements: RequirementsInput,
  ): Promise<CaseType> {
    return out(ctx)(await ctx.services.desk.updateRequirements(caseId, { ...requirements }, principalOf(ctx)));
  }

  @Mutation(() => CaseType, { description: 'Assigns the case to an active team (its code) and optionally to one of its members (a staff user id)' })
  async assignCase(
    @Ctx() ctx: GraphQLContext,
    @Arg('caseId', () => ID) caseId: string,
    @Arg('team', () => String, { description: 'Team code, e.g. tim-pengaduan-1' }) team: string,
    @Arg('assignee', () => ID, { nullable: true, description: 'Staff user id of a member of that team' }) assignee?: string | null,
  ): Promise<CaseType> {
    return out(ctx)(await ctx.services.workflow.assign(caseId, team, assignee ?? null, principalOf(ctx)));
  }

  @Mutation(() => CaseType, { description: 'Writes the draft answer (konsep jawaban) that the complaint officer sends with answerCase fromDraft' })
  async draftAnswer(
    @Ctx() ctx: GraphQLContext,
    @Arg('caseId', () => ID) caseId: string,
    @Arg('text', () => String) text: string,
    @Arg('attachmentFileIds', () => [ID], { nullable: true, description: 'Stored files (POST /files) to go with the answer' }) attachmentFileIds?: string[] | null,
  ): Promise<CaseType> {
    return out(ctx)(await ctx.services.workflow.draftAnswer(caseId, text, attachmentFileIds ?? [], principalOf(ctx)));
  }

  @Mutation(() => CaseType)
  async addNote(@Ctx() ctx: GraphQLContext, @Arg('caseId', () => ID) caseId: string, @Arg('text', () => String) text: string): Promise<CaseType> {
    return out(ctx)(await ctx.services.workflow.addNote(caseId, text, principalOf(ctx)));
  }

  @Mutation(() => CaseType, { description: 'Records the answer (its text, or the latest draft) and how it was delivered' })
  async answerCase(
    @Ctx() ctx: GraphQLContext,
    @Arg('caseId', () => ID) caseId: string,
    @Arg('answer', () => AnswerInput) answer: AnswerInput,
  ): Promise<CaseType> {
    return out(ctx)(
      await ctx.services.workflow.answer(caseId, answer.text ?? null, answer.deliveredVia, answer.answeredAt ?? null, principalOf(ctx), {
        fromDraft: answer.fromDraft ?? false,
      }),
    );
  }

  @Mutation(() => CaseType)
  async closeCase(@Ctx() ctx: GraphQLContext, @Arg('caseId', () => ID) caseId: string): Promise<CaseType> {
    return out(ctx)(await ctx.services.workflow.close(caseId, principalOf(ctx)));
  }

  @Mutation(() => CaseType)
  async rejectCase(
    @Ctx() ctx: GraphQLContext,
    @Arg('caseId', () => ID) caseId: string,
    @Arg('reason', () => RejectionReasonEnum) reason: RejectionReason,
    @Arg('note', () => String, { nullable: true }) note?: string | null,
  ): Promise<CaseType> {
    return out(ctx)(await ctx.services.workflow.reject(caseId, reason, note ?? null, principalOf(ctx)));
  }

  @Mutation(() => CaseType, { description: 'Merges the source case into the target; returns the target' })
  async mergeCases(
    @Ctx() ctx: GraphQLContext,
    @Arg('sourceId', () => ID) sourceId: string,
    @Arg('targetId', () => ID) targetId: string,
  ): Promise<CaseType> {
    return out(ctx)(await ctx.services.workflow.merge(sourceId, targetId, principalOf(ctx)));
  }
}
