import { Field, Int, ObjectType } from 'type-graphql';
import { JobStatus } from '../../domain/scheduling/scheduled-job';
import { DateTimeScalar } from './scalars';

@ObjectType('ScheduledJob', { description: 'A periodic job (outbox pruning, retention, ...): one run at a time across all instances' })
export class ScheduledJobType {
  @Field(() => String) name!: string;
  @Field(() => Int, { description: 'Seconds between runs' }) periodSeconds!: number;
  @Field(() => DateTimeScalar, { description: 'When the job is due next (a failed run is retried sooner than its period)' }) nextRunAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the last finished run started' }) lastRunAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'ok or failed; null before the first run' }) lastOutcome!: string | null;
  @Field(() => String, { nullable: true, description: 'Why the last run failed (English, short)' }) lastError!: string | null;
  @Field(() => Int, { description: 'Failed runs in a row' }) consecutiveFailures!: number;
  @Field(() => String, { nullable: true, description: 'The instance (host:pid:id) running the job now' }) runningOn!: string | null;

  static from(s: JobStatus): ScheduledJobType {
    return Object.assign(new ScheduledJobType(), {
      name: s.name,
      periodSeconds: s.periodSeconds,
      nextRunAt: s.nextRunAt,
      lastRunAt: s.lastRunAt,
      lastOutcome: s.lastOutcome,
      lastError: s.lastError,
      consecutiveFailures: s.consecutiveFailures,
      runningOn: s.runningOn,
    });
  }
}
