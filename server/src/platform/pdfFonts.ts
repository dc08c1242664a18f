import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Noto Sans SC (OFL) shipped by an npm package, so a machine without system fonts prints
 * Chinese too; pdfkit (fontkit) subsets it, embedding only the glyphs used.
 */
let fonts: { regular: Buffer; bold: Buffer } | null = null;
export function chineseFonts(): { regular: Buffer; bold: Buffer } {
  if (!fonts) {
    const dir = join(dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')), '..', 'fonts');
    fonts = {
      regular: readFileSync(join(dir, 'NotoSansHans-Regular.otf')),
      bold: readFileSync(join(dir, 'NotoSansHans-Bold.otf')),
    };
  }
  return fonts;
}
