import { Writable } from 'node:stream';
import pino from 'pino';
import { LoketApp, startLoket } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { buildPhoneCall, buildRequester } from '../../support/builders';
import { gqlOk, issueRoleTokens, testConfig } from '../../support/test-app';

const NIK = '6171014505900003';
const PHONE_DIGITS = '81298765432';

describe('request logs: one short line per request', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  const lines: string[] = [];

  beforeAll(async () => {
    const db = await createTestDatabase('request_log');
    drop = db.drop;
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        cb();
      },
    });
    // The service's own logger options (createLogger), written to the test's sink.
    app = await startLoket(testConfig({ kind: 'postgres', url: db.url, poolSize: 4 }), { log: pino({ level: 'info', base: { service: 'loket' } }, sink) });
    await issueRoleTokens(app);
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  const completed = () => lines.map((l) => JSON.parse(l) as Record<string, any>).filter((l) => l.msg === 'request completed');

  it('has method, path, status, duration, GraphQL operation name and request id; no headers, no personal data', async () => {
    const requester = buildRequester({ nik: NIK, phone: `0${PHONE_DIGITS}` });
    await gqlOk(app.url, 'mutation LogCall($i: LogPhoneCallInput!) { logPhoneCall(input: $i) { id } }', { i: buildPhoneCall({ requester, callerNumber: `0${PHONE_DIGITS}` }) });
    const res = await fetch(app.url.replace(/\/graphql$/, '/status?ref=ADU-2026-000001'), { headers: { 'x-request-id': 'loket-test-42', cookie: 'sesi=rahasia-cookie' } });
    const csp = res.headers.get('content-security-policy');
    expect(csp).toBeTruthy();
    await new Promise((r) => setTimeout(r, 50)); // the line is written on 'finish', after the body

    const [gqlLine] = completed().filter((l) => l.path === '/graphql');
    expect(gqlLine).toEqual({
      level: 30,
      time: expect.any(Number),
      service: 'loket',
      msg: 'request completed',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      method: 'POST',
      path: '/graphql',
      status: 200,
      durationMs: expect.any(Number),
      operation: 'LogCall',
    });
    const statusLine = completed().find((l) => l.requestId === 'loket-test-42')!;
    // The query string may carry a reference number or an access code: only the path is logged.
    expect(statusLine).toMatchObject({ method: 'GET', path: '/status', status: 200 });
    expect(statusLine.operation).toBeUndefined();

    const all = lines.join('\n');
    for (const secret of [csp!, 'sesi=rahasia-cookie', 'rahasia-cookie', 'content-security-policy', 'user-agent', 'authorization', NIK, PHONE_DIGITS]) {
      expect(all).not.toContain(secret);
    }
    for (const l of completed()) expect(JSON.stringify(l).length).toBeLessThan(300);
  });
});
