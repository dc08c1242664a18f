import type { Dashboard } from '@civicgrid/core/api/dashboard';
import type { ScreenCase, ScreenFeedItem, ScreenGrid } from '@civicgrid/core/api/screen';
import { feedOrder, screenCaseCap, screenFeedCap } from '@civicgrid/core/api/screen';
import { finalStates } from '@civicgrid/core/cases/stateMachine';
import { useEffect, useState } from 'react';
import { ApiError } from '../common/api.js';
import { call } from '../common/client.js';

export type { Dashboard };

/** A feed line; `live` when it came in while the screen was showing (it lights up). */
export type FeedLine = ScreenFeedItem & { live?: boolean };

export interface LiveState {
  dashboard: Dashboard | null;
  grids: ScreenGrid[] | null;
  points: ScreenCase[];
  feed: FeedLine[];
  connected: boolean;
  error: boolean;
}

/** How often everything is fetched again even without events, and the least gap after events. */
export const timing = {
  refreshMs: 60_000,
  casesEveryRefreshes: 2,
  afterEventMs: 10_000,
  feedGapMs: 250,
  reconnectMs: 10_000,
};

/**
 * One task that many triggers ask for: it runs at most once per `gapMs`, never twice at
 * once, and a request while it runs or waits folds into one more run. One timer at most,
 * so a storm of events cannot pile up timers or requests.
 */
