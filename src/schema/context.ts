import { Logger } from 'pino';
import { AccessService } from '../domain/access/access.service';
import { PrivacyService } from '../domain/access/privacy.service';
import { TeamService } from '../domain/access/team.service';
import { Principal } from '../domain/access/roles';
import { CaseQueryService } from '../domain/case/case-query.service';
import { CaseStatusLookupService } from '../domain/case/case-status-lookup.service';
import { CaseWorkflowService } from '../domain/case/case-workflow.service';
import { CaseClockService } from '../domain/case/case-clock.service';
import { SlaAlertService } from '../domain/sla/sla-alert.service';
import { CaseReportService } from '../domain/reports/case-report.service';
import { DeskService } from '../domain/desk/desk.service';
import { Clock } from '../domain/shared/clock.port';
import { IntakeService } from '../domain/intake/intake.service';
import { EmailChannelAdmin } from '../domain/intake/email-channel-admin.port';
import { DropItemService } from '../domain/intake/drop-item.service';
import { FileStore } from '../domain/files/file-store.port';
import { CalendarAdminService } from '../domain/sla/calendar-admin.service';
import { CallRecordService } from '../domain/phone/call-record.service';
import { PhoneCallIntakeService } from '../domain/phone/phone-call-intake.service';
import { JobStatusSource } from '../domain/scheduling/scheduler.port';
import { LaporService } from '../domain/lapor/lapor.service';
import { IdentityViewRecorder } from './auth/identity-view-recorder';
import { CaseStream } from './case-stream';
import { WhatsAppChannelStatusSource } from '../domain/whatsapp/whatsapp-intake.service';

/** The use cases the resolvers call; built once by the composition root. */
export interface Services {
  intake: IntakeService;
  email: EmailChannelAdmin;
  /** The WhatsApp channel's state (whatsappChannelStatus). */
  whatsapp: WhatsAppChannelStatusSource;
  /** Attachments, scans, faxes and raw messages (content-addressed). */
  files: FileStore;
  workflow: CaseWorkflowService;
  /** Scans and faxes from the drop folders, waiting for a clerk. */
  drops: DropItemService;
  /** Complaint-box openings, the guest book, requirement scans. */
  desk: DeskService;
  /** The PBX call log: import and the complaint-line calls nobody logged. */
  callRecords: CallRecordService;
  /** logPhoneCall naming its call record. */
  phoneIntake: PhoneCallIntakeService;
  queries: CaseQueryService;
  /** pauseCase / resumeCase and timeRemaining. */
  caseClock: CaseClockService;
  /** The SLA alert scan the scheduler runs (tests call `run` directly). */
  slaAlerts: SlaAlertService;
  /** caseStatistics and the case list of GET /reports/cases.csv (supervisors and admins). */
  reports: CaseReportService;
  stream: CaseStream;
  calendar: CalendarAdminService;
  access: AccessService;
  /** Handling teams and who belongs to them. */
  teams: TeamService;
  privacy: PrivacyService;
  /** The periodic jobs' state (admins and supervisors read it). */
  scheduledJobs: JobStatusSource;
  clock: Clock;
  /** Called after a credential was revoked in this instance, to close its live connections. */
  credentialsRevoked: (credentialIds: string[]) => void;
  /** Throws RATE_LIMITED when a login from this address for this username is over its limit. */
  limitLogin: (ip: string, username: string) => Promise<void>;
  /** The citizen's status lookup with reference and access code. */
  statusLookup: CaseStatusLookupService;
  /** Throws RATE_LIMITED when status lookups from this address are over their limit (shared with GET /status). */
  limitStatusLookup: (ip: string) => Promise<void>;
  /** SP4N-LAPOR!: manual registration, follow-ups, channel status and quarantine (lapor module). */
  lapor: LaporService;
}

export interface GraphQLContext {
  services: Services;
  /** Who is calling; null only for public operations (login), enforced before execution. */
  principal: Principal | null;
  identityViews: IdentityViewRecorder | null;
  requestId: string;
  ip: string;
  log: Logger;
}

/** The principal of an operation that the guard already required to be authenticated. */
export function principalOf(ctx: GraphQLContext): Principal {
  if (!ctx.principal) throw new Error('operation reached a resolver without a principal');
  return ctx.principal;
}
