import { inflateSync } from 'node:zlib';

/**
 * The text of a PDF that pdfkit wrote, without a PDF library: inflate its streams, read each
 * font's ToUnicode map, and decode the hex strings shown by the content streams with each
 * map in turn. Shared by the tests of every module that writes PDFs.
 */
export function pdfText(buf: Buffer): string {
  const raw = buf.toString('latin1');
  const streams: string[] = [];
  const re = /stream\r?\n/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    const body = buf.subarray(start, end);
    try {
      streams.push(inflateSync(body).toString('latin1'));
    } catch {
      streams.push(body.toString('latin1'));
    }
  }
  const maps = streams
    .filter((s) => s.includes('begincmap'))
    .map((s) => {
      const map = new Map<number, string>();
      const hex = (h: string) => Number.parseInt(h, 16);
      // A glyph may stand for several characters (a ligature such as "ff"): pdfkit writes
      // its entry as one bracket with the code units apart, `<0066 0066>`.
      const chars = (h: string) =>
        String.fromCodePoint(...(h.replace(/\s+/g, '').match(/.{4}/g) ?? []).map(hex));
      for (const [, from, , list] of s.matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/gi))
        (list?.match(/<([0-9a-f\s]+)>/gi) ?? []).forEach((u, i) => {
          map.set(hex(from as string) + i, chars(u.slice(1, -1)));
        });
      for (const [, code, u] of s.matchAll(/<([0-9a-f]{4})> <([0-9a-f]+)>\s*$/gim))
        map.set(hex(code as string), chars(u as string));
      return map;
    });
  const shown = streams.flatMap((s) => [...s.matchAll(/\[([^\]]*)\]\s*TJ/g)].map((m) => m[1] as string));
  return maps
    .map((map) =>
      shown
        .map((tj) =>
          [...tj.matchAll(/<([0-9a-f]+)>/gi)]
            .flatMap((h) => (h[1]?.match(/.{4}/g) ?? []).map((g) => map.get(Number.parseInt(g, 16)) ?? ''))
            .join(''),
        )
        .join('\n'),
    )
    .join('\n');
}
