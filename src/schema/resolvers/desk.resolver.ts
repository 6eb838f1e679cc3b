import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { GraphQLContext, principalOf } from '../context';
import { BoxOpeningType, ComplaintBoxOpeningInput, VisitInput, VisitType } from '../types/desk.types';

@Resolver()
export class DeskResolver {
  @Mutation(() => BoxOpeningType, { description: 'A complaint-box opening: all entries become cases together, or none does' })
  async recordComplaintBoxOpening(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => ComplaintBoxOpeningInput) input: ComplaintBoxOpeningInput,
  ): Promise<BoxOpeningType> {
    const { created, opening } = await ctx.services.desk.recordBoxOpening(input, principalOf(ctx));
    ctx.log.info({ openingId: opening.id, cases: opening.cases.length, created }, 'complaint box opening');
    return BoxOpeningType.from(opening);
  }

  @Mutation(() => VisitType, { description: 'Writes a visitor into the guest book (buku tamu)' })
  async recordVisit(@Ctx() ctx: GraphQLContext, @Arg('input', () => VisitInput) input: VisitInput): Promise<VisitType> {
    return VisitType.from(await ctx.services.desk.recordVisit(input, principalOf(ctx)));
  }

  @Query(() => [VisitType], { description: 'The guest book of one office day (YYYY-MM-DD, Asia/Pontianak)' })
  async guestBook(@Ctx() ctx: GraphQLContext, @Arg('date', () => String) date: string): Promise<VisitType[]> {
    return (await ctx.services.desk.guestBook(date)).map(VisitType.from);
  }
}
