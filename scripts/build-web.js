#!/usr/bin/env node
/*
 * Builds the console (web/): types its GraphQL operations from schema.graphql (graphql-codegen,
 * web/codegen.ts), type-checks web/ with its own tsconfig (a schema change that breaks an
 * operation fails here), bundles it with Vite into dist/web, then measures the first load: the
 * JavaScript that index.html loads (its module script and modulepreloads), gzip-compressed,
 * and fails above the budget.
 */
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const root = path.resolve(__dirname, '..');
const OUT = path.join(root, 'dist', 'web');
const BUDGET_KB = 250;

function bin(pkg, rel) {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`, { paths: [root] })), rel);
}

function run(file, args, toStderr) {
  execFileSync(process.execPath, [file, ...args], { stdio: ['ignore', toStderr ? 2 : 'inherit', 'inherit'], cwd: root, env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true', NODE_ENV: 'production' } });
}

/** gzip size in KB of each JS file index.html loads first, and their total. */
function firstLoad() {
  const html = fs.readFileSync(path.join(OUT, 'index.html'), 'utf8');
  const srcs = new Set();
  for (const m of html.matchAll(/<script[^>]*\ssrc="([^"]+\.js)"/g)) srcs.add(m[1]);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)) srcs.add(m[1]);
  for (const m of html.matchAll(/<link[^>]*href="([^"]+\.js)"[^>]*rel="modulepreload"/g)) srcs.add(m[1]);
  const files = [...srcs].map((src) => {
    const bytes = fs.readFileSync(path.join(OUT, src.replace(/^\//, '')));
    return { src, kb: zlib.gzipSync(bytes, { level: 9 }).length / 1024 };
  });
  return { files, total: files.reduce((s, f) => s + f.kb, 0) };
}

/**
 * `toStderr`: everything it prints goes to stderr (when `npm start` or the CLI builds on the way,
 * so that a command's own output, such as a new token, stays alone on stdout).
 */
function buildWeb({ toStderr = false } = {}) {
  const out = toStderr ? process.stderr : process.stdout;
  run(bin('@graphql-codegen/cli', 'cjs/bin.js'), ['--config', 'web/codegen.ts', '--silent'], toStderr);
  run(require.resolve('typescript/bin/tsc', { paths: [root] }), ['-p', 'web/tsconfig.json'], toStderr);
  run(bin('vite', 'bin/vite.js'), ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], toStderr);
  const { files, total } = firstLoad();
  if (files.length === 0) throw Object.assign(new Error('no script found in dist/web/index.html'), { status: 1 });
  for (const f of files) out.write(`console first load: ${f.src} ${f.kb.toFixed(1)} KB gzip\n`);
  out.write(`console first load: ${total.toFixed(1)} KB of JavaScript (gzip), budget ${BUDGET_KB} KB\n`);
  if (total > BUDGET_KB) {
    process.stderr.write(`console first load ${total.toFixed(1)} KB is over the ${BUDGET_KB} KB budget\n`);
    throw Object.assign(new Error('over budget'), { status: 1 });
  }
  return total;
}

module.exports = { buildWeb, firstLoad };

if (require.main === module) {
  try {
    buildWeb();
  } catch (err) {
    if (!err.status) process.stderr.write(`${err.stack || err}\n`);
    process.exit(typeof err.status === 'number' ? err.status : 1);
  }
}
