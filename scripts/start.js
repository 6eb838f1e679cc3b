#!/usr/bin/env node
/* `npm start`: builds what changed (nothing, on a repeated start), then runs the service in this process. */
'use strict';
const path = require('node:path');
const { build } = require('./build-if-changed');

try {
  build();
} catch (err) {
  process.exit(typeof err.status === 'number' ? err.status : 1);
}
require(path.join(__dirname, '..', 'dist', 'src', 'main.js'));
