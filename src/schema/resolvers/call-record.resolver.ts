import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { GraphQLContext, principalOf } from '../context';
import { CallRecordImportType, CallRecordType } from '../types/call-record.types';
import { DateTimeScalar } from '../types/scalars';

@Resolver()
export class CallRecordResolver {
  @Mutation(() => CallRecordImportType, { description: 'Imports an uploaded PBX call log (Asterisk Master.csv, text/csv); importing it again adds nothing' })
  async importCallRecords(@Ctx() ctx: GraphQLContext, @Arg('fileId', () => ID) fileId: string): Promise<CallRecordImportType> {
    const result = await ctx.services.callRecords.importFile(fileId, principalOf(ctx));
    ctx.log.info({ imported: result.imported, duplicates: result.duplicates, skipped: result.skippedCount }, 'call records imported');
    return CallRecordImportType.from(result);
  }

  @Query(() => [CallRecordType], { description: 'Answered or missed calls to the complaint line in [from, to) that no case refers to, oldest first' })
  async unloggedCalls(
    @Ctx() ctx: GraphQLContext,
    @Arg('from', () => DateTimeScalar) from: Date,
    @Arg('to', () => DateTimeScalar) to: Date,
  ): Promise<CallRecordType[]> {
    return (await ctx.services.callRecords.unloggedCalls(from, to)).map(CallRecordType.from);
  }
}
