import { createHash } from 'node:crypto';
import express from 'express';
import { Logger } from 'pino';
import { CaseStatusView } from '../../domain/case/case-status-lookup.service';
import { DomainError, RateLimitedError } from '../../domain/shared/domain-error';
import { formatOfficeTime } from '../../domain/notifications/mail-texts';
import { OFFICE_ADDRESS } from '../../domain/notifications/office-info';
import { requestIdOf, UnavailableCheck } from './service-unavailable';

export interface StatusPageDeps {
  /** The status lookup use case; throws CASE_STATUS_NOT_FOUND for an unknown reference or a wrong code alike. */
  lookup: (reference: string, accessCode: string) => Promise<CaseStatusView>;
  /** Throws RATE_LIMITED when this address is over its lookup budget (shared with caseStatus). */
  limit: (ip: string) => Promise<void>;
  clientIp: (req: express.Request) => string;
  log: Logger;
  /** Whether an error means the database is away for now (answered 503 with Retry-After). */
  unavailable?: UnavailableCheck;
}

/** The page's only style, allowed by its hash in the page's own CSP: no 'unsafe-inline', nothing from elsewhere. */
const STYLE = [
  'body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;background:#f4f6f8;color:#1b1f23;line-height:1.5}',
  'main{max-width:34rem;margin:0 auto;padding:1.5rem 1rem}',
  'h1{font-size:1.4rem;margin:0 0 .25rem}header p{margin:0 0 1rem;color:#444}',
  'section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:1rem;margin:0 0 1rem}',
  'label{display:block;font-weight:600;margin:.75rem 0 .25rem}',
  'input{font-size:1.1rem;padding:.5rem;width:100%;box-sizing:border-box;border:1px solid #8c959f;border-radius:4px}',
  'button{margin-top:1rem;font-size:1.05rem;padding:.55rem 1.2rem;background:#0b5394;color:#fff;border:0;border-radius:4px;cursor:pointer}',
  'dl{margin:0}dt{font-weight:600;margin-top:.6rem}dd{margin:0}',
  '.notice{border-color:#bf8700;background:#fff8e5}.small{font-size:.9rem;color:#444}',
].join('');
const CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const MAX_FIELD = 64;

/** Text into HTML (element content and quoted attribute values). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);
}

const field = (v: unknown): string => (typeof v === 'string' ? v.slice(0, MAX_FIELD) : '');

function form(reference: string): string {
  return `<section aria-labelledby="judul-form">
<h2 id="judul-form">Cek status</h2>
<form method="post" action="status">
<label for="reference">Nomor referensi</label>
<input id="reference" name="reference" value="${escapeHtml(reference)}" placeholder="ADU-2026-000123" maxlength="${MAX_FIELD}" autocomplete="off" spellcheck="false" autocapitalize="characters" required>
<label for="accessCode">Kode akses</label>
<input id="accessCode" name="accessCode" placeholder="K7QM-3XPA" maxlength="${MAX_FIELD}" autocomplete="off" spellcheck="false" autocapitalize="characters" required>
<button type="submit">Cek status</button>
</form>
<p class="small">Nomor referensi dan kode akses tercantum pada tanda terima dan email tanda terima.</p>
</section>`;
}

function page(body: string): string {
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Cek Status Layanan - Biro Kesejahteraan Rakyat Kalimantan Barat</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>Cek Status Layanan</h1>
<p>Biro Kesejahteraan Rakyat, Sekretariat Daerah Provinsi Kalimantan Barat</p>
</header>
${body}
<footer class="small">
<p>${escapeHtml(OFFICE_ADDRESS)}<br>WhatsApp 085828735503 &middot; Telepon (0561) 736541 ext. 126 &middot; Email kesra@kalbarprov.go.id</p>
<p>Layanan ini tidak dipungut biaya.</p>
</footer>
</main>
</body>
</html>
`;
}

function answer(s: CaseStatusView): string {
  const row = (label: string, value: string): string => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`;
  return `<section aria-labelledby="judul-hasil" role="status">
<h2 id="judul-hasil">Status ${escapeHtml(s.reference)}</h2>
<dl>
${row('Nomor referensi', s.reference)}
${row('Jenis layanan', s.kindText)}
${row('Status', s.statusText)}
${row('Diterima', formatOfficeTime(s.receivedAt))}
${row('Batas waktu penyelesaian', s.dueAt ? formatOfficeTime(s.dueAt) : 'dihitung setelah persyaratan lengkap')}
${row('Dijawab', s.answered && s.answeredAt ? `Ya, ${formatOfficeTime(s.answeredAt)}` : 'Belum')}
${s.mergedIntoReference ? row('Digabungkan dengan', s.mergedIntoReference) : ''}
</dl>
</section>`;
}

const notice = (text: string): string => `<section class="notice" role="alert"><p>${escapeHtml(text)}</p></section>`;

/**
 * GET /status: the citizen's status page, in Bahasa Indonesia, without login or script. The
 * form posts reference and access code (kept out of URLs, history and request logs); the answer
 * shows the matter's progress and nothing about any person. An unknown reference and a wrong
 * code get the same page; lookups share the per-address limit of caseStatus.
 */
export function statusPageRoutes(deps: StatusPageDeps): express.Router {
  const router = express.Router();
  const parse = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 });
  const send = (res: express.Response, status: number, body: string): void => {
    res.status(status).setHeader('content-security-policy', CSP).setHeader('cache-control', 'no-store').type('html').send(page(body));
  };

  router.get('/status', (req, res) => {
    // A printed link may carry the reference; the code is never taken from the URL.
    send(res, 200, form(field(req.query.ref)));
  });

  router.post('/status', (req, res) => {
    parse(req, res, async (parseError?: unknown) => {
      if (parseError) return send(res, 400, notice('Permintaan tidak dapat dibaca.') + form(''));
      const body = (req.body ?? {}) as Record<string, unknown>;
      const reference = field(body.reference);
      try {
        await deps.limit(deps.clientIp(req));
        const status = await deps.lookup(reference, field(body.accessCode));
        send(res, 200, answer(status) + form(''));
      } catch (err) {
        if (err instanceof RateLimitedError) {
          res.setHeader('retry-after', String(err.retryAfterSeconds));
          return send(res, 429, notice(`Terlalu banyak permintaan dari alamat Anda. Silakan coba lagi dalam ${err.retryAfterSeconds} detik.`) + form(reference));
        }
        // Nothing typed is echoed: the page for a wrong code is the page for an unknown reference.
        if (err instanceof DomainError && err.code === 'CASE_STATUS_NOT_FOUND') {
          return send(res, 404, notice('Nomor referensi atau kode akses tidak cocok. Periksa kembali tanda terima Anda.') + form(''));
        }
        const unavailable = deps.unavailable?.(err);
        if (unavailable) {
          deps.log.warn({ requestId: requestIdOf(req), err: { message: (err as Error).message } }, 'database unavailable; answered SERVICE_UNAVAILABLE');
          res.setHeader('retry-after', String(unavailable.retryAfterSeconds));
          return send(res, 503, notice('Layanan sedang tidak tersedia untuk sementara. Silakan coba lagi beberapa saat lagi.') + form(reference));
        }
        deps.log.error({ err: { type: (err as Error).name, message: (err as Error).message } }, 'status page failed');
        return send(res, 500, notice('Terjadi kesalahan. Silakan coba lagi nanti.') + form(''));
      }
    });
  });
  return router;
}
