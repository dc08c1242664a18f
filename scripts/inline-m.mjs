// After the field app's build: its entry script and stylesheet go inside m.html, so a phone
// on a slow network gets the whole app shell in one round trip. Chunks loaded later (the
// map) stay files; their relative names are made absolute, as the page lives at /m/.
// `node inline-m.mjs r` does the same for the resident portal's r.html — except its script:
// the portal's later pages are chunks that import the entry's modules (Preact, the API
// client) from the entry's file, and an inlined copy would be a second instance of them
// (hooks of one Preact rendered by another fail). So an entry some chunk imports stays a
// file, fetched at once from the page's head; its stylesheet is still inlined.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = new URL('../web/dist/', import.meta.url).pathname;
const page = process.argv[2] ?? 'm';
let html = readFileSync(join(dist, `${page}.html`), 'utf8');
const script = new RegExp(
  `<script type="module" crossorigin src="/assets/(${page}-[\\w-]+\\.js)"></script>`,
).exec(html);
const style = new RegExp(`<link rel="stylesheet" crossorigin href="/assets/(${page}-[\\w-]+\\.css)">`).exec(
  html,
);
if (!script) throw new Error(`${page}.html: entry script not found`);
const importedByChunk = readdirSync(join(dist, 'assets')).some(
  (f) =>
    f.endsWith('.js') &&
    f !== script[1] &&
    readFileSync(join(dist, 'assets', f), 'utf8').includes(`./${script[1]}"`),
);
const js = readFileSync(join(dist, 'assets', script[1]), 'utf8')
  .replace(/(["'`])\.\/([\w-]+\.(?:js|css))\1/g, '$1/assets/$2$1')
  .replaceAll('</script', '<\\/script');
if (!importedByChunk) html = html.replace(script[0], () => `<script type="module">${js}</script>`);
if (style) {
  const css = readFileSync(join(dist, 'assets', style[1]), 'utf8');
  html = html.replace(style[0], () => `<style>${css}</style>`);
  rmSync(join(dist, 'assets', style[1]));
}
if (!importedByChunk) rmSync(join(dist, 'assets', script[1]));
writeFileSync(join(dist, `${page}.html`), html);
const inlined = [importedByChunk ? null : script[1], style?.[1]].filter(Boolean).join(' and ');
console.log(
  `inlined ${inlined || 'nothing'} into ${page}.html (${(html.length / 1024).toFixed(0)} KB)${importedByChunk ? `; ${script[1]} stays a file (chunks import it)` : ''}`,
);
