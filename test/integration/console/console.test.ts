import fs from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import { LoketApp } from '../../../src/app';
import { DropFolderWatcher } from '../../../src/adapters/drop-folder/drop-folder.adapter';
import { configureChannels } from '../../../src/modules/channels';
import { CONSOLE_CSP } from '../../../src/adapters/http/console-routes';
import { createTestDatabase } from '../../support/database';
import { gqlOk, HANDLER_TEAM, startTestApp } from '../../support/test-app';
import { samplePdf } from '../../support/sample-files';

/*
 * The console end to end: the real server (startTestApp) serving the built console (dist/web,
 * built by `npm run build:web` before jest in `npm test`), driven in Debian's Chromium by
 * playwright-core. No timed assertion: every wait is for something to appear, bounded
 * generously so a loaded machine is slow, not red. Screenshots at 1366x768 go to
 * test-output/screenshots; axe-core runs on every page (serious or critical = fail).
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SHOTS = path.join(ROOT, 'test-output', 'screenshots');
const WAIT = 30_000;
const PASSWORD = 'kata-sandi-uji-123';
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

jest.setTimeout(240_000);

/** WIB wall time "YYYY-MM-DD HH:MM:SS" of an instant, as Asterisk writes it. */
function wibStamp(d: Date): string {
  return new Date(d.getTime() + 7 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
}

describe('the console in a browser (real server, Chromium)', () => {
  let app: LoketApp;
  let drop: () => Promise<void>;
  let browser: Browser;
  let base: string;
  let faxDir: string;
  const contexts: BrowserContext[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'web', 'index.html'))) throw new Error('dist/web is not built: run `npm run build:web` (npm test does)');
    fs.mkdirSync(SHOTS, { recursive: true });
    const db = await createTestDatabase('console');
    drop = db.drop;
    faxDir = await mkdtemp(path.join(os.tmpdir(), 'loket-console-fax-'));
    app = await startTestApp(db.url, undefined, { channels: configureChannels({ LOKET_FAX_INBOX: faxDir, LOKET_DROP_POLL_SECONDS: '3600' }) });
    base = app.url.replace(/\/graphql$/, '');
    const users: Array<[string, 'CLERK' | 'COMPLAINT_OFFICER' | 'HANDLER' | 'SUPERVISOR' | 'ADMIN', string | null]> = [
      ['loket.clerk', 'CLERK', null],
      ['loket.officer', 'COMPLAINT_OFFICER', null],
      ['loket.handler', 'HANDLER', HANDLER_TEAM],
      ['loket.supervisor', 'SUPERVISOR', null],
      ['loket.admin', 'ADMIN', null],
    ];
    for (const [username, role, team] of users) {
      await app.services.access.createUser(null, { username, displayName: `Uji ${role.toLowerCase()}`, role, team, password: PASSWORD });
    }
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
    await drop?.();
    if (faxDir) await rm(faxDir, { recursive: true, force: true });
  });

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'id-ID', timezoneId: 'Asia/Pontianak' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    return { context, page };
  }

  async function login(page: Page, username: string): Promise<void> {
    await page.goto(`${base}/`);
    await page.getByLabel('Nama pengguna').fill(username);
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByRole('heading', { name: 'Antrean kasus' }).waitFor();
  }

  /** Screenshot at 1366x768 and axe-core: no serious or critical violation. */
  async function check(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
    // evaluate runs outside the page's CSP (no inline script is injected)
    await page.evaluate(AXE_SOURCE);
    const violations = (await page.evaluate(async () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const g = globalThis as any;
      const r = (await g.axe.run(g.document, { resultTypes: ['violations'] })) as { violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> };
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
    })) as Array<{ id: string; impact: string }>;
    expect({ page: name, violations: violations.filter((v) => v.impact === 'serious' || v.impact === 'critical') }).toEqual({ page: name, violations: [] });
  }

  async function logComplaintByApi(subject: string, requester?: Record<string, string>): Promise<{ id: string; reference: string }> {
    const r = await gqlOk(
      app.url,
      `mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { id reference } }`,
      { input: { kind: 'COMPLAINT', subject, callerNumber: '0812-3456-7890', ...(requester ? { requester } : {}) } },
    );
    return r.logPhoneCall;
  }

  it('serves the console at / with its own strict CSP, and leaves the API paths alone', async () => {
    const res = await fetch(`${base}/kasus/abc`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).not.toMatch(/unsafe-eval|unsafe-inline|https?:/);
    expect(await res.text()).toContain('<div id="root">');
    expect((await fetch(`${base}/healthz`)).headers.get('content-type')).toMatch(/json/);
    const status = await fetch(`${base}/status`, { headers: { accept: 'text/html' } });
    expect(await status.text()).not.toContain('<div id="root">');
  });

  it('logs in (labelled form), shows the queue, logs out', async () => {
    const { page } = await newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('Nama pengguna').waitFor();
    await check(page, '01-masuk');
    await page.getByLabel('Nama pengguna').fill('loket.clerk');
    await page.getByLabel('Kata sandi').fill('salah-sekali-123');
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/[A-Za-z]/);
    expect(await page.getByRole('alert').textContent()).toBe('Nama pengguna atau kata sandi salah.');
    await login(page, 'loket.clerk');
    expect(new URL(page.url()).pathname).toBe('/');
    await check(page, '02-antrean');
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.getByLabel('Nama pengguna').waitFor();
  });

  it('a call logged at the desk in one browser arrives in the queue of another without reload', async () => {
    // A PBX call to the complaint line an hour ago, waiting to be logged.
    const start = new Date(Date.now() - 3_600_000);
    const line = `"","081234567890","126","from-trunk","""Budi"" <081234567890>","SIP/telkom-1","SIP/126-1","Dial","SIP/126,30,tT","${wibStamp(start)}","${wibStamp(new Date(start.getTime() + 5000))}","${wibStamp(new Date(start.getTime() + 185_000))}",185,180,"ANSWERED","DOCUMENTATION","1999.1",""\n`;
    const fileId = (await app.services.files.put(Buffer.from(line), 'text/csv')).id;
    await gqlOk(app.url, `mutation($f: ID!) { importCallRecords(fileId: $f) { imported } }`, { f: fileId });

    const watcher = await newPage();
    await login(watcher.page, 'loket.officer');
    await watcher.page.locator('html[data-link="online"]').waitFor({ state: 'attached' });
    const clerk = await newPage();
    await login(clerk.page, 'loket.clerk');
    await clerk.page.getByRole('link', { name: 'Meja layanan' }).click();
    await clerk.page.getByRole('heading', { name: 'Catat panggilan telepon' }).waitFor();
    await clerk.page.getByLabel(/081234567890|\+6281234567890/).check();
    await clerk.page.getByLabel('Perihal').fill('Bantuan sosial belum diterima');
    await clerk.page.getByLabel('Nama pemohon').fill('Siti Aminah');
    await check(clerk.page, '03-meja-telepon');
    await clerk.page.getByRole('button', { name: 'Catat panggilan' }).click();
    const reference = (await clerk.page.getByTestId('reference').textContent())!.trim();
    expect(reference).toMatch(/^ADU-\d{4}-\d{6}$/);
    expect((await clerk.page.getByTestId('access-code').textContent())!.trim()).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await check(clerk.page, '04-meja-tercatat');

    // The watcher's queue, never reloaded, shows it.
    await watcher.page.getByRole('link', { name: reference }).waitFor();
    expect(await watcher.page.locator(`tr[data-case="${reference}"]`).count()).toBe(1);
  });

  it('keeps what was typed at the desk through a session expiry', async () => {
    const { page } = await newPage();
    await login(page, 'loket.clerk');
    await page.getByRole('link', { name: 'Meja layanan' }).click();
    await page.getByLabel('Perihal').fill('Isian yang tidak boleh hilang');
    // The server no longer accepts the session (as when it expires): the next request is refused.
    await page.evaluate(() => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const store = (globalThis as any).sessionStorage;
      const s = JSON.parse(store.getItem('loket.session'));
      s.token = 'kedaluwarsa';
      store.setItem('loket.session', JSON.stringify(s));
    });
    await page.reload();
    await page.getByLabel('Nama pengguna').waitFor();
    await page.getByText('Sesi Anda telah berakhir').waitFor();
    // By keyboard only: type, Tab, type, Enter; then Tab to the desk link and Enter.
    await page.getByLabel('Nama pengguna').focus();
    await page.keyboard.type('loket.clerk');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Antrean kasus' }).waitFor();
    await page.getByRole('link', { name: 'Antrean' }).focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Meja layanan' }).waitFor();
    expect(await page.getByLabel('Perihal').inputValue()).toBe('Isian yang tidak boleh hilang');
  });

  it('a walk-in information request with its requirements and scans, then its receipt', async () => {
    const { page } = await newPage();
    await login(page, 'loket.clerk');
    await page.getByRole('link', { name: 'Meja layanan' }).click();
    await page.getByRole('button', { name: 'Datang langsung' }).click();
    await page.getByLabel('Jenis').selectOption('INFORMATION_REQUEST');
    await page.getByLabel('Perihal').fill('Data penerima bantuan 2026');
    await page.getByLabel('Nama pemohon').fill('Andi Wijaya');
    await page.getByLabel('Pindaian surat permintaan').setInputFiles({ name: 'permintaan.pdf', mimeType: 'application/pdf', buffer: samplePdf('Surat permintaan') });
    await page.getByLabel('Surat tugas', { exact: true }).check();
    await page.getByLabel('Tanda pengenal', { exact: true }).check();
    await check(page, '05-meja-datang-langsung');
    // A refused field is named in Indonesian (BAD_USER_INPUT problems), and nothing is lost.
    await page.getByLabel('NIK pemohon').fill('123');
    await page.getByRole('button', { name: 'Catat kunjungan' }).click();
    await page.getByRole('alert').getByText('NIK pemohon: harus tepat 16 angka').waitFor();
    expect(await page.getByLabel('Perihal').inputValue()).toBe('Data penerima bantuan 2026');
    await page.getByLabel('NIK pemohon').fill('');
    await page.getByRole('button', { name: 'Catat kunjungan' }).click();
    expect((await page.getByTestId('reference').textContent())!.trim()).toMatch(/^PDI-\d{4}-\d{6}$/);
    const receipt = page.getByRole('link', { name: 'Cetak tanda terima' });
    await receipt.waitFor();
    const href = (await receipt.getAttribute('href'))!;
    expect(href).toMatch(/^blob:/);
    // The blob holds what GET /cases/{id}/receipt.pdf answers this session (the page's CSP keeps its
    // own scripts from reading blobs back, so the test asks the server the same question).
    const caseId = (await page.getByRole('link', { name: /^Buka kasus/ }).getAttribute('href'))!.replace('/kasus/', '');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const token = await page.evaluate(() => JSON.parse((globalThis as any).sessionStorage.getItem('loket.session')).token as string);
    const pdf = await fetch(`${base}/cases/${caseId}/receipt.pdf`, { headers: { authorization: `Bearer ${token}` } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toMatch(/application\/pdf/);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('a complaint-box opening with two letters, one with its scan: both become cases', async () => {
    const { page } = await newPage();
    await login(page, 'loket.clerk');
    await page.getByRole('link', { name: 'Meja layanan' }).click();
    await page.getByRole('button', { name: 'Kotak pengaduan' }).click();
    await page.getByLabel('Dibuka oleh').fill('Petugas Loket');
    await page.getByLabel('Saksi (pisahkan dengan koma)').fill('Saksi Satu, Saksi Dua');
    await page.getByLabel('Perihal surat 1').fill('Jalan desa rusak');
    await page.getByLabel('Pindaian surat 1').setInputFiles({ name: 'surat1.pdf', mimeType: 'application/pdf', buffer: samplePdf('Surat kotak') });
    await page.getByRole('button', { name: 'Tambah surat' }).click();
    await page.getByLabel('Perihal surat 2').fill('Pelayanan puskesmas');
    await check(page, '05b-meja-kotak-pengaduan');
    await page.getByRole('button', { name: 'Catat pembukaan kotak' }).click();
    await page.getByRole('heading', { name: /Pembukaan kotak tercatat: 2 kasus/ }).waitFor();
    expect(await page.getByRole('link', { name: /^ADU-\d{4}-\d{6}$/ }).count()).toBe(2);
  });

  it('a waiting fax, previewed and logged', async () => {
    await writeFile(path.join(faxDir, 'fax-0561736000.pdf'), samplePdf('Faks pengaduan'));
    const fax = app.dropFolders.fax as DropFolderWatcher;
    await fax.scanNow();
    await fax.scanNow();
    const { page } = await newPage();
    await login(page, 'loket.clerk');
    await page.getByRole('link', { name: 'Meja layanan' }).click();
    await page.getByRole('button', { name: 'Faks' }).click();
    await page.getByLabel(/fax-0561736000\.pdf/).check();
    await page.locator('iframe[title^="Pratinjau faks"]').waitFor();
    expect(await page.locator('iframe[title^="Pratinjau faks"]').getAttribute('src')).toMatch(/^blob:/);
    await page.getByLabel('Perihal').fill('Pengaduan lewat faks');
    await check(page, '06-meja-faks');
    await page.getByRole('button', { name: 'Catat faks' }).click();
    expect((await page.getByTestId('reference').textContent())!.trim()).toMatch(/^ADU-/);
  });

  it('classify, assign, draft, answer; the officer sees the confidential identity, the handler does not', async () => {
    const c = await logComplaintByApi('Pungutan liar di kantor desa', { name: 'Rahmat Pelapor Rahasia', phone: '0812-1111-2222', nik: '6171014506900001' });
    const officer = await newPage();
    await login(officer.page, 'loket.officer');
    await officer.page.goto(`${base}/kasus/${c.id}`);
    await officer.page.getByRole('heading', { name: `Kasus ${c.reference}` }).waitFor();
    await officer.page.getByTestId('requester').getByText('Rahmat Pelapor Rahasia').waitFor();
    await check(officer.page, '07-kasus-petugas');
    // The NIK is masked until revealed with a reason (audited).
    expect(await officer.page.getByTestId('requester').textContent()).not.toContain('6171014506900001');
    await officer.page.getByLabel('Alasan menampilkan NIK (dicatat di log audit)').fill('Verifikasi identitas pelapor');
    await officer.page.getByRole('button', { name: 'Tampilkan NIK lengkap' }).click();
    await officer.page.getByTestId('requester').getByText('6171014506900001').waitFor();
    // Pause and resume.
    await officer.page.getByLabel('Alasan penundaan').selectOption('WAITING_FOR_REQUESTER');
    await officer.page.getByRole('button', { name: 'Tunda' }).click();
    await officer.page.getByRole('button', { name: 'Lanjutkan' }).click();
    await officer.page.getByText('Dilanjutkan', { exact: true }).waitFor();
    await officer.page.getByLabel('Klasifikasi pengaduan').selectOption('NORMATIVE');
    await officer.page.getByRole('button', { name: 'Klasifikasikan' }).click();
    await officer.page.getByText('Pengaduan diklasifikasikan').waitFor();
    await officer.page.getByLabel('Tim penanganan').selectOption(HANDLER_TEAM);
    await officer.page.getByRole('button', { name: 'Tugaskan' }).click();
    await officer.page.getByText('Ditugaskan', { exact: true }).waitFor();

    const handler = await newPage();
    await login(handler.page, 'loket.handler');
    await handler.page.getByRole('link', { name: c.reference }).click();
    await handler.page.getByRole('heading', { name: `Kasus ${c.reference}` }).waitFor();
    await handler.page.getByTestId('identity-hidden').waitFor();
    expect(await handler.page.content()).not.toContain('Rahmat Pelapor Rahasia');
    expect(await handler.page.content()).not.toContain('1111');
    expect(await handler.page.content()).not.toContain('6171');
    await handler.page.getByLabel('Teks konsep jawaban').fill('Pungutan telah dihentikan dan dana dikembalikan.');
    await handler.page.getByRole('button', { name: 'Simpan konsep' }).click();
    await handler.page.getByTestId('draft').waitFor();
    await check(handler.page, '08-kasus-tim');

    await officer.page.reload();
    await officer.page.getByTestId('draft').waitFor();
    await officer.page.getByRole('button', { name: 'Kirim jawaban' }).click();
    await officer.page.getByTestId('answer').getByText('Pungutan telah dihentikan').waitFor();
    expect(await officer.page.getByTestId('status').textContent()).toBe('Sudah dijawab');
  });

  it('says so while offline, and after reconnecting shows what arrived meanwhile, once', async () => {
    const { context, page } = await newPage();
    await login(page, 'loket.officer');
    await page.locator('html[data-link="online"]').waitFor({ state: 'attached' });
    const before = await logComplaintByApi('Sebelum terputus');
    await page.getByRole('link', { name: before.reference }).waitFor();
    await context.setOffline(true);
    await page.getByText('Koneksi terputus').waitFor();
    await check(page, '09-antrean-terputus');
    const during = await logComplaintByApi('Selama terputus');
    await context.setOffline(false);
    await page.getByRole('link', { name: during.reference }).waitFor();
    await page.getByText('Koneksi terputus').waitFor({ state: 'hidden' });
    expect(await page.locator(`tr[data-case="${during.reference}"]`).count()).toBe(1);
    expect(await page.locator(`tr[data-case="${before.reference}"]`).count()).toBe(1);
  });

  it('the waiting lists, statistics and admin pages render and pass axe', async () => {
    const clerk = await newPage();
    await login(clerk.page, 'loket.clerk');
    await clerk.page.getByRole('link', { name: 'Daftar tunggu', exact: true }).click();
    await clerk.page.getByRole('heading', { name: /^Faks belum dicatat \(\d+\)$/ }).waitFor();
    await clerk.page.getByRole('heading', { name: /^Panggilan belum dicatat, 30 hari \(\d+\)$/ }).waitFor();
    expect(await clerk.page.getByRole('alert').count()).toBe(0);
    await check(clerk.page, '10-daftar-tunggu');
    const sup = await newPage();
    await login(sup.page, 'loket.admin');
    for (const [name, link, heading, loaded] of [
      ['10b-daftar-tunggu-admin', 'Daftar tunggu', 'Daftar tunggu', /^Surel dikarantina \(\d+\)$/],
      ['11-statistik', 'Statistik', 'Statistik', /^Kasus per kanal$/],
      ['12-admin', 'Admin', 'Admin', /^Tugas terjadwal dan kanal$/],
    ] as const) {
      await sup.page.getByRole('link', { name: link, exact: true }).click();
      await sup.page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await sup.page.getByText(loaded).first().waitFor();
      expect(await sup.page.getByRole('alert').count()).toBe(0);
      await check(sup.page, name);
      if (link === 'Statistik') {
        const [download] = await Promise.all([sup.page.waitForEvent('download'), sup.page.getByRole('button', { name: 'Unduh daftar kasus (CSV)' }).click()]);
        expect(download.suggestedFilename()).toMatch(/^kasus-.*\.csv$/);
        const csv = fs.readFileSync((await download.path())!, 'utf8');
        expect(csv).toContain('Nomor Referensi');
        expect(csv).toContain('PDI-');
      }
    }
  });

  it('no Content-Security-Policy violation on any page', () => {
    expect(cspViolations).toEqual([]);
  });
});
