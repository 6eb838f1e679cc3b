import { Logger } from 'pino';
import { Argon2PasswordHasher } from '../adapters/auth/argon2-password-hasher';
import { PersonalDataCipher } from '../adapters/crypto/personal-data-cipher';
import { LocalFileStore } from '../adapters/files/local-file-store';
import { CaseMapper } from '../adapters/persistence/case.mapper';
import { Database } from '../adapters/persistence/data-source';
import { TypeormAccessRepository, TypeormAuditLog } from '../adapters/persistence/typeorm-access.repository';
import { TypeormCalendarRepository } from '../adapters/persistence/typeorm-calendar.repository';
import { TypeormCallRecordRepository } from '../adapters/persistence/typeorm-call-record.repository';
import { TypeormCaseRepository } from '../adapters/persistence/typeorm-case.repository';
import { TypeormDeskRecordRepository } from '../adapters/persistence/typeorm-desk-records.repository';
import { TypeormDropItemRepository } from '../adapters/persistence/typeorm-drop-item.repository';
import { TypeormEmailLedger } from '../adapters/persistence/typeorm-email-ledger';
import { TypeormOutgoingMailQueue } from '../adapters/persistence/typeorm-outgoing-mail.queue';
import { TypeormStoredFileIndex } from '../adapters/persistence/typeorm-stored-file.index';
import { TypeormFileReferences } from '../adapters/persistence/typeorm-file-references';
import { FileAccessService } from '../domain/files/file-access.service';
import { LoketConfig } from '../config';
import { AccessService } from '../domain/access/access.service';
import { PrivacyService } from '../domain/access/privacy.service';
import { TeamService } from '../domain/access/team.service';
import { TypeormTeamRepository } from '../adapters/persistence/typeorm-team.repository';
import { Clock } from '../domain/shared/clock.port';
import { uuidGenerator } from '../domain/shared/id-generator.port';
import { CalendarAdminService } from '../domain/sla/calendar-admin.service';
import { CalendarAlarmService } from '../domain/sla/calendar-alarm';
import { DeadlineService } from '../domain/sla/deadline.service';
import { DEFAULT_SLA_POLICY } from '../domain/sla/sla-policy';
import { SlaAlertService } from '../domain/sla/sla-alert.service';
import { TypeormSlaAlertStore } from '../adapters/persistence/typeorm-sla-alert.store';
import { TypeormCaseReportRepository } from '../adapters/persistence/typeorm-case-report.repository';

/** The persistence adapters and core services every entry point (HTTP, WebSocket, CLI) uses. */
export type CoreServices = Awaited<ReturnType<typeof composeCore>>;

/**
 * Wires the persistence adapters to the core; seals NIKs stored before encryption; recomputes
 * open deadlines for calendar changes a migration shipped (once, whichever instance starts first).
 */
export async function composeCore(config: LoketConfig, db: Database, clock: Clock, log: Logger) {
  const cipher = new PersonalDataCipher(config.dataKeys);
  if (config.dataKeys.generated) log.warn({ source: config.dataKeys.source }, 'generated a new personal-data key; set LOKET_DATA_KEY in production');
  const cases = new TypeormCaseRepository(db.dataSource, new CaseMapper(cipher));
  const sealed = await cases.sealPlainNiks();
  if (sealed > 0) log.info({ cases: sealed }, 'encrypted NIKs stored before encryption');
  const calendars = new TypeormCalendarRepository(db.dataSource, cases);
  const deadlines = new DeadlineService(calendars, DEFAULT_SLA_POLICY, { warningPercent: config.slaWarningPercent });
  const calendarAlarms = new CalendarAlarmService(calendars, clock);
  const calendarAdmin = new CalendarAdminService(calendars, deadlines, calendarAlarms, clock);
  const moved = await calendarAdmin.recomputePending();
  if (moved > 0) log.info({ cases: moved }, 'calendar shipped by a migration moved open deadlines');
  const slaAlerts = new SlaAlertService(new TypeormSlaAlertStore(db.dataSource), cases, deadlines, clock);
  const audit = new TypeormAuditLog(db.dataSource);
  const access = new AccessService(new TypeormAccessRepository(db.dataSource), audit, new Argon2PasswordHasher(), clock, uuidGenerator);
  const teams = new TeamService(new TypeormTeamRepository(db.dataSource), audit, clock, uuidGenerator);
  const files = new LocalFileStore(config.filesDir, new TypeormStoredFileIndex(db.dataSource), config.filesInlineMaxBytes);
  const emailLedger = new TypeormEmailLedger(db.dataSource, cases);
  // Channel modules erase their own records of a person too, configured or not (their tables stay).
  const privacy = new PrivacyService(cases, audit, clock, emailLedger, files, config.channels.flatMap((m) => m.erasers(db.dataSource)));
  const callRecords = new TypeormCallRecordRepository(db.dataSource);
  const dropItems = new TypeormDropItemRepository(db.dataSource);
  const deskRecords = new TypeormDeskRecordRepository(db.dataSource, cases);
  const outgoingMail = new TypeormOutgoingMailQueue(db.dataSource);
  const fileAccess = new FileAccessService(cases, files, new TypeormFileReferences(db.dataSource), audit, clock);
  const caseReports = new TypeormCaseReportRepository(db.dataSource);
  return { cases, caseReports, calendars, deadlines, calendarAlarms, calendarAdmin, slaAlerts, audit, access, teams, privacy, callRecords, files, fileAccess, emailLedger, dropItems, deskRecords, outgoingMail };
}
