import 'reflect-metadata';
import { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { createPubSub } from '@graphql-yoga/subscription';
import { AccessResolver } from './resolvers/access.resolver';
import { CalendarResolver } from './resolvers/calendar.resolver';
import { CallRecordResolver } from './resolvers/call-record.resolver';
import { DropItemResolver } from './resolvers/drop-item.resolver';
import { DeskResolver } from './resolvers/desk.resolver';
import { EmailResolver } from './resolvers/email.resolver';
import { WhatsAppResolver } from './resolvers/whatsapp.resolver';
import { PrivacyResolver } from './resolvers/privacy.resolver';
import { SchedulerResolver } from './resolvers/scheduler.resolver';
import { CaseConnectionResolver, CaseQueryResolver } from './resolvers/case-query.resolver';
import { CaseStatusResolver } from './resolvers/case-status.resolver';
import { CaseSubscriptionResolver } from './resolvers/case-subscription.resolver';
import { IntakeResolver } from './resolvers/intake.resolver';
import { WorkflowResolver } from './resolvers/workflow.resolver';
import { CaseClockResolver } from './resolvers/case-clock.resolver';
import { TeamResolver } from './resolvers/team.resolver';
import { ReportResolver } from './resolvers/report.resolver';
import { LaporResolver } from './resolvers/lapor.resolver';
import { DateTimeScalar } from './types/scalars';

/** Builds the executable schema; with `emitTo`, also writes schema.graphql (committed for review). */
export async function buildLoketSchema(emitTo?: string): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [CaseQueryResolver, CaseConnectionResolver, CaseStatusResolver, CalendarResolver, AccessResolver, PrivacyResolver, EmailResolver, WhatsAppResolver, IntakeResolver, DeskResolver, DropItemResolver, CallRecordResolver, WorkflowResolver, TeamResolver, SchedulerResolver, CaseSubscriptionResolver, CaseClockResolver, ReportResolver, LaporResolver],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: false,
    // Required by type-graphql for any subscription; ours use `subscribe` on CaseStream instead.
    pubSub: createPubSub(),
    emitSchemaFile: emitTo ? { path: emitTo, sortedSchema: false } : false,
  });
}
