import { CaseQueryService } from '../domain/case/case-query.service';
import { CaseStatusLookupService } from '../domain/case/case-status-lookup.service';
import { CaseWorkflowService } from '../domain/case/case-workflow.service';
import { CaseClockService } from '../domain/case/case-clock.service';
import { CaseReportService } from '../domain/reports/case-report.service';
import { DeskService } from '../domain/desk/desk.service';
import { DropItemService } from '../domain/intake/drop-item.service';
import { IntakeService } from '../domain/intake/intake.service';
import { CallRecordService } from '../domain/phone/call-record.service';
import { PhoneCallIntakeService } from '../domain/phone/phone-call-intake.service';
import { Clock } from '../domain/shared/clock.port';
import { uuidGenerator } from '../domain/shared/id-generator.port';
import { ChannelPorts } from '../modules/channel-module';
import { CaseStream } from '../schema/case-stream';
import { Services } from '../schema/context';
import { CoreServices } from './core';
import { CaseEventBus } from '../domain/events/case-event-bus.port';
import { JobStatusSource } from '../domain/scheduling/scheduler.port';

export interface ServiceHooks {
  /** Closes the live connections of revoked credentials (set once the WebSocket server runs). */
  credentialsRevoked: (credentialIds: string[]) => void;
  limitLogin: (ip: string, username: string) => Promise<void>;
  limitStatusLookup: (ip: string) => Promise<void>;
}

/** The use cases the GraphQL API calls, from the core and what the channel modules provide. */
export function buildServices(
  core: CoreServices,
  intake: IntakeService,
  ports: ChannelPorts,
  bus: CaseEventBus,
  clock: Clock,
  scheduledJobs: JobStatusSource,
  hooks: ServiceHooks,
): Services {
  const workflow = new CaseWorkflowService(core.cases, core.deadlines, clock, core.teams, core.fileAccess);
  return {
    intake,
    files: core.files,
    email: ports.emailChannel,
    whatsapp: ports.whatsappChannel,
    drops: new DropItemService(core.dropItems, intake, clock),
    workflow,
    desk: new DeskService(intake, workflow, core.cases, core.deskRecords, core.fileAccess, core.deadlines, clock, uuidGenerator),
    callRecords: new CallRecordService(core.callRecords, core.files, ports.cdrReader, core.fileAccess, ports.phoneSettings, clock, uuidGenerator),
    phoneIntake: new PhoneCallIntakeService(intake, core.callRecords),
    queries: new CaseQueryService(core.cases, clock),
    caseClock: new CaseClockService(core.cases, core.deadlines, clock),
    slaAlerts: core.slaAlerts,
    reports: new CaseReportService(core.caseReports, core.deadlines, clock),
    stream: new CaseStream(bus, core.cases),
    calendar: core.calendarAdmin,
    access: core.access,
    teams: core.teams,
    privacy: core.privacy,
    scheduledJobs,
    clock,
    credentialsRevoked: (ids) => hooks.credentialsRevoked(ids),
    limitLogin: hooks.limitLogin,
    statusLookup: new CaseStatusLookupService(core.cases, (ref) => ports.laporChannel?.caseIdForTrackingId(ref) ?? Promise.resolve(null)),
    lapor: ports.laporChannel,
    limitStatusLookup: hooks.limitStatusLookup,
  };
}
