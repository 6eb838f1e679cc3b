import { ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dovecotPaths, DovecotConfigInput, findSystemUser, renderDovecotConfig } from './dovecot-config';
import { appendMessage, FolderEntry, ImapAccount, listMessages } from './imap-client';
import { delay, freePort, readGreeting } from './net-util';

export type { FolderEntry } from './imap-client';

const run = promisify(execFile);
const DOVECOT_BIN = existsSync('/usr/sbin/dovecot') ? '/usr/sbin/dovecot' : 'dovecot';
const DOVEADM_BIN = existsSync('/usr/bin/doveadm') ? '/usr/bin/doveadm' : 'doveadm';
const START_ATTEMPTS = 5;
const READY_TIMEOUT_MS = 15_000;

/** A running throwaway Dovecot IMAP server; see startDovecot. */
export interface DovecotInstance extends ImapAccount {
  /** imap://user:password@127.0.0.1:PORT/INBOX for the default account (kesra). */
  imapUrl: string;
  /** Temp directory holding config, users file, maildirs and dovecot.log. */
  root: string;
  /** Appends a raw RFC 822 message to a folder of the default account (the folder is created if missing). */
  append(rawMessage: string | Buffer, folder?: string): Promise<void>;
  /** Lists a folder of the default account read-only, ordered by UID. */
  listFolder(folder: string): Promise<FolderEntry[]>;
  /** Adds (or re-passwords) an account; usable at once. */
  addUser(user: string, password: string): void;
  /** Kicks every logged-in IMAP session (doveadm kick) so client reconnect logic can be tested. */
  dropConnections(): Promise<void>;
  /**
   * With `rawlog`: per IMAP session so far (in the order they started), the lines its client
   * sent after logging in, without their timestamps. Empty without `rawlog`.
   */
  clientSessions(): string[][];
  /** Dovecot's log so far (useful in failure messages). */
  readLog(): string;
  /** Stops the server (whole process group) and removes the temp directory. Idempotent. */
  stop(): Promise<void>;
}

/** Options of startDovecot; the defaults give the kesra@ intake account. */
export interface StartDovecotOptions {
  user?: string;
  password?: string;
  /** Record what each IMAP session's client sends (see clientSessions). */
  rawlog?: boolean;
  /** Do not announce IDLE (clients then have to poll). */
  withoutIdle?: boolean;
}

const live = new Map<number, string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [pid, root] of live) {
      killGroup(pid, 'SIGKILL');
      rmSync(root, { recursive: true, force: true });
    }
    live.clear();
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function chooseIdentity(): Identity {
  const uid = process.getuid?.() ?? 0;
  if (uid !== 0) {
    const name = userInfo().username;
    return { internalUser: name, loginUser: name, mailUid: uid, mailGid: process.getgid?.() ?? uid };
  }
  // As root Dovecot refuses uid 0 for mail and wants unprivileged service users.
  const nobody = findSystemUser('nobody');
  const internal = findSystemUser('dovecot') ?? nobody;
  const login = findSystemUser('dovenull') ?? nobody;
  if (!nobody || !internal || !login) throw new Error('startDovecot: no unprivileged system user (nobody) found');
  return { internalUser: internal.name, loginUser: login.name, mailUid: nobody.uid, mailGid: nobody.gid };
}

function assertCredential(value: string, what: 'user' | 'password'): void {
  const forbidden = what === 'user' ? /[:/\s]/ : /[:\s]/;
  if (!value || forbidden.test(value)) throw new Error(`startDovecot: invalid ${what} ${JSON.stringify(value)}`);
}

type Identity = Omit<DovecotConfigInput, 'root' | 'port' | 'rawlog' | 'withoutIdle'>;

function prepareRoot(identity: Identity): string {
  const root = mkdtempSync(join(tmpdir(), 'loket-dovecot-'));
  chmodSync(root, 0o755); // Dovecot's unprivileged processes must traverse it
  const p = dovecotPaths(root);
  for (const dir of [p.baseDir, p.stateDir, p.mailDir, p.rawlogDir]) mkdirSync(dir, { mode: 0o755 });
  // The imap processes (running as the mail user) write the maildirs and the rawlogs.
  if (process.getuid?.() === 0) for (const dir of [p.mailDir, p.rawlogDir]) chownSync(dir, identity.mailUid, identity.mailGid);
  mkdirSync(p.users, { mode: 0o755 });
  return root;
}

type Launch = { ok: true; child: ChildProcess } | { ok: false; log: string; bindFailure: boolean };

