import { createRequire } from 'node:module';
import { contentTokens } from '@civicgrid/core/routing/classifier';
import type { Jieba } from '@node-rs/jieba';

const require = createRequire(import.meta.url);
let jieba: Jieba | undefined;

/**
 * jieba with its bundled dictionary, loaded on first use (about a second): a server that never
 * routes a case never pays for it. Prebuilt native binary, nothing fetched at run time.
 */
function segmenter(): Jieba {
  if (!jieba) {
    const { Jieba: J } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
    const { dict } = require('@node-rs/jieba/dict') as typeof import('@node-rs/jieba/dict');
    jieba = J.withDict(dict);
  }
  return jieba;
}

/** The content words of a description: jieba's precise mode (no HMM), then the classifier's filter. */
export function tokenize(text: string): string[] {
  return contentTokens(segmenter().cut(text, false));
}
