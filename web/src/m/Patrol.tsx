import { useEffect, useRef, useState } from 'react';
import { distanceM } from './photos.js';
import { cache, cached, enqueue } from './store.js';
import { syncNow } from './sync.js';
import { toast } from './ui.js';

interface Point {
  seq: number;
  at: string;
  lat: number;
  lng: number;
  accuracy?: number;
  segment: number;
}
interface PatrolState {
  id: string;
  startedAt: string;
  paused: boolean;
  segment: number;
  seq: number;
  distance: number;
  /** Seconds walked before the current stretch. */
  walked: number;
  stretchStart: number | null;
  last: Point | null;
  buffer: Point[];
}

const everyMs = 5000;

/** 巡查: start, pause, stop; a point every few seconds, sent in small batches through the outbox. */
export function PatrolScreen() {
  const [p, setP] = useState<PatrolState | null>(null);
  const [, tick] = useState(0);
  const state = useRef<PatrolState | null>(null);
  const watch = useRef<number | null>(null);
  const save = async (next: PatrolState | null) => {
    state.current = next;
    setP(next);
    await cache('patrol', next);
  };
  const flush = async (s: PatrolState) => {
    if (!s.buffer.length) return s;
    await enqueue({
      id: crypto.randomUUID(),
      kind: 'patrolPoints',
      label: `巡查轨迹 ${s.buffer.length} 个点`,
      body: { patrolId: s.id, points: s.buffer },
    });
    void syncNow();
    return { ...s, buffer: [] };
  };
  const onFix = async (pos: GeolocationPosition) => {
    const s = state.current;
    if (!s || s.paused) return;
    if (s.last && Date.now() - Date.parse(s.last.at) < everyMs - 500) return;
    const pt: Point = {
      seq: s.seq,
      at: new Date().toISOString(),
      lat: pos.coords.latitude,
      lng: pos.coords.longitude,
      accuracy: pos.coords.accuracy,
      segment: s.segment,
    };
    let next: PatrolState = {
      ...s,
      seq: s.seq + 1,
      last: pt,
      buffer: [...s.buffer, pt],
      distance: s.distance + (s.last && s.last.segment === pt.segment ? distanceM(s.last, pt) : 0),
    };
    if (next.buffer.length >= 6) next = await flush(next);
    await save(next);
  };
  const startWatching = () => {
    if (watch.current !== null || !navigator.geolocation) return;
    watch.current = navigator.geolocation.watchPosition(
      (pos) => void onFix(pos),
      () => toast('定位失败，请检查定位权限'),
      { enableHighAccuracy: true, maximumAge: 2000, timeout: 20_000 },
    );
  };
  const stopWatching = () => {
    if (watch.current !== null) navigator.geolocation.clearWatch(watch.current);
    watch.current = null;
  };
  // A patrol survives a reload: it is kept on the phone.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once on mount
  useEffect(() => {
    void cached<PatrolState | null>('patrol').then((s) => {
      if (s) {
        state.current = s;
        setP(s);
        if (!s.paused) startWatching();
      }
    });
    const t = setInterval(() => tick((x) => x + 1), 1000);
    return () => {
      clearInterval(t);
      stopWatching();
    };
  }, []);
  const seconds = p ? p.walked + (p.stretchStart && !p.paused ? (Date.now() - p.stretchStart) / 1000 : 0) : 0;
  const start = async () => {
    const s: PatrolState = {
      id: crypto.randomUUID(),
      startedAt: new Date().toISOString(),
      paused: false,
      segment: 0,
      seq: 0,
      distance: 0,
      walked: 0,
      stretchStart: Date.now(),
      last: null,
      buffer: [],
    };
    await enqueue({
      id: crypto.randomUUID(),
      kind: 'patrolStart',
      label: '开始巡查',
      body: { id: s.id, startedAt: s.startedAt },
    });
    await save(s);
    startWatching();
    void syncNow();
  };
  const pause = async () => {
    const s = state.current as PatrolState;
    stopWatching();
    await save({
      ...(await flush(s)),
      paused: true,
      walked: s.walked + (s.stretchStart ? (Date.now() - s.stretchStart) / 1000 : 0),
      stretchStart: null,
    });
  };
  const resume = async () => {
    const s = state.current as PatrolState;
    await save({ ...s, paused: false, segment: s.segment + 1, stretchStart: Date.now() });
    startWatching();
  };
  const stop = async () => {
    const s = await flush(state.current as PatrolState);
    stopWatching();
    await enqueue({
      id: crypto.randomUUID(),
      kind: 'patrolEnd',
      label: '结束巡查',
      body: { patrolId: s.id, endedAt: new Date().toISOString() },
    });
    toast(`巡查结束：${(s.distance / 1000).toFixed(2)} 公里`);
    await save(null);
    void syncNow();
  };
  return (
    <div className="screen center">
      <div className="big" data-testid="m-patrol-distance">
        {((p?.distance ?? 0) / 1000).toFixed(2)} <small>公里</small>
      </div>
      <div className="muted">
        用时 {Math.floor(seconds / 60)} 分 {Math.floor(seconds % 60)} 秒 · 轨迹点 {p?.seq ?? 0}
        {p?.paused ? ' · 已暂停' : ''}
      </div>
      <div className="buttons">
        {!p && (
          <button
            type="button"
            className="primary round"
            onClick={() => void start()}
            data-testid="m-patrol-start"
          >
            开始巡查
          </button>
        )}
        {p && !p.paused && (
          <button type="button" className="round" onClick={() => void pause()}>
            暂停
          </button>
        )}
        {p?.paused && (
          <button type="button" className="round" onClick={() => void resume()}>
            继续
          </button>
        )}
        {p && (
          <button
            type="button"
            className="danger round"
            onClick={() => void stop()}
            data-testid="m-patrol-stop"
          >
            结束
          </button>
        )}
      </div>
      <p className="muted small">轨迹每 5 秒记录一次，断网时保存在手机上，联网后自动上传。</p>
    </div>
  );
}
