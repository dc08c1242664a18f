/**
 * Rate limits count in fixed windows (a minute, an hour) aligned to the clock. A test that
 * spends a budget and expects the refusal must not straddle a window's edge — the count would
 * start afresh half-way — so it first waits for a fresh window when the current one ends too
 * soon for the test to fit in it (at most `needMs`).
 */
export async function roomInWindow(windowSeconds: number, needMs = 20_000): Promise<void> {
  const left = windowSeconds * 1000 - (Date.now() % (windowSeconds * 1000));
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 50));
}
