#!/usr/bin/env node
/*
 * What `npm test` needs beyond npm packages: PostgreSQL reachable at TEST_DATABASE_URL (or
 * 127.0.0.1:5432), the Dovecot IMAP binaries (the mail tests start throwaway instances of
 * their own) and Chromium (the console's browser tests drive /usr/bin/chromium). A missing Debian package is installed with apt-get when running as root;
 * otherwise the run stops at once with the one command to run.
 */
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');

/** Debian packages and the file that shows each is installed. */
const PACKAGES = [
  { name: 'dovecot-imapd', present: () => fs.existsSync('/usr/sbin/dovecot') && fs.existsSync('/usr/lib/dovecot/imap') },
  // The console's end-to-end tests drive Debian's Chromium with playwright-core (which downloads no browser).
  { name: 'chromium', present: () => fs.existsSync('/usr/bin/chromium') },
];

function missingPackages() {
  return PACKAGES.filter((p) => !p.present()).map((p) => p.name);
}

function install(names) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const command = `apt-get update && apt-get install -y ${names.join(' ')}`;
  if (!isRoot || !fs.existsSync('/usr/bin/apt-get')) {
    process.stderr.write(`npm test needs ${names.join(', ')}. Install with:\n  sudo sh -c '${command}'\n`);
    process.exit(1);
  }
  process.stderr.write(`npm test: installing ${names.join(', ')} (apt-get)\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => execFileSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
  try {
    run(['install', '-y', '-qq', '--no-install-recommends', ...names]);
  } catch {
    run(['update', '-qq']);
    run(['install', '-y', '-qq', '--no-install-recommends', ...names]);
  }
  const still = missingPackages();
  if (still.length) {
    process.stderr.write(`npm test: ${still.join(', ')} still missing after apt-get\n`);
    process.exit(1);
  }
}

function postgresReachable() {
  const url = new URL(process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres');
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 5432) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(3000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** As root on a machine with a local cluster (this kind of machine), start it and wait for it. */
async function startLocalPostgres() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || process.env.TEST_DATABASE_URL || !fs.existsSync('/etc/postgresql')) return false;
  const version = fs.readdirSync('/etc/postgresql').sort()[0];
  if (!version) return false;
  process.stderr.write(`npm test: starting PostgreSQL ${version} (pg_ctlcluster)\n`);
  spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
  for (let i = 0; i < 30; i++) {
    if (await postgresReachable()) return true;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return false;
}

async function main() {
  const missing = missingPackages();
  if (missing.length) install(missing);
  if (!(await postgresReachable()) && !(await startLocalPostgres())) {
    const clusters = spawnSync('ls', ['/etc/postgresql'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
    const start = clusters ? `pg_ctlcluster --skip-systemctl-redirect ${clusters} main start` : 'apt-get install -y postgresql';
    process.stderr.write(`npm test needs PostgreSQL at ${process.env.TEST_DATABASE_URL || '127.0.0.1:5432'} (user postgres, trust auth). Start it with:\n  ${start}\n`);
    process.exit(1);
  }
}

main();
