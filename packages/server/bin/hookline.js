#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ (built by `npm ci` through the root `prepare` script).
import('../dist/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
    console.error('hookline: the server is not built yet. Run `npm ci` (or `npm run build`) in the repository root first.');
    process.exit(1);
  }
  throw err;
});
