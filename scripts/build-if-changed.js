#!/usr/bin/env node
/*
 * Builds the service (src + migrations, incremental tsc) only when a source changed since the
 * last build: a repeated `npm start` then costs one directory walk, not a compile. The stamp
 * records a hash of every source path with its size and mtime, so an edit, a new file, a
 * deleted file or a changed tsconfig/package.json all rebuild.
 */
'use strict';
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const STAMP = path.join(root, 'dist', '.build-stamp');
const INPUTS = ['src', 'migrations', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];

function fingerprint() {
  const h = createHash('sha256');
  const visit = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      h.update(`missing ${p}\n`);
      return;
    }
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) visit(path.join(p, name));
    } else {
      h.update(`${path.relative(root, p)} ${st.size} ${st.mtimeMs}\n`);
    }
  };
  for (const input of INPUTS) visit(path.join(root, input));
  return h.digest('hex');
}

function build() {
  const current = fingerprint();
  let previous = null;
  try {
    previous = fs.readFileSync(STAMP, 'utf8').trim();
  } catch {
    // no build yet
  }
  if (previous === current && fs.existsSync(path.join(root, 'dist', 'src', 'main.js'))) return false;
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
  fs.mkdirSync(path.dirname(STAMP), { recursive: true });
  fs.writeFileSync(STAMP, `${current}\n`);
  return true;
}

module.exports = { build, fingerprint };

if (require.main === module) {
  try {
    build();
  } catch (err) {
    process.exit(typeof err.status === 'number' ? err.status : 1);
  }
}
