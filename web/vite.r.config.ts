import { defineConfig } from 'vite';

/**
 * The resident portal (/r) is built on its own, as the field app is (vite.m.config.ts):
 * Preact's React-compatible runtime, no Ant Design, its shell inlined into r.html
 * (scripts/inline-m.mjs r) so a cheap phone on a slow network gets it in one round trip.
 * The map picker is a chunk loaded only when a resident asks for the map.
 */
export default defineConfig({
  root: __dirname,
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  resolve: {
    alias: [
      { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
      { find: /^react-dom$/, replacement: 'preact/compat' },
      { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
      { find: /^react$/, replacement: 'preact/compat' },
    ],
  },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: { input: { r: 'r.html' } },
  },
});
