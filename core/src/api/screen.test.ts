import { describe, expect, it } from 'vitest';
import { feedOrder } from './screen.js';

describe('the big screen feed order', () => {
  it('puts lines by the time of their event, newest first, then by id', () => {
    const lines = [
      { id: 5, at: '2025-12-01T01:28:00.000Z' },
      { id: 9, at: '2025-12-01T00:37:00.000Z' },
      { id: 7, at: '2025-12-01T01:29:00.000Z' },
      { id: 8, at: '2025-12-01T00:59:00.000Z' },
      { id: 6, at: '2025-12-01T00:59:00.000Z' },
    ];
    expect([...lines].sort(feedOrder).map((l) => l.id)).toEqual([7, 5, 8, 6, 9]);
  });
});
