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
    // Two entries: the console (index.html) and the field app (m.html), which shares no
    // heavy dependency with it.
    rollupOptions: { input: { main: 'index.html', m: 'm.html' } },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
