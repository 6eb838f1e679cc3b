import { defineConfig } from 'vite';

// The console is built into dist/web, which Loket serves at `/` (src/adapters/http/console-routes.ts).
// JSX is compiled by Vite's own transform (automatic runtime); no dev-time plugin is needed for a build.
export default defineConfig({
  root: __dirname,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // The CSP allows only the console's own files: no inline script, so no module-preload polyfill.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
  },
});
