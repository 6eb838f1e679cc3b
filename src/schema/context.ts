import { Logger } from 'pino';
import { CaseQueryService } from '../domain/case/case-query.service';
import { CaseWorkflowService } from '../domain/case/case-workflow.service';
import { Actor } from '../domain/case/timeline-event';
import { Clock } from '../domain/shared/clock.port';
import { IntakeService } from '../domain/intake/intake.service';
import { CalendarAdminService } from '../domain/sla/calendar-admin.service';
import { CaseStream } from './case-stream';

/** The use cases the resolvers call; built once by the composition root. */
export interface Services {
  intake: IntakeService;
  workflow: CaseWorkflowService;
  queries: CaseQueryService;
  stream: CaseStream;
  calendar: CalendarAdminService;
  clock: Clock;
}

export interface GraphQLContext {
  services: Services;
  actor: Actor;
  requestId: string;
  log: Logger;
}
