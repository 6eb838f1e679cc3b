import { LoketApp } from '../../../src/app';
import { createTestDatabase } from '../../support/database';
import { startTestApp } from '../../support/test-app';

describe('/readyz detail per component (real PostgreSQL)', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  let url: string;
  const readyz = async (query = '') => {
    const res = await fetch(`http://127.0.0.1:${app.port}/readyz${query}`);
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  beforeAll(async () => {
    const db = await createTestDatabase('readiness');
    drop = db.drop;
    url = db.url;
    app = await startTestApp(db.url);
  });
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  it('the plain answer is unchanged; ?verbose adds database, event listener, each channel and the scheduler', async () => {
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready', checks: { database: true, migrations: true, events: true } } });
    const { status, body } = await readyz('?verbose');
    expect(status).toBe(200);
    expect(body.components.database).toEqual({ ready: true, reachable: true, migrations: true });
    expect(body.components.events).toEqual({ ready: true });
    expect(Object.keys(body.components.channels).sort()).toEqual(['drop-folders', 'email', 'lapor', 'phone', 'whatsapp']);
    for (const c of Object.values(body.components.channels) as { ready: boolean }[]) expect(c.ready).toBe(true);
    expect(body.components.scheduler).toEqual({ ready: true, jobs: body.jobs.length, failing: [] });
  });

  it('a job whose last run failed is named under the scheduler, without its error text', async () => {
    const { Client } = await import('pg');
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(`UPDATE scheduled_jobs SET last_outcome = 'failed', last_error = 'disk penuh di /var', consecutive_failures = 1 WHERE name = 'outbox-prune'`);
    } finally {
      await c.end();
    }
    const { body } = await readyz('?verbose');
    expect(body.status).toBe('ready');
    expect(body.components.scheduler.failing).toEqual(['outbox-prune']);
    expect(JSON.stringify(body)).not.toContain('disk penuh');
  });
});
