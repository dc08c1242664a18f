import { defineConfig } from 'vite';

/**
 * The field app (/m) is built on its own, with Preact's React-compatible runtime in place
 * of React: the same components, a tenth of the JavaScript for a phone on a slow network.
 * It writes into the console's dist without emptying it.
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
    rollupOptions: { input: { m: 'm.html' } },
  },
});
