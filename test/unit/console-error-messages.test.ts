import fs from 'node:fs';
import path from 'node:path';

/*
 * The console (web/src/errors.ts) has an Indonesian message for every error code the API can
 * return: each code in src/schema/errors/error-mapping.ts (the domain codes and the mapping's
 * own), each code the HTTP routes answer with, and GraphQL's own. The file is loaded by path
 * (not imported) so the server's tsc never compiles web/.
 */
const ROOT = path.resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const errors = require(path.join(ROOT, 'web', 'src', 'errors.ts')) as {
  ERROR_MESSAGES: Record<string, string>;
  messageFor(e: unknown): string;
  problemText(p: { field: string; message: string }): string;
  graphqlValidationText(m: string): string;
};

function codesIn(file: string, pattern: RegExp): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(pattern)].map((m) => m[1]);
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(rel) : rel.endsWith('.ts') ? [rel] : [];
  });
}

describe('the console has an Indonesian message for every API error code', () => {
  const mapping = [
    ...codesIn('src/schema/errors/error-mapping.ts', /case '([A-Z_]+)'/g),
    ...codesIn('src/schema/errors/error-mapping.ts', /code: '([A-Z_]+)'/g),
    ...codesIn('src/schema/errors/error-mapping.ts', /'([A-Z_]{4,})'/g),
    ...(fs.readFileSync(path.join(ROOT, 'src/domain/shared/domain-error.ts'), 'utf8').match(/export type DomainErrorCode =([^;]*);/)?.[1].match(/[A-Z_]{4,}/g) ?? []),
    ...codesIn('src/server/http-app.ts', /'([A-Z][A-Z_]{3,})'/g),
  ];
  const http = [...sourceFiles('src/server'), ...sourceFiles('src/adapters/http'), ...sourceFiles('src/schema')].flatMap((f) => codesIn(f, /code: '([A-Z_]+)'/g));
  const graphql = ['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_USER_INPUT', 'PERSISTED_QUERY_NOT_SUPPORTED', 'PERSISTED_QUERY_NOT_FOUND', 'OPERATION_RESOLUTION_FAILURE', 'BAD_REQUEST'];
  const all = [...new Set([...mapping, ...http, ...graphql])].sort();

  it('finds the codes it checks', () => {
    expect(all).toEqual(expect.arrayContaining(['CASE_NOT_FOUND', 'NO_DRAFT', 'LAPOR_NOT_CONNECTED', 'SUBSCRIBER_TOO_SLOW', 'PAYLOAD_TOO_LARGE', 'FILE_TOO_LARGE']));
  });

  it.each(all)('%s', (code) => {
    expect(errors.ERROR_MESSAGES[code]).toEqual(expect.any(String));
    expect(errors.messageFor({ extensions: { code } })).not.toBe('');
  });

  it('names the reason of an UNAUTHENTICATED refusal (a wrong password is not an expired session)', () => {
    const text = fs.readFileSync(path.join(ROOT, 'src/domain/shared/domain-error.ts'), 'utf8');
    const reasons = text.match(/constructor\(readonly reason: ([^)]*)\)/)![1].match(/[A-Z_]+/g)!;
    expect(reasons).toContain('BAD_LOGIN');
    for (const reason of reasons) expect(errors.messageFor({ extensions: { code: 'UNAUTHENTICATED', reason } })).not.toBe('');
    expect(errors.messageFor({ extensions: { code: 'UNAUTHENTICATED', reason: 'BAD_LOGIN' } })).toBe('Nama pengguna atau kata sandi salah.');
  });

  it('renders BAD_USER_INPUT problems field by field in Indonesian', () => {
    const text = errors.messageFor({
      message: 'Data tidak valid: requester.phone, subject',
      extensions: { code: 'BAD_USER_INPUT', problems: [{ field: 'requester.phone', message: 'is not a valid phone number' }, { field: 'subject', message: 'must be at most 300 characters' }] },
    });
    expect(text).toBe('Data yang diisi tidak valid. Nomor telepon pemohon: bukan nomor telepon yang sah; Perihal: paling banyak 300 karakter');
    expect(errors.problemText({ field: 'reason', message: 'something never seen before' })).toBe('Alasan: tidak valid');
    expect(errors.problemText({ field: 'requester.nik', message: 'must be exactly 16 digits' })).toBe('NIK pemohon: harus tepat 16 angka');
  });

  it('renders GraphQL validation messages in Indonesian', () => {
    expect(errors.graphqlValidationText('Variable "$input" got invalid value { kind: "COMPLAINT" }; Field "subject" of required type "String!" was not provided.')).toBe('Perihal: wajib diisi');
    expect(errors.graphqlValidationText('Cannot query field "nope" on type "Case".')).toMatch(/kolom yang tidak dikenal/);
    expect(errors.messageFor({ message: 'Syntax Error: Unexpected Name "x".', extensions: { code: 'GRAPHQL_PARSE_FAILED' } })).toBe(errors.ERROR_MESSAGES.GRAPHQL_PARSE_FAILED);
  });
});
