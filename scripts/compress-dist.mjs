// After the web build: a Brotli and a gzip copy of every text asset, which the server
// sends to browsers that accept them (fastify-static `preCompressed`), so nothing is
// compressed per request.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = new URL('../web/dist/', import.meta.url).pathname;
let n = 0;
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(js|mjs|css|html|svg|json|webmanifest)$/.test(name) && statSync(p).size > 1024) {
      const data = readFileSync(p);
      writeFileSync(
        `${p}.br`,
        brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
      );
      writeFileSync(`${p}.gz`, gzipSync(data, { level: 9 }));
      n++;
    }
  }
}
walk(dist);
console.log(`compressed ${n} files in web/dist`);
