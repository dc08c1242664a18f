import type { ReactNode } from 'react';
import { useLazyModule } from '../common/lazyModule.js';
import { s } from './strings.js';

/**
 * A page whose code is fetched the first time it is shown (a chunk of its own), so the first
 * screen — sign-in, report, my cases — stays within the portal's JavaScript budget
 * (scripts/check-budget.mjs). `load` is a module-level `() => import(…)`; `children` renders
 * the page from the module. A failed fetch offers to try again.
 */
export function Lazy<M>({ load, children }: { load: () => Promise<M>; children: (m: M) => ReactNode }) {
  const { module: mod, failed, retry } = useLazyModule(load);
  if (mod) return <>{children(mod)}</>;
  if (failed)
    return (
      <div className="r-empty">
        <p className="error">{s.pageFailed}</p>
        <button type="button" className="r-secondary" onClick={retry}>
          {s.retry}
        </button>
      </div>
    );
  return <p className="r-loading">{s.loading}</p>;
}
