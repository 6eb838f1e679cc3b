import type { Router } from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { CaseRepository } from '../domain/case/case-repository.port';
import { FileStore } from '../domain/files/file-store.port';
import { DropItemRepository, DropScanner } from '../domain/intake/drop-item';
import { EmailChannelAdmin } from '../domain/intake/email-channel-admin.port';
import { EmailLedger } from '../domain/intake/email-ledger.port';
import { IntakeService } from '../domain/intake/intake.service';
import { OutgoingMailQueue } from '../domain/notifications/mail-dispatch.ports';
import { PhoneSettings } from '../domain/phone/call-record';
import { CdrReader } from '../domain/phone/cdr-reader.port';
import { ScheduledJob } from '../domain/scheduling/scheduled-job';
import { DeadlineService } from '../domain/sla/deadline.service';
import { FileAccessService } from '../domain/files/file-access.service';
import { LaporService } from '../domain/lapor/lapor.service';
import { Clock } from '../domain/shared/clock.port';
import { WhatsAppChannelStatusSource } from '../domain/whatsapp/whatsapp-intake.service';
import { PersonalDataEraser } from '../domain/access/personal-data-eraser.port';

/**
 * One intake channel (email, the drop folders, the PBX call log, WhatsApp, SP4N-LAPOR!...) as
 * a module: its folder under src/adapters owns its settings, routes, workers, jobs and
 * readiness; the composition root only lists the modules (src/modules/channels.ts) and never
 * names a channel. The shape follows outline's plugins (`server/index.ts` + `env.ts`).
 */
export interface ChannelModule<S> {
  /** Stable name, used in logs, readiness detail and the module list. */
  readonly name: string;
  /**
   * Reads and validates the module's own LOKET_* variables. Throws an Error naming the
   * variable for a bad value (the start then stops with that message); never repeats a secret.
   * The result says itself which parts are switched on.
   */
  settings(env: NodeJS.ProcessEnv): S;
  /** Starts what the settings switch on. Called once, after the core services exist. */
  start(settings: S, context: ModuleContext): Promise<RunningModule> | RunningModule;
  /**
   * What erases the module's own records of a person (numbers, names, texts, raw deliveries)
   * when their identity is erased from their cases, on request or by retention. Given whether
   * or not the module is switched on (its tables outlive its configuration) and without starting
   * it (the command line's retention run).
   */
  erasers?(dataSource: DataSource): PersonalDataEraser[];
}

/** A module with its settings already read: what the configuration carries. */
export interface ConfiguredModule {
  readonly name: string;
  readonly settings: unknown;
  start(context: ModuleContext): Promise<RunningModule>;
  erasers(dataSource: DataSource): PersonalDataEraser[];
}

/** Binds a module to its settings read from `env` (throws on a bad value). */
export function configureModule<S>(module: ChannelModule<S>, env: NodeJS.ProcessEnv): ConfiguredModule {
  const settings = module.settings(env);
  return { name: module.name, settings, start: async (context) => module.start(settings, context), erasers: (ds) => module.erasers?.(ds) ?? [] };
}

/** What the core offers every module: domain ports, never another adapter. */
export interface ModuleContext {
  log: Logger;
  clock: Clock;
  /** For a module that keeps tables of its own (its migrations live in migrations/). */
  dataSource: DataSource;
  cases: CaseRepository;
  intake: IntakeService;
  files: FileStore;
  emailLedger: EmailLedger;
  outgoingMail: OutgoingMailQueue;
  dropItems: DropItemRepository;
  /** The office calendar's deadline arithmetic (channel clocks such as LAPOR!'s follow-up deadline). */
  deadlines: DeadlineService;
  /** The one attach rule for files a caller names (uploader or reader only). */
  fileAccess: Pick<FileAccessService, 'checkAttachable'>;
  /** Runs `listener` after every committed case change seen by this instance; returns the unsubscribe. */
  onCommit(listener: () => void): () => void;
  /** The citizen's status page (`${LOKET_PUBLIC_URL}/status`), for texts sent to citizens. */
  statusPageUrl: string;
  /** Core limits a channel honours. */
  limits: { uploadMaxBytes: number };
}

/** What a started module brings. */
export interface RunningModule {
  /** Ports the core's use cases and the GraphQL API take from channels. */
  provides?: Partial<ChannelPorts>;
  /** HTTP routes (webhooks), mounted before /graphql; they answer for themselves (auth, limits). */
  routes?: Router;
  /** Periodic jobs, registered with the scheduler (each run on one instance at a time). */
  jobs?: ScheduledJob[];
  /** Readiness checks: each entry is one check of /readyz (false makes the instance not ready). */
  readiness?(): Record<string, boolean>;
  /**
   * Readiness detail shown under `details` in /readyz that never makes the instance unready: the
   * state of a remote service the channel depends on (its outage is not this instance's fault).
   */
  readinessDetail?(): Record<string, unknown>;
  /** Stops its workers; waits a bounded time for work in flight. */
  stop(): Promise<void>;
}

/** The ports channels provide to the core. A new port is one field here. */
export interface ChannelPorts {
  /** Inbox status and quarantine (email module). */
  emailChannel: EmailChannelAdmin;
  /** The complaint line and the PBX's time zone (phone module). */
  phoneSettings: PhoneSettings;
  /** Reads the PBX's call log (phone module). */
  cdrReader: CdrReader;
  /** The scanner and fax drop folders, null when not configured (drop-folder module). */
  dropFolders: { scan: DropScanner | null; fax: DropScanner | null };
  /** SP4N-LAPOR!: manual registration, follow-ups, the channel's state (lapor module). */
  laporChannel: LaporService;
  /** The WhatsApp channel's state (whatsapp module). */
  whatsappChannel: WhatsAppChannelStatusSource;
}
