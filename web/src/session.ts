/** The login session (bearer token) in sessionStorage: one tab, gone when the tab closes. */
export interface Session {
  token: string;
  expiresAt: string;
  user: { id: string; username: string; displayName: string; role: string; team: string | null };
}

const KEY = 'loket.session';
const DRAFT_PREFIX = 'loket.draft.';
type Listener = (s: Session | null, reason: 'login' | 'logout' | 'expired') => void;
const listeners = new Set<Listener>();
let current: Session | null = read();
let timer: number | undefined;

function read(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return new Date(s.expiresAt).getTime() > Date.now() ? s : null;
  } catch {
    return null;
  }
}

function schedule(): void {
  if (timer !== undefined) clearTimeout(timer);
  if (!current) return;
  const ms = new Date(current.expiresAt).getTime() - Date.now();
  // setTimeout takes at most ~24.8 days.
  timer = window.setTimeout(() => expire(), Math.min(Math.max(ms, 0), 2_000_000_000));
}

export function session(): Session | null {
  return current;
}

export function onSession(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

function emit(reason: 'login' | 'logout' | 'expired'): void {
  for (const l of listeners) l(current, reason);
}

export function begin(s: Session): void {
  current = s;
  sessionStorage.setItem(KEY, JSON.stringify(s));
  schedule();
  emit('login');
}

/** Expired or refused by the server: back to the login page; the desk drafts stay. */
export function expire(): void {
  if (!current) return;
  current = null;
  sessionStorage.removeItem(KEY);
  sessionStorage.setItem('loket.expired', '1');
  emit('expired');
}

/** Logged out on purpose: the drafts go too (the next person at this desk must not see them). */
export function end(): void {
  current = null;
  sessionStorage.removeItem(KEY);
  for (let i = sessionStorage.length - 1; i >= 0; i--) {
    const k = sessionStorage.key(i);
    if (k?.startsWith(DRAFT_PREFIX)) sessionStorage.removeItem(k);
  }
  emit('logout');
}

export function takeExpiredFlag(): boolean {
  const was = sessionStorage.getItem('loket.expired') === '1';
  sessionStorage.removeItem('loket.expired');
  return was;
}

export function loadDraft<T>(name: string, fallback: T): T {
  try {
    const raw = sessionStorage.getItem(DRAFT_PREFIX + name);
    return raw ? { ...fallback, ...(JSON.parse(raw) as T) } : fallback;
  } catch {
    return fallback;
  }
}

export function saveDraft(name: string, value: unknown): void {
  sessionStorage.setItem(DRAFT_PREFIX + name, JSON.stringify(value));
}

export function clearDraft(name: string): void {
  sessionStorage.removeItem(DRAFT_PREFIX + name);
}

schedule();
