import { mkdirSync } from 'node:fs';
import { DataSource, DataSourceOptions } from 'typeorm';
import { PGliteDriver, getPGliteInstance } from 'typeorm-pglite';
import { PGlite } from '@electric-sql/pglite';
import { CreateCases1764288000000 } from '../../../migrations/1764288000000-create-cases';
import { CreateWorkingCalendar1764288100000 } from '../../../migrations/1764288100000-create-working-calendar';
import { SeedCalendar20261764288200000 } from '../../../migrations/1764288200000-seed-calendar-2026';
import { AccessAndPersonalData1764288300000 } from '../../../migrations/1764288300000-access-and-personal-data';
import { EmailChannel1764288400000 } from '../../../migrations/1764288400000-email-channel';
import { CallRecords1764288500000 } from '../../../migrations/1764288500000-call-records';
import { DropFolders1764288600000 } from '../../../migrations/1764288600000-drop-folders';
import { DeskRecords1764288700000 } from '../../../migrations/1764288700000-desk-records';
import { MessageIdLookup1764288800000 } from '../../../migrations/1764288800000-message-id-lookup';
import { InlineSmallFiles1764288900000 } from '../../../migrations/1764288900000-inline-small-files';
import { TimelineErasure1764289000000 } from '../../../migrations/1764289000000-timeline-erasure';
import { LoginAttempts1764289100000 } from '../../../migrations/1764289100000-login-attempts';
import { ScheduledJobs1764289200000 } from '../../../migrations/1764289200000-scheduled-jobs';
import { FileUploads1764289300000 } from '../../../migrations/1764289300000-file-uploads';
import { CalendarChanges1764289400000 } from '../../../migrations/1764289400000-calendar-changes';
import { SeedCalendar20271764289410000 } from '../../../migrations/1764289410000-seed-calendar-2027';
import { CaseAccessCodes1764289500000 } from '../../../migrations/1764289500000-case-access-codes';
import { SlaAlertsAndClockStops1764289600000 } from '../../../migrations/1764289600000-sla-alerts-and-clock-stops';
import { Teams1764289700000 } from '../../../migrations/1764289700000-teams';
import { WhatsAppChannel1764289900000 } from '../../../migrations/1764289900000-whatsapp-channel';
import { LaporChannel1764290000000 } from '../../../migrations/1764290000000-lapor-channel';
import { LaporOutboxStatuses1764290200000 } from '../../../migrations/1764290200000-lapor-outbox-statuses';
import { CommitOrderedEventStream1764290300000 } from '../../../migrations/1764290300000-commit-ordered-event-stream';
import { RateLimitBuckets1764290400000 } from '../../../migrations/1764290400000-rate-limit-buckets';
import { ConsoleQueryIndexes1764290500000 } from '../../../migrations/1764290500000-console-query-indexes';
import { SearchStatistics1764290510000 } from '../../../migrations/1764290510000-search-statistics';
import { CaseEntity } from './entities/case.entity-schema';
import { CaseEventEntity } from './entities/case-event.entity-schema';
import { CalendarYearEntity, NonWorkingDayEntity, OfficeHoursEntity } from './entities/calendar.entity-schemas';
import { SerializedPGlitePool } from './serialized-pglite-pool';

export const MIGRATIONS = [
  CreateCases1764288000000,
  CreateWorkingCalendar1764288100000,
  SeedCalendar20261764288200000,
  AccessAndPersonalData1764288300000,
  EmailChannel1764288400000,
  CallRecords1764288500000,
  DropFolders1764288600000,
  DeskRecords1764288700000,
  MessageIdLookup1764288800000,
  InlineSmallFiles1764288900000,
  TimelineErasure1764289000000,
  LoginAttempts1764289100000,
  ScheduledJobs1764289200000,
  FileUploads1764289300000,
  CalendarChanges1764289400000,
  SeedCalendar20271764289410000,
  CaseAccessCodes1764289500000,
  SlaAlertsAndClockStops1764289600000,
  Teams1764289700000,
  WhatsAppChannel1764289900000,
  LaporChannel1764290000000,
  LaporOutboxStatuses1764290200000,
  CommitOrderedEventStream1764290300000,
  RateLimitBuckets1764290400000,
  ConsoleQueryIndexes1764290500000,
  SearchStatistics1764290510000,
];
const ENTITIES = [CaseEntity, CaseEventEntity, OfficeHoursEntity, NonWorkingDayEntity, CalendarYearEntity];

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'pglite'; dataDir: string | null /* null: in memory */ };

/** A connected database; `pglite` is set when running on the embedded engine. */
export interface Database {
  dataSource: DataSource;
  config: DatabaseConfig;
  pglite: PGlite | null;
}

/** Builds the TypeORM data source for PostgreSQL or embedded PGlite. Never `synchronize`. */
export function dataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
  };
  if (config.kind === 'postgres') {
    return { ...common, url: config.url, extra: { max: config.poolSize ?? 20 } };
  }
  if (config.dataDir) mkdirSync(config.dataDir, { recursive: true });
  // Sets the options of typeorm-pglite's process-wide instance, then swaps in a pool that
  // serializes access to its single connection.
  new PGliteDriver(config.dataDir ? { dataDir: config.dataDir } : {});
  return {
    ...common,
    driver: { Pool: SerializedPGlitePool },
    installExtensions: false,
  } as DataSourceOptions;
}

/** Connects and applies pending migrations. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const dataSource = new DataSource(dataSourceOptions(config));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const pglite = config.kind === 'pglite' ? await getPGliteInstance() : null;
  return { dataSource, config, pglite };
}

/** True when every known migration has been applied (used by /readyz). */
export async function migrationsApplied(db: Database): Promise<boolean> {
  return !(await db.dataSource.showMigrations());
}

/** Throws unless the database answers (used by /readyz). */
export async function pingDatabase(db: Database): Promise<void> {
  await db.dataSource.query('SELECT 1');
}