export function coalesce(task: () => Promise<void>, gapMs: number) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let again = false;
  let stopped = false;
  let last = 0;
  const run = async () => {
    timer = null;
    running = true;
    last = Date.now();
    try {
      await task();
    } catch {
      // A failed refresh is retried by the next event or the periodic refresh.
    } finally {
      running = false;
    }
    if (again && !stopped) {
      again = false;
      schedule();
    }
  };
  const schedule = () => {
    if (stopped || timer) return;
    if (running) {
      again = true;
      return;
    }
    timer = setTimeout(run, Math.max(0, last + gapMs - Date.now()));
  };
  return {
    schedule,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

const finals = new Set<string>(finalStates);

/**
 * Feed lines in time order, newest first, without repeats, at most `screenFeedCap`: a line
 * that comes in live goes where its time puts it, not on top because it was written last.
 */
export function mergeFeed(older: FeedLine[], newer: FeedLine[]): FeedLine[] {
  const seen = new Set<number>();
  const out: FeedLine[] = [];
  for (const f of [...newer, ...older].sort(feedOrder)) {
    if (seen.has(f.id)) continue;
    seen.add(f.id);
    out.push(f);
    if (out.length >= screenFeedCap) break;
  }
  return out;
}

/** The map's points after feed lines: new cases appear, closed ones go, late ones turn red. */
export function applyFeedToPoints(points: ScreenCase[], lines: ScreenFeedItem[]): ScreenCase[] {
  const byId = new Map(points.map((p) => [p.id, p]));
  let changed = false;
  // Oldest line first, so the newest state of a case wins.
  for (const f of [...lines].reverse()) {
    const had = byId.get(f.caseId);
    if (finals.has(f.status) || f.lng === null || f.lat === null) {
      changed = byId.delete(f.caseId) || changed;
      continue;
    }
    if (had && had.status === f.status && had.overdue === f.overdue) continue;
    changed = true;
    byId.set(f.caseId, {
      id: f.caseId,
      code: f.code,
      category: f.category,
      status: f.status,
      overdue: f.overdue,
      lng: f.lng,
      lat: f.lat,
      reportedAt: had?.reportedAt ?? f.at,
    });
  }
  // Unchanged points keep their array, so the map is not given the same data again.
  if (!changed) return points;
  const all = [...byId.values()].sort((a, b) => (a.reportedAt < b.reportedAt ? 1 : -1));
  return all.length > screenCaseCap ? all.slice(0, screenCaseCap) : all;
}

/**
 * Everything the screen shows, kept live for days: one EventSource (which reconnects by
 * itself, and is made again if the server refused it), refreshes folded by `coalesce`,
 * a feed read from a cursor, and arrays that never grow past their caps. Every timer and
 * the stream end on unmount.
 */
export function useLive(): LiveState {
  const [state, setState] = useState<LiveState>({
    dashboard: null,
    grids: null,
    points: [],
    feed: [],
    connected: false,
    error: false,
  });

  useEffect(() => {
    let alive = true;
    let cursor: number | undefined;
    const patch = (p: Partial<LiveState> | ((s: LiveState) => Partial<LiveState>)) => {
      if (!alive) return;
      setState((s) => {
        const change = typeof p === 'function' ? p(s) : p;
        return Object.keys(change).length ? { ...s, ...change } : s;
      });
    };
    const failed = (e: unknown) => {
      // A lost session shows the login prompt through the API client; other errors show a mark.
      if (!(e instanceof ApiError && e.status === 401)) patch({ error: true });
      throw e;
    };

    const dashboard = coalesce(async () => {
      const d = await call('GET /api/dashboard').catch(failed);
      patch({ dashboard: d, error: false });
    }, timing.afterEventMs);
    const grids = coalesce(async () => {
      const g = await call('GET /api/screen/grids').catch(failed);
      patch({ grids: g.items });
    }, timing.afterEventMs);
    const cases = coalesce(async () => {
      const c = await call('GET /api/screen/cases').catch(failed);
      patch({ points: c.items });
    }, timing.afterEventMs);
    const feed = coalesce(async () => {
      const first = cursor === undefined;
      const r = await call('GET /api/screen/feed', { query: { after: first ? undefined : cursor } }).catch(
        failed,
      );
      const lines: FeedLine[] = first ? r.items : r.items.map((l) => ({ ...l, live: true }));
      if (lines.length) cursor = Math.max(cursor ?? 0, ...lines.map((l) => l.id));
      else if (first) cursor = 0;
      if (!lines.length) return;
      patch((s) => ({
        feed: mergeFeed(s.feed, lines),
        points: first ? s.points : applyFeedToPoints(s.points, lines),
      }));
    }, timing.feedGapMs);
    const tasks = [dashboard, grids, cases, feed];

    const onCase = (e: MessageEvent) => {
      feed.schedule();
      dashboard.schedule();
      grids.schedule();
      try {
        const c = JSON.parse(e.data) as { id: string; status: string };
        // A case that ended leaves the map at once; the feed brings the rest.
        if (finals.has(c.status))
          patch((s) =>
            s.points.some((p) => p.id === c.id) ? { points: s.points.filter((p) => p.id !== c.id) } : {},
          );
      } catch {}
    };
    const onNotification = () => feed.schedule();
    let es: EventSource | null = null;
    let reconnect: ReturnType<typeof setTimeout> | null = null;
    let opened = false;
    const connect = () => {
      reconnect = null;
      es?.close();
      const source = new EventSource('/api/notifications/stream');
      es = source;
      source.addEventListener('case', onCase as EventListener);
      source.addEventListener('notification', onNotification);
      source.onopen = () => {
        patch({ connected: true });
        // After a break, whatever happened while the stream was down is read again.
        if (opened) for (const t of tasks) t.schedule();
        opened = true;
      };
      source.onerror = () => {
        patch({ connected: false });
        // The browser retries by itself unless the server answered with an error; then we do.
        if (source.readyState === EventSource.CLOSED && !reconnect && alive)
          reconnect = setTimeout(connect, timing.reconnectMs);
      };
    };

    for (const t of tasks) t.schedule();
    connect();
    let ticks = 0;
    const every = setInterval(() => {
      ticks++;
      dashboard.schedule();
      grids.schedule();
      feed.schedule();
      if (ticks % timing.casesEveryRefreshes === 0) cases.schedule();
    }, timing.refreshMs);

    return () => {
      alive = false;
      clearInterval(every);
      if (reconnect) clearTimeout(reconnect);
      es?.close();
      for (const t of tasks) t.stop();
    };
  }, []);

  return state;
}
