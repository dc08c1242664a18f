import { describe, expect, it } from 'vitest';
import { accuracyOn, contentTokens, holdOutSplit, rankLabels, trainNaiveBayes } from './classifier.js';

const corpus = [
  { tokens: ['路灯', '不亮', '晚上'], label: 'C0103' },
  { tokens: ['路灯', '坏', '黑'], label: 'C0103' },
  { tokens: ['路灯', '白天', '常亮'], label: 'C0103' },
  { tokens: ['垃圾', '堆放', '气味'], label: 'E0102' },
  { tokens: ['垃圾', '无人', '清理'], label: 'E0102' },
  { tokens: ['井盖', '破损', '隐患'], label: 'C0101' },
  { tokens: ['井盖', '缺失'], label: 'C0101' },
];

describe('routing classifier', () => {
  it('keeps content words and drops punctuation, numbers and stop words', () => {
    expect(contentTokens(['小区', '的', '路灯', '，', ' ', '12', 'KTV', '坏', '了'])).toEqual([
      '小区',
      '路灯',
      'ktv',
      '坏',
    ]);
  });

  it('ranks the category whose words the text shares first, confidences summing to at most 1', () => {
    const model = trainNaiveBayes(corpus);
    expect(model.labels).toEqual(['C0101', 'C0103', 'E0102']);
    const ranked = rankLabels(model, ['路灯', '不亮']);
    expect(ranked.map((r) => r.label)[0]).toBe('C0103');
    expect(ranked).toHaveLength(3);
    expect(ranked[0]?.confidence).toBeGreaterThan(0.8);
    expect(ranked.reduce((a, r) => a + r.confidence, 0)).toBeCloseTo(1, 6);
    expect(rankLabels(model, ['井盖'])[0]?.label).toBe('C0101');
    expect(rankLabels(model, ['垃圾', '清理'])[0]?.label).toBe('E0102');
  });

  it('falls back to the prior for words it never saw, and stays finite for long texts', () => {
    const model = trainNaiveBayes(corpus);
    // C0103 has the most documents.
    expect(rankLabels(model, ['外星人'])[0]?.label).toBe('C0103');
    const long = rankLabels(model, Array(2000).fill('井盖'));
    expect(long[0]?.label).toBe('C0101');
    expect(Number.isFinite(long[0]?.confidence)).toBe(true);
    // A word named like an Object property is a word, not a prototype lookup.
    expect(rankLabels(model, ['constructor', 'toString'])[0]?.label).toBe('C0103');
  });

  it('splits the same way for the same seed, 80/20, and measures top-1 and top-3', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const a = holdOutSplit(items, 0.8, 42);
    const b = holdOutSplit(items, 0.8, 42);
    expect(a).toEqual(b);
    expect(a.train).toHaveLength(80);
    expect(a.test).toHaveLength(20);
    expect(new Set([...a.train, ...a.test]).size).toBe(100);
    expect(holdOutSplit(items, 0.8, 7).test).not.toEqual(a.test);

    const model = trainNaiveBayes(corpus);
    const acc = accuracyOn(model, [
      { tokens: ['路灯'], label: 'C0103' },
      { tokens: ['井盖'], label: 'E0102' },
    ]);
    expect(acc).toEqual({ n: 2, top1: 0.5, top3: 1 });
  });
});
