import { execFile } from 'node:child_process';
import path from 'node:path';
import pino from 'pino';
import { Client } from 'pg';
import { startLoket } from '../../../src/app';
import { PersonalDataCipher } from '../../../src/adapters/crypto/personal-data-cipher';
import { keyIdOf } from '../../../src/adapters/crypto/key-material';
import { createTestDatabase } from '../../support/database';
import { buildPhoneCall, buildRequester } from '../../support/builders';
import { gqlOk, issueRoleTokens, testConfig } from '../../support/test-app';
import { CaseMapper } from '../../../src/adapters/persistence/case.mapper';
import { TypeormCaseRepository } from '../../../src/adapters/persistence/typeorm-case.repository';

const OLD_KEY = Buffer.alloc(32, 21);
const NEW_KEY = Buffer.alloc(32, 22);
const INDEX_KEY = Buffer.alloc(32, 23);
const NIKS = ['6171014505900011', '6171014505900012', '6171014505900013'];
const LOG_PHONE = `mutation($i: LogPhoneCallInput!) { logPhoneCall(input: $i) { id } }`;

/** `npm run loket -- rotate-keys`, run as a real child process (the built CLI) against the test database. */
describe('loket rotate-keys (real PostgreSQL)', () => {
  const CLI = path.resolve(__dirname, '../../../dist/src/cli.js');
  let dbUrl: string;
  let drop: () => Promise<void>;
  const ids: string[] = [];

  function cli(args: string[], keys: { current: Buffer; previous?: Buffer[] }): Promise<{ code: number; stdout: string; stderr: string }> {
    const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
    void _ignored;
    const env = {
      ...inherited,
      DATABASE_URL: dbUrl,
      LOKET_DATA_KEY: keys.current.toString('base64'),
      LOKET_DATA_KEYS_PREVIOUS: (keys.previous ?? []).map((k) => k.toString('base64')).join(','),
      LOKET_INDEX_KEY: INDEX_KEY.toString('base64'),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    };
    return new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], { env, timeout: 30_000, cwd: path.resolve(__dirname, '../../..') }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      });
    });
  }
  const rows = async () => {
    const c = new Client({ connectionString: dbUrl });
    await c.connect();
    try {
      return (await c.query(`SELECT id::text AS id, nik_ciphertext, nik_index FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id`, [ids])).rows as { id: string; nik_ciphertext: string | null; nik_index: string | null }[];
    } finally {
      await c.end();
    }
  };
  const keys = (current: Buffer, previous: Buffer[] = []) => ({ current, previous, indexKey: INDEX_KEY, source: 'env' as const, generated: false, ephemeral: false, keyFile: null });

  beforeAll(async () => {
    const db = await createTestDatabase('rotate_keys');
    dbUrl = db.url;
    drop = db.drop;
    const app = await startLoket(testConfig({ kind: 'postgres', url: dbUrl, poolSize: 4 }, { dataKeys: keys(OLD_KEY) }), { log: pino({ level: 'silent' }) });
    try {
      await issueRoleTokens(app);
      for (const nik of NIKS) ids.push((await gqlOk(app.url, LOG_PHONE, { i: buildPhoneCall({ requester: buildRequester({ nik }) }) })).logPhoneCall.id);
      ids.push((await gqlOk(app.url, LOG_PHONE, { i: buildPhoneCall() })).logPhoneCall.id); // no NIK
    } finally {
      await app.stop();
    }
  });
  afterAll(async () => {
    await drop?.();
  });

  it('re-encrypts every NIK with the new key in batches, reporting progress on stderr and totals on stdout; the index still finds them', async () => {
    const before = await rows();
    expect(before.filter((r) => r.nik_ciphertext?.startsWith(`v1.${keyIdOf(OLD_KEY)}.`))).toHaveLength(3);

    const run = await cli(['rotate-keys', '--batch', '2'], { current: NEW_KEY, previous: [OLD_KEY] });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('scanned\t3\nreencrypted\t3\nunchanged\t0\nskipped\t0\nfailed\t0\n');
    expect(run.stderr).toContain('rotate-keys: scanned 2, re-encrypted 2');
    expect(run.stderr).toContain('rotate-keys: scanned 3, re-encrypted 3');
    for (const nik of NIKS) expect(run.stdout + run.stderr).not.toContain(nik);

    const cipher = new PersonalDataCipher({ current: NEW_KEY, indexKey: INDEX_KEY });
    const after = await rows();
    const withNik = after.filter((r) => r.nik_ciphertext);
    expect(withNik).toHaveLength(3);
    for (const r of withNik) {
      expect(r.nik_ciphertext!.startsWith(`v1.${keyIdOf(NEW_KEY)}.`)).toBe(true);
      const nik = cipher.decrypt(r.nik_ciphertext!);
      expect(NIKS).toContain(nik);
      expect(r.nik_index).toBe(cipher.blindIndex(nik));
    }

    // The server then runs without the old key and reads every NIK.
    const app = await startLoket(testConfig({ kind: 'postgres', url: dbUrl, poolSize: 4 }, { dataKeys: keys(NEW_KEY) }), { log: pino({ level: 'silent' }) });
    try {
      // The blind index finds the case by NIK and the new key opens it.
      const repo = new TypeormCaseRepository(app.db.dataSource, new CaseMapper(cipher));
      const found = await repo.findByRequester({ nik: NIKS[0], email: null, phone: null });
      expect(found.map((c) => c.id)).toEqual([ids[0]]);
      expect(found[0].snapshot().requester?.nik).toBe(NIKS[0]);
    } finally {
      await app.stop();
    }
  });

  it('is idempotent: a second run rewrites nothing; without the key the NIKs were written with it reports failures and changes nothing', async () => {
    const again = await cli(['rotate-keys'], { current: NEW_KEY, previous: [OLD_KEY] });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('scanned\t3\nreencrypted\t0\nunchanged\t3\nskipped\t0\nfailed\t0\n');

    const snapshot = await rows();
    const lost = await cli(['rotate-keys'], { current: Buffer.alloc(32, 99) });
    expect(lost.code).toBe(1);
    expect(lost.stdout).toContain('failed\t3\n');
    expect(lost.stderr).toContain('LOKET_DATA_KEYS_PREVIOUS');
    expect(await rows()).toEqual(snapshot);
  });
});
