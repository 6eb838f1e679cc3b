import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { startTestApp } from '../../support/test-app';
import { trackedWsClient, waitFor } from '../../support/live';

const SUB = `subscription { caseCreated { id } }`;

describe('a live subscription whose credential expires', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await createTestDatabase('ws_expiry');
    drop = db.drop;
    // The re-check is an hour away: only closing at the known expiry can end the socket in time.
    app = await startTestApp(db.url, undefined, { wsAuthRecheckSeconds: 3600 });
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  it('is closed with 4401 when the token expires, not at the next re-check', async () => {
    const expiresAt = new Date(Date.now() + 2_000);
    const { token } = await app.services.access.createToken(null, { name: 'two seconds', role: 'SUPERVISOR', expiresAt });
    const ws = trackedWsClient(app.url, token);
    const errors: unknown[] = [];
    ws.client.subscribe({ query: SUB }, { next: () => undefined, error: (e) => errors.push(e), complete: () => undefined });
    try {
      await waitFor(() => app.services.stream.subscriberCount > 0 || errors.length > 0 || ws.closes.length > 0, 'the subscription to be registered');
      expect(errors).toEqual([]);
      expect(ws.closes).toEqual([]);

      await waitFor(() => ws.closes.length > 0, 'the server to close the expired socket', 20_000);
      expect(ws.closes[0]).toEqual({ code: 4401, reason: 'Credential expired' });
      expect(Date.now()).toBeGreaterThanOrEqual(expiresAt.getTime());
    } finally {
      await ws.client.dispose();
    }
  });
});
