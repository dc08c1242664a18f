/*
 * Smart routing (智能派单, issue 17 item 9): a multinomial naive Bayes classifier over the
 * words of a case's description, trained on the platform's own closed cases. Pure: the
 * server segments the text (jieba) and stores the model; this file only counts and scores,
 * so the browser, the bench and the tests read the same arithmetic.
 */

/** A trained model as it is stored (JSON): word counts per category, nothing about any person. */
export interface RoutingModel {
  version: 1;
  /** Laplace smoothing added to every count. */
  alpha: number;
  /** The categories seen in training, in a fixed order; the counts below index into it. */
  labels: string[];
  /** Training documents per category (the prior). */
  docCounts: number[];
  /** Words per category, summed over its documents. */
  wordTotals: number[];
  /** word → [category index, count] pairs (sparse: most words belong to few categories). */
  words: Record<string, [number, number][]>;
}

export interface LabelledTokens {
  tokens: readonly string[];
  label: string;
}

export interface Ranked {
  label: string;
  /** Posterior probability among the model's categories, 0–1. */
  confidence: number;
}

/** Fewer closed cases than this and no suggestion is made: the counts would be noise. */
export const minTrainingCases = 50;

/** Function words and the filler every report shares: they tell categories apart by chance only. */
const stopWords = new Set(
  '的 了 在 有 和 是 就 都 而 及 与 着 或 一个 没有 我们 你们 他们 这 那 也 很 还 又 被 把 让 给 对 等 已 已经 请 希望 尽快 反映 居民 群众 来电 附近 问题 情况 处理 现场 发现 需要'.split(
    ' ',
  ),
);

/**
 * The words worth counting from a segmenter's output: Chinese words, Latin words and numbers
 * lower-cased; punctuation, spaces and stop words dropped. Single Han characters are kept —
 * 坑, 桶, 灯 carry meaning in this domain.
 */
export function contentTokens(segments: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of segments) {
    const w = raw.trim().toLowerCase();
    if (!w || !/[\p{Script=Han}a-z0-9]/u.test(w) || stopWords.has(w)) continue;
    if (/^\d+$/.test(w)) continue;
    out.push(w);
  }
  return out;
}

/** Trains a multinomial naive Bayes model (Manning et al., IR book §13.2) from labelled token lists. */
export function trainNaiveBayes(docs: readonly LabelledTokens[], alpha = 1): RoutingModel {
  const labels = [...new Set(docs.map((d) => d.label))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const docCounts = labels.map(() => 0);
  const wordTotals = labels.map(() => 0);
  const counts = new Map<string, Map<number, number>>();
  for (const d of docs) {
    const c = index.get(d.label) as number;
    docCounts[c] = (docCounts[c] ?? 0) + 1;
    for (const w of d.tokens) {
      wordTotals[c] = (wordTotals[c] ?? 0) + 1;
      const per = counts.get(w) ?? new Map<number, number>();
      per.set(c, (per.get(c) ?? 0) + 1);
      counts.set(w, per);
    }
  }
  const words: RoutingModel['words'] = {};
  for (const [w, per] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    words[w] = [...per].sort((a, b) => a[0] - b[0]);
  return { version: 1, alpha, labels, docCounts, wordTotals, words };
}

/**
 * The `k` likeliest categories for a token list, with their posterior probability. Words the
 * model never saw are skipped (they would shift every category alike). An empty or unknown
 * text ranks by the prior alone.
 */
export function rankLabels(model: RoutingModel, tokens: readonly string[], k = 3): Ranked[] {
  const n = model.labels.length;
  if (n === 0) return [];
  const vocabulary = Object.keys(model.words).length;
  const totalDocs = model.docCounts.reduce((a, b) => a + b, 0);
  const scores = model.docCounts.map((d) => Math.log(d / totalDocs));
  const denominators = model.wordTotals.map((t) => Math.log(t + model.alpha * vocabulary));
  for (const w of tokens) {
    const per = Object.hasOwn(model.words, w) ? model.words[w] : undefined;
    if (!per) continue;
    const seen = new Map(per);
    for (let c = 0; c < n; c++)
      scores[c] =
        (scores[c] as number) + Math.log((seen.get(c) ?? 0) + model.alpha) - (denominators[c] as number);
  }
  // Softmax in log space: subtract the largest score so exp() cannot overflow.
  const top = Math.max(...scores);
  const exp = scores.map((s) => Math.exp(s - top));
  const sum = exp.reduce((a, b) => a + b, 0);
  return model.labels
    .map((label, c) => ({ label, confidence: (exp[c] as number) / sum }))
    .sort((a, b) => b.confidence - a.confidence || (a.label < b.label ? -1 : 1))
    .slice(0, k);
}

/** mulberry32: a small seeded generator, so a held-back split is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffles with a fixed seed and cuts: `trainShare` of the items to train on, the rest held back. */
export function holdOutSplit<T>(
  items: readonly T[],
  trainShare: number,
  seed: number,
): { train: T[]; test: T[] } {
  const rand = seededRandom(seed);
  const shuffled = [...items];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as T, shuffled[i] as T];
  }
  const cut = Math.round(shuffled.length * trainShare);
  return { train: shuffled.slice(0, cut), test: shuffled.slice(cut) };
}

export interface Accuracy {
  /** Held-back documents scored. */
  n: number;
  /** Share whose true category is the first suggestion. */
  top1: number;
  /** Share whose true category is among the first three. */
  top3: number;
}

/** Top-1 and top-3 accuracy of a model on held-back labelled documents. */
export function accuracyOn(model: RoutingModel, test: readonly LabelledTokens[]): Accuracy {
  let top1 = 0;
  let top3 = 0;
  for (const d of test) {
    const ranked = rankLabels(model, d.tokens, 3);
    if (ranked[0]?.label === d.label) top1++;
    if (ranked.some((r) => r.label === d.label)) top3++;
  }
  const n = test.length;
  return { n, top1: n ? top1 / n : 0, top3: n ? top3 / n : 0 };
}
