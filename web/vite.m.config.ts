import { defineConfig, type Plugin } from 'vite';

/**
 * The field app works offline, and every screen but the first is a chunk fetched when opened
 * (src/m/App.tsx): so its service worker (public/m/sw.js) keeps, from the moment it installs,
 * the shell, what the shell names, and every chunk the app may load later — listed by this
 * build in m/precache.json (served as /m/precache.json, never cached by the browser). Not
 * the entry itself (the shell holds it inline; scripts/inline-m.mjs adds the files it leaves
 * for the chunks to import), and not `onlineOnly`: chunks
 * that are of no use without a network, with what only they use (the map picker: MapLibre,
 * its worker and its tiles, ten times the rest of the app together).
 */
function precacheList(onlineOnly: RegExp): Plugin {
  let base = '/';
  return {
    name: 'm-precache-list',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    generateBundle(_options, bundle) {
      const chunks = new Map<string, Extract<(typeof bundle)[string], { type: 'chunk' }>>();
      for (const file of Object.values(bundle)) if (file.type === 'chunk') chunks.set(file.fileName, file);
      const entries = [...chunks.values()].filter((c) => c.isEntry);
      const files = new Set<string>();
      const keep = (name: string) => {
        const chunk = chunks.get(name);
        if (!chunk || chunk.isEntry || files.has(name)) return;
        if (chunk.facadeModuleId && onlineOnly.test(chunk.facadeModuleId)) return;
        files.add(name);
        for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(css);
        for (const asset of chunk.viteMetadata?.importedAssets ?? []) files.add(asset);
        for (const next of [...chunk.imports, ...chunk.dynamicImports]) keep(next);
      };
      for (const entry of entries) for (const next of [...entry.imports, ...entry.dynamicImports]) keep(next);
      this.emitFile({
        type: 'asset',
        fileName: 'm/precache.json',
        source: `${JSON.stringify({ files: [...files].sort().map((f) => `${base}${f}`) }, null, 1)}\n`,
      });
    },
  };
}

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
  plugins: [precacheList(/\/src\/m\/mapPicker\.ts$/)],
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: { input: { m: 'm.html' } },
  },
});
