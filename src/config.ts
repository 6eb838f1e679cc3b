import path from 'node:path';
import { DatabaseConfig } from './adapters/persistence/data-source';
import { CipherConfig, loadCipherConfig } from './adapters/crypto/cipher-config';
import { authFailuresPerMinuteFromEnv, RateLimitConfig, rateLimitConfigFromEnv } from './adapters/http/rate-limiter';
import { trustProxyFromEnv } from './adapters/http/client-ip';
import { ImapConfig, imapConfigFromEnv } from './adapters/email/imap-config';
import { phoneConfigFromEnv } from './adapters/phone/phone-config';
import { PhoneSettings } from './domain/phone/call-record';
import { INLINE_MAX_BYTES } from './adapters/files/local-file-store';

export interface LoketConfig {
  port: number;
  host: string;
  database: DatabaseConfig;
  logLevel: string;
  production: boolean;
  /** Keys for personal data (NIK encryption and blind index). */
  dataKeys: CipherConfig;
  /** LOKET_BOOTSTRAP_TOKEN: becomes an admin token on a start with no admin. */
  bootstrapToken?: string;
  /** Anonymize requesters of cases finished more than this many months ago; off when unset. */
  retentionMonths?: number;
  rateLimits: RateLimitConfig;
  /** LOKET_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: unknown bearer credentials per client address and minute (default 30). */
  authFailuresPerMinute?: number;
  trustProxy: boolean;
  /** How often live WebSocket connections re-check that their credential is still valid. */
  wsAuthRecheckSeconds: number;
  /** Where files (attachments, raw messages, scans) are kept. */
  filesDir: string;
  /** Files up to this size are kept in the database instead of filesDir (0: all in filesDir). */
  filesInlineMaxBytes: number;
  /** The kesra@ inbox; the email intake is off when unset. */
  imap: ImapConfig | null;
  /** Outgoing mail; acknowledgements and answers by email wait in the outbox while unset. */
  smtp: { url: string; from: string } | null;
  /** Largest email kept whole (attachments beyond are left out with a note). */
  emailMaxBytes: number;
  /** The complaint line's extension and the PBX's time zone (call records); defaults when unset. */
  phone?: PhoneSettings;
  /** Largest file accepted by POST /files. */
  uploadMaxBytes: number;
  /** LOKET_SCAN_INBOX: the scanner's drop folder; off when unset. */
  scanInbox?: string | null;
  /** LOKET_FAX_INBOX: the fax server's drop folder; off when unset. */
  faxInbox?: string | null;
  /** LOKET_DROP_POLL_SECONDS: how often the drop folders are read (default 5). */
  dropPollSeconds?: number;
}

export class ConfigError extends Error {}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number | undefined): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${name} must be a positive whole number`);
  return n;
}

/** LOKET_FILES_INLINE_MAX_BYTES: 0 to 1 MiB; small files cost more as files than as rows. */
function inlineMax(env: NodeJS.ProcessEnv): number {
  const raw = env.LOKET_FILES_INLINE_MAX_BYTES?.trim();
  if (!raw) return INLINE_MAX_BYTES;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 1024 * 1024) throw new ConfigError('LOKET_FILES_INLINE_MAX_BYTES must be a whole number from 0 to 1048576');
  return n;
}

/**
 * Reads the environment. PostgreSQL when DATABASE_URL is set; otherwise embedded PGlite in
 * LOKET_DATA_DIR (default ./data). Invalid values stop the start with a clear message that
 * never repeats a secret.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LoketConfig {
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number, got "${env.PORT}"`);
  const url = env.DATABASE_URL?.trim();
  if (url && !/^postgres(ql)?:\/\//.test(url)) throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  const poolSize = positiveInt(env, 'DATABASE_POOL_SIZE', 20)!;
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent`);
  }
  const production = env.NODE_ENV === 'production';
  const dataDir = path.resolve(env.LOKET_DATA_DIR ?? './data');
  const bootstrapToken = env.LOKET_BOOTSTRAP_TOKEN?.trim() || undefined;
  if (bootstrapToken && bootstrapToken.length < 24) throw new ConfigError('LOKET_BOOTSTRAP_TOKEN must be at least 24 characters');
  try {
    return {
      port,
      host: env.HOST ?? '0.0.0.0',
      database: url ? { kind: 'postgres', url, poolSize } : { kind: 'pglite', dataDir },
      logLevel,
      production,
      dataKeys: loadCipherConfig(env, { production, dataDir }),
      bootstrapToken,
      retentionMonths: positiveInt(env, 'LOKET_RETENTION_MONTHS', undefined),
      rateLimits: rateLimitConfigFromEnv(env),
      authFailuresPerMinute: authFailuresPerMinuteFromEnv(env),
      trustProxy: trustProxyFromEnv(env),
      wsAuthRecheckSeconds: positiveInt(env, 'LOKET_WS_AUTH_RECHECK_SECONDS', 30)!,
      filesDir: path.resolve(env.LOKET_FILES_DIR ?? path.join(dataDir, 'files')),
      filesInlineMaxBytes: inlineMax(env),
      imap: imapConfigFromEnv(env),
      smtp: smtpFromEnv(env),
      emailMaxBytes: positiveInt(env, 'LOKET_EMAIL_MAX_BYTES', 10 * 1024 * 1024)!,
      phone: phoneConfigFromEnv(env),
      uploadMaxBytes: positiveInt(env, 'LOKET_UPLOAD_MAX_BYTES', 20 * 1024 * 1024)!,
      scanInbox: env.LOKET_SCAN_INBOX?.trim() ? path.resolve(env.LOKET_SCAN_INBOX.trim()) : null,
      faxInbox: env.LOKET_FAX_INBOX?.trim() ? path.resolve(env.LOKET_FAX_INBOX.trim()) : null,
      dropPollSeconds: positiveInt(env, 'LOKET_DROP_POLL_SECONDS', 5)!,
    };
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError((err as Error).message);
  }
}

function smtpFromEnv(env: NodeJS.ProcessEnv): { url: string; from: string } | null {
  const url = env.LOKET_SMTP_URL?.trim();
  if (!url) return null;
  if (!/^smtps?:\/\//.test(url)) throw new ConfigError('LOKET_SMTP_URL must start with smtp:// or smtps://');
  const from = env.LOKET_MAIL_FROM?.trim() || 'Biro Kesra Kalbar <kesra@kalbarprov.go.id>';
  if (!/@/.test(from)) throw new ConfigError('LOKET_MAIL_FROM must contain an email address');
  return { url, from };
}
