import { JobStatus, ScheduledJob } from './scheduled-job';

/** What administrators read: the state of every job this instance schedules, by name. */
export interface JobStatusSource {
  statuses(): Promise<JobStatus[]>;
}

/**
 * Runs registered jobs periodically, each run on exactly one instance at a time among all
 * instances sharing the database; a run missed while every instance was down happens soon after
 * the next start.
 */
export interface Scheduler extends JobStatusSource {
  /** Adds a job; call before `start`. */
  register(job: ScheduledJob): void;
  start(): void;
  /** Stops scheduling; waits a short while for runs in progress to finish. */
  stop(): Promise<void>;
}
