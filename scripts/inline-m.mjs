// After the field app's build: its entry script and stylesheet go inside m.html, so a phone
// on a slow network gets the whole app shell in one round trip. Chunks loaded later (the
// map) stay files; their relative names are made absolute, as the page lives at /m/.
// `node inline-m.mjs r` does the same for the resident portal's r.html.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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
const js = readFileSync(join(dist, 'assets', script[1]), 'utf8')
  .replace(/(["'`])\.\/([\w-]+\.(?:js|css))\1/g, '$1/assets/$2$1')
  .replaceAll('</script', '<\\/script');
html = html.replace(script[0], () => `<script type="module">${js}</script>`);
if (style) {
  const css = readFileSync(join(dist, 'assets', style[1]), 'utf8');
  html = html.replace(style[0], () => `<style>${css}</style>`);
  rmSync(join(dist, 'assets', style[1]));
}
rmSync(join(dist, 'assets', script[1]));
writeFileSync(join(dist, `${page}.html`), html);
console.log(
  `inlined ${script[1]}${style ? ` and ${style[1]}` : ''} into ${page}.html (${(html.length / 1024).toFixed(0)} KB)`,
);
