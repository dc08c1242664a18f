import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: __dirname,
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // The field app (m.html) has its own build: vite.m.config.ts.
    rollupOptions: { input: { main: 'index.html' } },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
