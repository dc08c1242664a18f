// After the field app's build: its entry script and stylesheet go inside m.html, so a phone
// on a slow network gets the whole app shell in one round trip. `node inline-m.mjs r` does
// the same for the resident portal's r.html.
//
// The pages' later screens are chunks that import the entry's modules (Preact, the API
// client) from the entry's file and the files it imports; a second copy of those would be a
// second instance (hooks of one Preact rendered by another fail). So the first screen's
// modules — the entry and every file it imports statically — go inline together, each run
// in a function of its own that hands its exports to a registry on the page
// (`globalThis.__civicgridChunks`, by file name), and each of those files becomes a facade
// that re-exports the page's instance from the registry. A chunk fetched later imports the
// facade and gets the one instance the page runs. The field app's service worker keeps the
// facades with the chunks (m/precache.json).
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = new URL('../web/dist/', import.meta.url).pathname;
const assets = join(dist, 'assets');
const page = process.argv[2] ?? 'm';
const registry = 'globalThis.__civicgridChunks';
let html = readFileSync(join(dist, `${page}.html`), 'utf8');
const script = new RegExp(
  `<script type="module" crossorigin src="/assets/(${page}-[\\w-]+\\.js)"></script>`,
).exec(html);
const style = new RegExp(`<link rel="stylesheet" crossorigin href="/assets/(${page}-[\\w-]+\\.css)">`).exec(
  html,
);
if (!script) throw new Error(`${page}.html: entry script not found`);

const q = `["'\`]`;
/** `import{a as b,c}from"./x.js"`, `import*as n from"./x.js"`, `import"./x.js"`: the build's forms. */
const staticImport = new RegExp(
  `import\\s*(?:\\{([^}]*)\\}\\s*from\\s*|\\*\\s*as\\s+([\\w$]+)\\s*from\\s*)?${q}\\./([\\w-]+\\.js)${q};?`,
  'g',
);
/** The one `export{…}` the build ends a module with. */
const exportList = /export\s*\{([^}]*)\};?\s*$/;
/** `a as b` or `a` → [local, exported]. */
const pairs = (list) =>
  list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [local, exported = local] = s.split(/\s+as\s+/);
      return [local, exported];
    });

/** The entry and the files it imports statically, each after what it imports. */
const order = [];
const visit = (file) => {
  if (order.includes(file)) return;
  const code = readFileSync(join(assets, file), 'utf8');
  for (const m of code.matchAll(staticImport)) visit(m[3]);
  order.push(file);
};
visit(script[1]);

/** A module as a function returning its exports (live, by getters), its imports read from the registry. */
function wrap(file) {
  let code = readFileSync(join(assets, file), 'utf8').replace(staticImport, (_all, named, ns, from) => {
    const source = `${registry}[${JSON.stringify(from)}]`;
    if (ns) return `const ${ns}=${source};`;
    if (named === undefined) return '';
    const fields = pairs(named).map(([imported, local]) =>
      imported === local ? local : `${imported}:${local}`,
    );
    return `const{${fields.join(',')}}=${source};`;
  });
  const left = /(?:^|[;}\n])\s*import\s*(?:[\w$]+\s*(?:,|from)|[{*"'`])/.exec(code);
  if (left) throw new Error(`${file}: a static import this script does not know: ${left[0]}`);
  const exported = exportList.exec(code);
  let exports = '{}';
  if (exported) {
    code = code.slice(0, exported.index);
    exports = `{${pairs(exported[1])
      .map(([local, name]) => `get ${JSON.stringify(name)}(){return ${local}}`)
      .join(',')}}`;
  } else if (/\bexport\b\s*(?:\{|default|const|let|var|function|class)/.test(code)) {
    throw new Error(`${file}: an export this script does not know`);
  }
  return { code: `${registry}[${JSON.stringify(file)}]=(()=>{${code}\nreturn ${exports}})();`, exported };
}

const wrapped = order.map((file) => ({ file, ...wrap(file) }));
const js = `${registry}??={};${wrapped.map((w) => w.code).join('\n')}`
  .replace(/(["'`])\.\/([\w-]+\.(?:js|css))\1/g, '$1/assets/$2$1')
  .replaceAll('</script', '<\\/script');
html = html.replace(script[0], () => `<script type="module">${js}</script>`);
for (const { file } of wrapped)
  html = html.replace(new RegExp(`<link rel="modulepreload" crossorigin href="/assets/${file}">`), '');

// The facades chunks import; a file nothing imports goes.
const chunkCode = readdirSync(assets)
  .filter((f) => f.endsWith('.js') && !order.includes(f))
  .map((f) => readFileSync(join(assets, f), 'utf8'))
  .join('\n');
const imported = (file) => chunkCode.includes(`./${file}`);

const facades = [];
for (const { file, exported } of wrapped) {
  if (!imported(file)) {
    rmSync(join(assets, file));
    continue;
  }
  const names = exported ? pairs(exported[1]).map(([, name]) => name) : [];
  const named = names.filter((n) => n !== 'default');
  const source = `${registry}[${JSON.stringify(file)}]`;
  writeFileSync(
    join(assets, file),
    `export const{${named.join(',')}}=${source};${names.includes('default') ? `export default ${source}.default;` : ''}\n`,
  );
  facades.push(`/assets/${file}`);
}

// The field app's service worker keeps the facades too: the chunks it keeps import them.
const precache = join(dist, page, 'precache.json');
if (facades.length && existsSync(precache)) {
  const list = JSON.parse(readFileSync(precache, 'utf8'));
  list.files = [...new Set([...list.files, ...facades])].sort();
  writeFileSync(precache, `${JSON.stringify(list, null, 1)}\n`);
}

if (style) {
  const css = readFileSync(join(assets, style[1]), 'utf8');
  html = html.replace(style[0], () => `<style>${css}</style>`);
  rmSync(join(assets, style[1]));
}
writeFileSync(join(dist, `${page}.html`), html);
console.log(
  `inlined ${[...order, style?.[1]].filter(Boolean).join(', ')} into ${page}.html (${(html.length / 1024).toFixed(0)} KB)${facades.length ? `; ${facades.join(', ')} are now facades of the inlined modules (chunks import them)` : ''}`,
);
