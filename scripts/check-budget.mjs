// After the web build: the JavaScript a phone must fetch before the field app (/m) or the
// resident portal (/r) shows its first screen — the entry script (inlined into the page or
// not) and every module it imports statically, not the chunks fetched later by import() —
// gzipped (as compress-dist.mjs serves it) must stay within the budget DESIGN.md sets for
// cheap phones on slow networks: 20 KB. Above it the build fails, naming what it counted.
// Both phone surfaces are enforced: the field app (/m) was over (25.3 KB) until its screens
// past the first became chunks of their own (web/src/m/App.tsx), which its service worker
// keeps for offline use from the moment it installs (web/public/m/sw.js).
//   node scripts/check-budget.mjs [dist directory]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const budgetBytes = 20 * 1024;
const dist = process.argv[2] ?? new URL('../web/dist/', import.meta.url).pathname;
const pages = ['m', 'r'];
const enforced = new Set(['m', 'r']);

const gz = (text) => gzipSync(Buffer.from(text, 'utf8'), { level: 9 }).length;

/** The modules a script imports statically (`import … from "x"`, `import "x"`), not `import("x")`. */
function staticImports(code) {
  const out = [];
  const re =
    /\bimport\s*(?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}|\*\s*as\s*[\w$]+)?\s*(?:from\s*)?["']([^"']+\.js)["']/g;
  for (const m of code.matchAll(re)) out.push(m[1]);
  return out;
}

/** "./x.js" or "/assets/x.js" → the file in dist/assets. */
const fileOf = (spec) => join(dist, 'assets', spec.replace(/^(\.\/|\/assets\/)/, ''));

let failed = false;
for (const page of pages) {
  const htmlPath = join(dist, `${page}.html`);
  if (!existsSync(htmlPath)) continue;
  const html = readFileSync(htmlPath, 'utf8');
  const counted = new Map();
  const queue = [];
  for (const m of html.matchAll(/<script type="module"[^>]*>([\s\S]*?)<\/script>/g))
    if (m[1].trim()) {
      counted.set(`${page}.html (inline)`, gz(m[1]));
      queue.push(...staticImports(m[1]));
    }
  for (const m of html.matchAll(/<script type="module"[^>]*\bsrc="([^"]+)"/g)) queue.push(m[1]);
  for (const m of html.matchAll(/<link rel="modulepreload"[^>]*\bhref="([^"]+)"/g)) queue.push(m[1]);
  while (queue.length) {
    const spec = queue.shift();
    const file = fileOf(spec);
    if (counted.has(file)) continue;
    const code = readFileSync(file, 'utf8');
    counted.set(file, gz(code));
    queue.push(...staticImports(code));
  }
  const total = [...counted.values()].reduce((a, b) => a + b, 0);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const parts = [...counted].map(([f, n]) => `${f.replace(`${dist}/`, '').replace(dist, '')} ${kb(n)}`);
  if (total > budgetBytes) {
    if (enforced.has(page)) failed = true;
    console.error(
      `${enforced.has(page) ? '' : 'warning (not enforced): '}/${page}: ${kb(total)} of JavaScript gzipped before the first screen, over the ${kb(budgetBytes)} budget:\n  ${parts.join('\n  ')}`,
    );
  } else
    console.log(
      `/${page}: ${kb(total)} of JavaScript gzipped before the first screen (budget ${kb(budgetBytes)}): ${parts.join(', ')}`,
    );
}
if (failed) process.exit(1);
