import { useEffect, useState } from 'react';

/**
 * Code fetched the first time it is shown (a chunk of its own): the field app's screens
 * (m/lazyScreen.tsx) and the resident portal's pages (r/lazyPage.tsx) keep their first
 * screen's JavaScript within the phone budget (scripts/check-budget.mjs) this way. Each draws
 * its own waiting and failed states; the fetching, the keeping and the retry are here.
 */

/** Modules fetched already, by their loader: a screen shown again renders at once. */
const loaded = new Map<() => Promise<unknown>, unknown>();
const pending = new Map<() => Promise<unknown>, Promise<unknown>>();

function fetchModule<M>(load: () => Promise<M>): Promise<M> {
  let p = pending.get(load) as Promise<M> | undefined;
  if (!p) {
    p = load().then(
      (m) => {
        loaded.set(load, m);
        return m;
      },
      (e: unknown) => {
        // A phone that lost signal: the next try fetches again.
        pending.delete(load);
        throw e;
      },
    );
    pending.set(load, p);
  }
  return p;
}

/**
 * The module `load` (a module-level `() => import(…)`) gives, once fetched; `failed` when the
 * fetch failed, and `retry` to fetch again. Another loader starts afresh.
 */
export function useLazyModule<M>(load: () => Promise<M>): {
  module: M | undefined;
  failed: boolean;
  retry: () => void;
} {
  const module = loaded.get(load) as M | undefined;
  const [, rerender] = useState(0);
  // The loader whose fetch failed: another screen (another loader) starts afresh.
  const [failedFor, setFailedFor] = useState<(() => Promise<M>) | null>(null);
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: fetched again on each retry
  useEffect(() => {
    if (module) return;
    let live = true;
    fetchModule(load).then(
      () => live && rerender((n) => n + 1),
      () => live && setFailedFor(() => load),
    );
    return () => {
      live = false;
    };
  }, [attempt, load]);
  return {
    module,
    failed: !module && failedFor === load,
    retry: () => {
      setFailedFor(null);
      setAttempt((n) => n + 1);
    },
  };
}
