import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CipherConfigError } from './cipher-errors';
import { KEY_BYTES, parseKeyText } from './key-material';

/** Name of the development key file inside the data directory. */
export const DATA_KEY_FILE = 'loket-data.key';

/** Keys for `PersonalDataCipher`, plus where the data key came from so startup can warn. */
export interface CipherConfig {
  current: Buffer;
  previous: Buffer[];
  indexKey: Buffer | null;
  /** `env`: LOKET_DATA_KEY; `file`: the development key file; `ephemeral`: memory only. */
  source: 'env' | 'file' | 'ephemeral';
  /** True when this call made a new data key (new key file or ephemeral): log a warning. */
  generated: boolean;
  /** True when the key lives only in memory: everything encrypted is lost on restart. */
  ephemeral: boolean;
  /** Path of the key file when `source` is `file`. */
  keyFile: string | null;
}

/** How `loadCipherConfig` may fall back when LOKET_DATA_KEY is unset. */
export interface CipherConfigOptions {
  /** In production a missing key is an error: a generated one would silently fork the data. */
  production: boolean;
  /** Where a development key file may live; null means no disk, so an ephemeral key. */
  dataDir: string | null;
}

/**
 * Reads the personal-data keys from the environment:
 * - `LOKET_DATA_KEY`: the current 32-byte key, base64 or 64 hex characters;
 * - `LOKET_DATA_KEYS_PREVIOUS`: comma-separated older keys, same formats, for rotation;
 * - `LOKET_INDEX_KEY`: optional blind-index key, same format. Without it the index key is
 *   derived from the data key and rotating the data key requires re-indexing.
 *
 * When LOKET_DATA_KEY is unset (or blank): production throws; otherwise the key is read from, or
 * created in, `<dataDir>/loket-data.key` (mode 0600), or made ephemeral when `dataDir` is null.
 * @throws CipherConfigError naming the variable or file at fault, never its value.
 */
export function loadCipherConfig(env: NodeJS.ProcessEnv, opts: CipherConfigOptions): CipherConfig {
  const previous = splitKeyList(env['LOKET_DATA_KEYS_PREVIOUS']).map((text, i) =>
    parseKeyText(text, `LOKET_DATA_KEYS_PREVIOUS entry ${i + 1}`),
  );
  const indexText = blankToNull(env['LOKET_INDEX_KEY']);
  const indexKey = indexText === null ? null : parseKeyText(indexText, 'LOKET_INDEX_KEY');
  const base = { previous, indexKey };

  const dataText = blankToNull(env['LOKET_DATA_KEY']);
  let config: CipherConfig;
  if (dataText !== null) {
    config = { ...base, current: parseKeyText(dataText, 'LOKET_DATA_KEY'), source: 'env', generated: false, ephemeral: false, keyFile: null };
  }
  else if (opts.production) {
    throw new CipherConfigError(
      'KEY_MISSING',
      'LOKET_DATA_KEY is required in production (32 bytes as base64 or 64 hex characters, e.g. `openssl rand -base64 32`)',
    );
  }
  else if (opts.dataDir !== null) {
    const keyFile = path.join(opts.dataDir, DATA_KEY_FILE);
    const { key, generated } = readOrCreateKeyFile(keyFile);
    config = { ...base, current: key, source: 'file', generated, ephemeral: false, keyFile };
  }
  else {
    config = { ...base, current: randomBytes(KEY_BYTES), source: 'ephemeral', generated: true, ephemeral: true, keyFile: null };
  }

  // One key serving both AES-GCM and HMAC would couple two algorithms' security; refuse it.
  if (indexKey && [config.current, ...previous].some((k) => k.equals(indexKey))) {
    throw new CipherConfigError('KEY_INVALID', 'LOKET_INDEX_KEY must differ from every data key');
  }
  return config;
}

/**
 * Returns the key stored in `keyFile`, creating the directory and a new random key (base64,
 * mode 0600) when the file does not exist yet.
 */
function readOrCreateKeyFile(keyFile: string): { key: Buffer; generated: boolean } {
  const existing = readKeyFile(keyFile);
  if (existing) return { key: existing, generated: false };
  try {
    mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
    // Write a private temp file, then hard-link it into place: link fails if the target exists,
    // so two processes starting together never overwrite each other's key, and nobody can read
    // a half-written file.
    const key = randomBytes(KEY_BYTES);
    const temp = `${keyFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temp, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      linkSync(temp, keyFile);
      return { key, generated: true };
    }
    catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
    }
    finally {
      unlinkSync(temp);
    }
  }
  catch (err) {
    throw new CipherConfigError('KEY_FILE_FAILED', `Cannot create the data key file ${keyFile} (${errorCode(err) ?? 'error'})`, { cause: err });
  }
  // Lost the race: another process created the file between our read and our link.
  const raced = readKeyFile(keyFile);
  if (!raced) throw new CipherConfigError('KEY_FILE_FAILED', `The data key file ${keyFile} vanished while being created`);
  return { key: raced, generated: false };
}

function readKeyFile(keyFile: string): Buffer | null {
  let text: string;
  try {
    text = readFileSync(keyFile, 'utf8');
  }
  catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw new CipherConfigError('KEY_FILE_FAILED', `Cannot read the data key file ${keyFile} (${errorCode(err) ?? 'error'})`, { cause: err });
  }
  return parseKeyText(text, `The data key file ${keyFile}`);
}

function splitKeyList(value: string | undefined): string[] {
  // Empty entries (a trailing comma, a blank variable) are tolerated rather than reported.
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function blankToNull(value: string | undefined): string | null {
  // Compose files often set `LOKET_DATA_KEY=` to mean "unset"; treat it that way.
  return value === undefined || value.trim() === '' ? null : value;
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}
