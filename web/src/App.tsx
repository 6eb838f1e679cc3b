import { useEffect, useState, lazy, Suspense } from 'react';
import { graphql } from './gql';
import { onLink, request, type LinkState } from './api';
import { end, onSession, session, type Session } from './session';
import { navigate, usePath } from './router';
import { Link } from './ui';
import { ROLE } from './labels';
import { LoginPage } from './pages/Login';
import { QueuePage } from './pages/Queue';

// The pages past the queue load on first use: the first load stays small.
const DeskPage = lazy(() => import('./pages/Desk').then((m) => ({ default: m.DeskPage })));
const CasePage = lazy(() => import('./pages/CasePage').then((m) => ({ default: m.CasePage })));
const WaitingPage = lazy(() => import('./pages/Waiting').then((m) => ({ default: m.WaitingPage })));
const StatisticsPage = lazy(() => import('./pages/Statistics').then((m) => ({ default: m.StatisticsPage })));
const AdminPage = lazy(() => import('./pages/Admin').then((m) => ({ default: m.AdminPage })));

const LOGOUT = graphql(`
  mutation Logout {
    logout
  }
`);

type Nav = { to: string; label: string; roles: string[] };
const NAV: Nav[] = [
  { to: '/', label: 'Antrean', roles: ['CLERK', 'COMPLAINT_OFFICER', 'HANDLER', 'SUPERVISOR', 'ADMIN'] },
  { to: '/meja', label: 'Meja layanan', roles: ['CLERK', 'COMPLAINT_OFFICER'] },
  { to: '/daftar-tunggu', label: 'Daftar tunggu', roles: ['CLERK', 'COMPLAINT_OFFICER', 'SUPERVISOR', 'ADMIN'] },
  { to: '/statistik', label: 'Statistik', roles: ['SUPERVISOR', 'ADMIN'] },
  { to: '/admin', label: 'Admin', roles: ['ADMIN'] },
];

function Offline() {
  const [state, setState] = useState<LinkState>('connecting');
  useEffect(() => onLink(setState), []);
  if (state !== 'offline') return null;
  return (
    <div className="offline" role="status" aria-live="polite">
      Koneksi terputus… Menyambung kembali; kasus baru akan muncul setelah tersambung.
    </div>
  );
}

function Page({ path, s }: { path: string; s: Session }) {
  const m = path.match(/^\/kasus\/([^/]+)$/);
  if (m) return <CasePage id={decodeURIComponent(m[1])} session={s} />;
  switch (path) {
    case '/':
      return <QueuePage session={s} />;
    case '/meja':
      return <DeskPage />;
    case '/daftar-tunggu':
      return <WaitingPage session={s} />;
    case '/statistik':
      return <StatisticsPage />;
    case '/admin':
      return <AdminPage />;
    default:
      return (
        <>
          <h1>Halaman tidak ditemukan</h1>
          <p>
            <Link to="/">Kembali ke antrean</Link>
          </p>
        </>
      );
  }
}

export function App() {
  const [s, setS] = useState<Session | null>(session());
  const path = usePath();
  useEffect(
    () =>
      onSession((next, reason) => {
        setS(next);
        if (reason === 'login') navigate(location.pathname === '/masuk' ? '/' : location.pathname, true);
        else navigate('/masuk', true);
      }),
    [],
  );
  useEffect(() => {
    if (!s && path !== '/masuk') navigate('/masuk', true);
    if (s && path === '/masuk') navigate('/', true);
  }, [s, path]);

  if (!s) return <LoginPage />;
  const logout = async () => {
    try {
      await request(LOGOUT);
    } catch {
      // the session ends here either way
    }
    end();
  };
  return (
    <>
      <a className="skip" href="#main">
        Langsung ke isi
      </a>
      <header className="top">
        <span className="brand">Loket</span>
        <nav aria-label="Menu utama">
          <ul>
            {NAV.filter((n) => n.roles.includes(s.user.role)).map((n) => (
              <li key={n.to}>
                <Link to={n.to} aria-current={path === n.to ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who">
          {s.user.displayName} ({ROLE[s.user.role as keyof typeof ROLE] ?? s.user.role}
          {s.user.team ? `, ${s.user.team}` : ''})
        </span>
        <button type="button" onClick={() => void logout()}>
          Keluar
        </button>
      </header>
      <Offline />
      <main id="main">
        <Suspense fallback={<p role="status">Memuat…</p>}>
          <Page path={path} s={s} />
        </Suspense>
      </main>
    </>
  );
}