async function launch(root: string, port: number, settings: Omit<DovecotConfigInput, 'root' | 'port'>): Promise<Launch> {
  const p = dovecotPaths(root);
  writeFileSync(p.conf, renderDovecotConfig({ root, port, ...settings }));
  writeFileSync(p.log, '');
  const stderrFd = openSync(join(root, 'stderr.log'), 'w');
  const child = spawn(DOVECOT_BIN, ['-F', '-c', p.conf], { detached: true, stdio: ['ignore', stderrFd, stderrFd] });
  closeSync(stderrFd);
  child.unref();
  let exited = false;
  child.once('exit', () => (exited = true));
  child.once('error', () => (exited = true));
  if (child.pid !== undefined) live.set(child.pid, root);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!exited && Date.now() < deadline) {
    const greeting = await readGreeting('127.0.0.1', port);
    // The first greeting may be "* OK Waiting for authentication process to respond.."
    if (greeting?.startsWith('* OK') && !/Waiting for auth/i.test(greeting)) return { ok: true, child };
    await delay(100);
  }
  if (child.pid !== undefined) {
    killGroup(child.pid, 'SIGKILL');
    live.delete(child.pid);
  }
  const log = `${readFileSync(p.log, 'utf8')}${readFileSync(join(root, 'stderr.log'), 'utf8')}`;
  return { ok: false, log, bindFailure: /address already in use|bind\(/i.test(log) };
}

/**
 * Starts a throwaway Dovecot IMAP server (`dovecot -F`) in a fresh temp directory, listening
 * only on 127.0.0.1 on a free port, plaintext auth without SSL, one passwd-file account
 * (kesra / kesra-password by default). Resolves once the port greets with `* OK ... ready`.
 * Always call stop(); a process 'exit' hook kills leftovers as a last resort.
 */
export async function startDovecot(options: StartDovecotOptions = {}): Promise<DovecotInstance> {
  const user = options.user ?? 'kesra';
  const password = options.password ?? 'kesra-password';
  installExitHook();
  const identity = chooseIdentity();
  const root = prepareRoot(identity);
  const p = dovecotPaths(root);
  const users = new Set<string>();
  const addUser = (name: string, secret: string): void => {
    assertCredential(name, 'user');
    assertCredential(secret, 'password');
    writeFileSync(join(p.users, name), `${name}:{PLAIN}${secret}::::\n`, { mode: 0o644 });
    users.add(name);
  };
  addUser(user, password);

  let started: { child: ChildProcess; port: number } | null = null;
  for (let attempt = 1; attempt <= START_ATTEMPTS && !started; attempt++) {
    const port = await freePort();
    const result = await launch(root, port, { ...identity, rawlog: options.rawlog, withoutIdle: options.withoutIdle });
    if (result.ok) started = { child: result.child, port };
    else if (!result.bindFailure || attempt === START_ATTEMPTS) {
      rmSync(root, { recursive: true, force: true });
      throw new Error(`startDovecot: Dovecot (${DOVECOT_BIN}; Debian package dovecot-imapd) did not come up (attempt ${attempt}):\n${result.log}`);
    }
  }
  if (!started) throw new Error('startDovecot: unreachable');
  const { child, port } = started;
  const pid = child.pid as number;
  const account: ImapAccount = { host: '127.0.0.1', port, user, password };
  let stopped = false;

  return {
    ...account,
    imapUrl: `imap://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/INBOX`,
    root,
    append: (raw, folder = 'INBOX') => appendMessage(account, raw, folder),
    listFolder: (folder) => listMessages(account, folder),
    addUser,
    clientSessions() {
      if (!existsSync(p.rawlogDir)) return [];
      // Named <yyyymmdd-hhmmss>.<pid>.<n>.in: sorted by name is sorted by start (to the second).
      return readdirSync(p.rawlogDir)
        .filter((f) => f.endsWith('.in'))
        .sort()
        .map((f) =>
          readFileSync(join(p.rawlogDir, f), 'utf8')
            .split(/\r?\n/)
            .filter((l) => l !== '')
            .map((l) => l.replace(/^\d+\.\d+ /, '')),
        );
    },
    readLog: () => (existsSync(p.log) ? readFileSync(p.log, 'utf8') : ''),
    async dropConnections() {
      for (const name of users) await run(DOVEADM_BIN, ['-c', p.conf, 'kick', name]);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      killGroup(pid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 5000)))]);
      clearTimeout(timer);
      killGroup(pid, 'SIGKILL'); // stragglers left in the group
      live.delete(pid);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
