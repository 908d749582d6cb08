import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The server serves the build at /dashboard/ (unknown paths there get index.html), so every
// asset URL is rooted there; /portal/ serves portal.html, whose assets load from there too.
// No React plugin: esbuild compiles TSX and we need no dev-server HMR.
export default defineConfig({
  base: '/dashboard/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: { input: { main: resolve(import.meta.dirname, 'index.html'), portal: resolve(import.meta.dirname, 'portal.html') } },
  },
});
