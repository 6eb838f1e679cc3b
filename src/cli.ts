import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { openDatabase } from './adapters/persistence/data-source';
import { rotateNikKeys } from './adapters/persistence/nik-key-rotation';
import { PersonalDataCipher } from './adapters/crypto/personal-data-cipher';
import { composeCore } from './composition/core';
import { masterCsvReader } from './adapters/phone/master-csv-reader';
import { phoneSettingsFromEnv } from './adapters/phone/phone-settings';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { Role, ROLES, Scope, SCOPES } from './domain/access/roles';
import { DomainError, ValidationError } from './domain/shared/domain-error';
import { systemClock } from './domain/shared/clock.port';
import { uuidGenerator } from './domain/shared/id-generator.port';
import { CallRecordService } from './domain/phone/call-record.service';

const USAGE = `Usage: npm run --silent loket -- <command>

  token create --role ROLE --name NAME [--scopes S1,S2] [--team TEAM] [--expires ISO-8601]
      Creates an API token and prints the token alone on standard output (shown only once).
  token list
  token revoke ID
  team create --code CODE --name "Team Name"
      Creates a handling team (e.g. --code tim-pengaduan-1); users and tokens name it with --team.
  user create --username NAME --display-name "Full Name" --role ROLE [--team TEAM]
      Reads the password from standard input (one line).
  retention run --months N
      Anonymizes requesters of cases finished more than N months ago.
  rotate-keys [--batch N] [--reindex yes]
      Re-encrypts every NIK with the current LOKET_DATA_KEY (older keys in LOKET_DATA_KEYS_PREVIOUS
      open the old envelopes) and recomputes its blind index; progress on standard error, totals
      on standard output. Safe to stop and run again; with --reindex yes it also recomputes the
      index of envelopes already on the current key (after LOKET_INDEX_KEY changed).
  import-cdr FILE
      Imports the PBX call log (Asterisk Master.csv); prints imported, duplicate and skipped
      counts, then one line per skipped line. Importing the same file again adds nothing.

Roles: ${ROLES.join(', ')}. Scopes (INTEGRATION only): ${SCOPES.join(', ')}.
Uses the same configuration as the server (DATABASE_URL or LOKET_DATA_DIR, LOKET_DATA_KEY).
The embedded database can be opened by one process at a time: stop the server first.`;

class UsageError extends Error {}

function flags(args: string[]): { positional: string[]; named: Map<string, string> } {
  const positional: string[] = [];
  const named = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${a} needs a value`);
      named.set(a.slice(2), value);
      i++;
    } else positional.push(a);
  }
  return { positional, named };
}

function required(named: Map<string, string>, name: string): string {
  const v = named.get(name);
  if (!v) throw new UsageError(`--${name} is required`);
  return v;
}

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function main(argv: string[]): Promise<number> {
  const [group, action, ...rest] = argv;
  if (!group || group === 'help' || group === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return group ? 0 : 2;
  }
  const { positional, named } = flags(rest);
  const config = loadConfig();
  // Logs go to standard error, so that standard output carries only the answer.
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn', true);
  const db = await openDatabase(config.database);
  try {
    const core = await composeCore(config, db, systemClock, log);
    if (group === 'token' && action === 'create') {
      const role = required(named, 'role').toUpperCase() as Role;
      const scopes = named.get('scopes')?.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean) as Scope[] | undefined;
      const expires = named.get('expires');
      const expiresAt = expires ? new Date(expires) : null;
      if (expiresAt && Number.isNaN(expiresAt.getTime())) throw ValidationError.single('expires', 'is not an ISO-8601 time');
      const r = await core.access.createToken(null, { name: required(named, 'name'), role, scopes, team: named.get('team') ?? null, expiresAt });
      process.stdout.write(`${r.token}\n`);
      return 0;
    }
    if (group === 'token' && action === 'list') {
      for (const t of await core.access.listTokens()) {
        const state = t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt <= new Date() ? 'expired' : 'active';
        process.stdout.write(`${t.id}\t${t.role}\t${state}\t${t.name}\n`);
      }
      return 0;
    }
    if (group === 'token' && action === 'revoke') {
      if (!positional[0]) throw new UsageError('token revoke needs the token id');
      await core.access.revokeToken(null, positional[0]);
      return 0;
    }
    if (group === 'team' && action === 'create') {
      const team = await core.teams.create(null, { code: required(named, 'code'), name: required(named, 'name') });
      process.stdout.write(`${team.code}\n`);
      return 0;
    }
    if (group === 'user' && action === 'create') {
      const password = await readStdinLine();
      const user = await core.access.createUser(null, {
        username: required(named, 'username'),
        displayName: required(named, 'display-name'),
        role: required(named, 'role').toUpperCase() as Exclude<Role, 'INTEGRATION'>,
        team: named.get('team') ?? null,
        password,
      });
      process.stdout.write(`${user.id}\n`);
      return 0;
    }
    if (group === 'retention' && action === 'run') {
      const months = Number(required(named, 'months'));
      process.stdout.write(`${await core.privacy.runRetention(months)}\n`);
      return 0;
    }
    if (group === 'rotate-keys') {
      const { named: opts } = flags(argv.slice(1));
      const batchSize = Number(opts.get('batch') ?? 500);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new UsageError('--batch must be a whole number from 1 to 10000');
      const reindex = ['yes', 'true', '1'].includes((opts.get('reindex') ?? 'no').toLowerCase());
      const cipher = new PersonalDataCipher(config.dataKeys);
      process.stderr.write(`rotate-keys: current key ${cipher.currentKeyId}, ${config.dataKeys.previous.length} previous key(s)\n`);
      const totals = await rotateNikKeys(db.dataSource, cipher, {
        batchSize,
        reindex,
        onBatch: (p) => process.stderr.write(`rotate-keys: scanned ${p.scanned}, re-encrypted ${p.reencrypted}, unchanged ${p.unchanged}, skipped ${p.skipped}, failed ${p.failed}\n`),
      });
      process.stdout.write(`scanned\t${totals.scanned}\nreencrypted\t${totals.reencrypted}\nunchanged\t${totals.unchanged}\nskipped\t${totals.skipped}\nfailed\t${totals.failed}\n`);
      if (totals.failed > 0) process.stderr.write('rotate-keys: some NIKs could not be opened with any configured key; add the key they were written with to LOKET_DATA_KEYS_PREVIOUS and run again\n');
      return totals.failed > 0 ? 1 : 0;
    }
    if (group === 'import-cdr') {
      if (!action) throw new UsageError('import-cdr needs the path of Master.csv');
      const text = await readFile(action, 'utf8');
      const service = new CallRecordService(core.callRecords, core.files, masterCsvReader, core.fileAccess, phoneSettingsFromEnv(process.env), systemClock, uuidGenerator);
      const r = await service.importCsv(text);
      process.stdout.write(`imported\t${r.imported}\nduplicates\t${r.duplicates}\nskipped\t${r.skippedCount}\n`);
      for (const s of r.skipped) process.stdout.write(`line ${s.line}\t${s.reason}\n`);
      return 0;
    }
    throw new UsageError(`unknown command: ${[group, action].filter(Boolean).join(' ')}`);
  } finally {
    await db.dataSource.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    if (err instanceof UsageError) process.stderr.write(`${err.message}\n\n${USAGE}\n`);
    else if (err instanceof ValidationError) process.stderr.write(`Invalid input: ${err.problems.map((p) => `${p.field} ${p.message}`).join('; ')}\n`);
    else if (err instanceof DomainError || err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`Failed: ${err.message}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
