import type { ReactNode } from 'react';
import { useLazyModule } from '../common/lazyModule.js';

/**
 * A screen whose code is a chunk of its own, fetched the first time it is shown, so the first
 * screen's JavaScript stays within the phone budget (scripts/check-budget.mjs) — as the
 * resident portal's pages are (r/lazyPage.tsx). Offline the chunk comes from the service
 * worker, which keeps every such chunk from the moment it installs (public/m/sw.js, with the
 * list vite.m.config.ts writes). Online, on a first visit, a slow network shows `placeholder`
 * (by default a spinner in the screen's space) and a failed fetch says so, with 重试.
 * `load` is a module-level `() => import(…)`; `children` renders the screen from the module.
 */
export function Lazy<M>({
  load,
  children,
  placeholder = <ScreenLoading />,
}: {
  load: () => Promise<M>;
  children: (m: M) => ReactNode;
  placeholder?: ReactNode;
}) {
  const { module: mod, failed, retry } = useLazyModule(load);
  if (mod) return <>{children(mod)}</>;
  if (failed)
    return (
      <div className="screen lazy-state" data-testid="m-screen-failed">
        <p>
          <b>页面加载失败</b>
        </p>
        <p className="muted">{navigator.onLine ? '网络不稳定，请重试' : '当前离线，请联网后重试'}</p>
        <button type="button" className="primary" onClick={retry} data-testid="m-screen-retry">
          重试
        </button>
      </div>
    );
  return placeholder;
}

/**
 * The wait for a screen's chunk: the screen's space held, so nothing jumps; the spinner fades
 * in only if the wait is long enough to notice (m.css), as offline the chunk is at hand.
 */
function ScreenLoading() {
  return (
    <div className="screen lazy-state" data-testid="m-screen-loading" aria-busy="true">
      <span className="spinner" />
      <span className="muted">加载中…</span>
    </div>
  );
}
