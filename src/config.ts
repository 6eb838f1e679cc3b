import path from 'node:path';
import { DatabaseConfig } from './adapters/persistence/data-source';

export interface LoketConfig {
  port: number;
  host: string;
  database: DatabaseConfig;
  logLevel: string;
  production: boolean;
}

export class ConfigError extends Error {}

/**
 * Reads the environment. PostgreSQL when DATABASE_URL is set; otherwise embedded PGlite in
 * LOKET_DATA_DIR (default ./data). Invalid values stop the start with a clear message.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LoketConfig {
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number, got "${env.PORT}"`);
  const url = env.DATABASE_URL?.trim();
  if (url && !/^postgres(ql)?:\/\//.test(url)) throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  const poolSize = Number(env.DATABASE_POOL_SIZE ?? 20);
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new ConfigError('DATABASE_POOL_SIZE must be a positive integer');
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent`);
  }
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    database: url
      ? { kind: 'postgres', url, poolSize }
      : { kind: 'pglite', dataDir: path.resolve(env.LOKET_DATA_DIR ?? './data') },
    logLevel,
    production: env.NODE_ENV === 'production',
  };
}
