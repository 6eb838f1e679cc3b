import path from 'node:path';
import { DatabaseConfig } from './adapters/persistence/data-source';
import { CipherConfig, loadCipherConfig } from './adapters/crypto/cipher-config';
import { authFailuresPerMinuteFromEnv, RateLimitConfig, rateLimitConfigFromEnv } from './adapters/http/rate-limiter';
import { trustProxyFromEnv } from './adapters/http/client-ip';
import { INLINE_MAX_BYTES } from './adapters/files/local-file-store';
import { ConfiguredModule } from './modules/channel-module';
import { configureChannels } from './modules/channels';

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
  /** Status lookups (GET/POST /status, caseStatus) per client address and minute. */
  statusLookupsPerMinute: number;
  /** LOKET_PUBLIC_URL: where citizens reach this service; the status page is `${publicUrl}/status`. */
  publicUrl: string;
  trustProxy: boolean;
  /** How often live WebSocket connections re-check that their credential is still valid. */
  wsAuthRecheckSeconds: number;
  /** Where files (attachments, raw messages, scans) are kept. */
  filesDir: string;
  /** Files up to this size are kept in the database instead of filesDir (0: all in filesDir). */
  filesInlineMaxBytes: number;
  /** Largest file accepted by POST /files (and by the drop folders). */
  uploadMaxBytes: number;
  /** LOKET_SLA_WARNING_PERCENT: SLA_WARNING once this share of the working time has passed (1..99, default 75). */
  slaWarningPercent?: number;
  /**
   * LOKET_SLA_ALERT_PERIOD_SECONDS: how often the SLA alert job looks for due warnings and
   * breaches (loadConfig: default 60). A configuration built without it schedules no alert job.
   */
  slaAlertPeriodSeconds?: number;
  /** The intake channels with their settings (each module reads its own LOKET_* variables). */
  channels: ConfiguredModule[];
  /** LOKET_METRICS_TOKEN: GET /metrics answers only with this bearer token; off (404) when unset. */
  metricsToken?: string;
  /** How long one reading of the database gauges of /metrics is reused (default 5000 ms). */
  metricsCacheMs?: number;
}

export class ConfigError extends Error {}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number | undefined): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${name} must be a positive whole number`);
  return n;
}

/** LOKET_SLA_WARNING_PERCENT: a whole percentage from 1 to 99. */
function warningPercent(env: NodeJS.ProcessEnv): number {
  const raw = env.LOKET_SLA_WARNING_PERCENT?.trim();
  if (!raw) return 75;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new ConfigError('LOKET_SLA_WARNING_PERCENT must be a whole number from 1 to 99');
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

/** LOKET_PUBLIC_URL: an http(s) address without query or fragment; printed on receipts and in mails. */
function publicUrl(env: NodeJS.ProcessEnv): string {
  const raw = env.LOKET_PUBLIC_URL?.trim();
  if (!raw) return 'http://localhost:4000';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('LOKET_PUBLIC_URL must be an http:// or https:// address, e.g. https://loket.kesra.kalbarprov.go.id');
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw new ConfigError('LOKET_PUBLIC_URL must be an http:// or https:// address without query, fragment or credentials');
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
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
  const metricsToken = env.LOKET_METRICS_TOKEN?.trim() || undefined;
  if (metricsToken && (metricsToken.length < 24 || !/^[\x21-\x7e]+$/.test(metricsToken))) {
    throw new ConfigError('LOKET_METRICS_TOKEN must be at least 24 printable characters without spaces (e.g. `openssl rand -hex 24`)');
  }
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
      statusLookupsPerMinute: positiveInt(env, 'LOKET_RATE_LIMIT_STATUS_LOOKUPS_PER_MINUTE', 10)!,
      publicUrl: publicUrl(env),
      trustProxy: trustProxyFromEnv(env),
      wsAuthRecheckSeconds: positiveInt(env, 'LOKET_WS_AUTH_RECHECK_SECONDS', 30)!,
      filesDir: path.resolve(env.LOKET_FILES_DIR ?? path.join(dataDir, 'files')),
      filesInlineMaxBytes: inlineMax(env),
      uploadMaxBytes: positiveInt(env, 'LOKET_UPLOAD_MAX_BYTES', 20 * 1024 * 1024)!,
      slaWarningPercent: warningPercent(env),
      slaAlertPeriodSeconds: positiveInt(env, 'LOKET_SLA_ALERT_PERIOD_SECONDS', 60)!,
      channels: configureChannels(env),
      metricsToken,
    };
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError((err as Error).message);
  }
}
