import type { Camera } from '@civicgrid/core/api/cameras';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router-dom';
import { useAuth } from '../common/auth.js';
import { Chart } from '../common/Chart.js';
import { call } from '../common/client.js';
import { ElderPanel } from './ElderPanel.js';
import { useLive } from './live.js';
import {
  categoriesOption,
  channelsOption,
  departmentRows,
  Feed,
  Kpis,
  monthsOption,
  Panel,
  Ranking,
  Rotator,
  trendOption,
} from './Panels.js';
import { ScreenLogin } from './ScreenLogin.js';
import { ScreenMap } from './ScreenMap.js';
import './screen.css';

export const stageWidth = 1920;
export const stageHeight = 1080;

/** The stage is laid out for 1920×1080 and scaled as a whole to the window it is in. */
function Stage({ children }: { children: React.ReactNode }) {
  const [scale, setScale] = useState(1);
  useEffect(() => {
    const fit = () => setScale(Math.min(window.innerWidth / stageWidth, window.innerHeight / stageHeight));
    fit();
    window.addEventListener('resize', fit);
    return () => window.removeEventListener('resize', fit);
  }, []);
  return (
    <div className="screen-viewport">
      <div
        className="screen-stage"
        style={{
          width: stageWidth,
          height: stageHeight,
          transform: `translate(-50%, -50%) scale(${scale})`,
        }}
      >
        {children}
      </div>
    </div>
  );
}

function Clock() {
  const { i18n } = useTranslation();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(t);
  }, []);
  const opts = { timeZone: 'Asia/Shanghai' } as const;
  return (
    <div className="screen-clock" data-testid="screen-clock">
      <span className="screen-clock-time">{now.toLocaleTimeString('zh-CN', { ...opts, hour12: false })}</span>
      <span className="screen-clock-date">
        {now.toLocaleDateString('zh-CN', { ...opts, year: 'numeric', month: '2-digit', day: '2-digit' })}
        <br />
        {now.toLocaleDateString(i18n.language === 'en-US' ? 'en-US' : 'zh-CN', { ...opts, weekday: 'long' })}
      </span>
    </div>
  );
}

/** `?rotate=ms` sets how long a panel shows (tests turn it fast); 15 s by default. */
function useRotateMs(): number {
  const { search } = useLocation();
  return useMemo(() => {
    const v = Number(new URLSearchParams(search).get('rotate'));
    return Number.isFinite(v) && v >= 100 ? Math.min(v, 600_000) : 15_000;
  }, [search]);
}

/**
 * The public-video layer (视频监控, issue 16 item 7): the cameras of the viewer's jurisdiction
 * (GET /api/cameras, scoped by the server), read again every ten minutes; null without
 * camera:read or when the read failed (the layer's button is then not offered).
 */
function useCameras(allowed: boolean): Camera[] | null {
  const [cameras, setCameras] = useState<Camera[] | null>(null);
  useEffect(() => {
    if (!allowed) return;
    let stop = false;
    const load = () =>
      call('GET /api/cameras', { query: {} })
        .then((r) => !stop && setCameras(r.items))
        .catch(() => !stop && setCameras(null));
    void load();
    const timer = setInterval(load, 600_000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [allowed]);
  return cameras;
}

/** `?cameras=1` shows the camera layer from the start (a wall that always shows it). */
function useCamerasShown(): [boolean, (v: boolean) => void] {
  const { search } = useLocation();
  const [shown, setShown] = useState(() => new URLSearchParams(search).get('cameras') === '1');
  return [shown, setShown];
}

function Screen() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const live = useLive();
  const cameras = useCameras(can('camera:read'));
  const [camerasShown, setCamerasShown] = useCamerasShown();
  const rotateMs = useRotateMs();
  const d = live.dashboard;
  const options = useMemo(
    () =>
      d && {
        trend: trendOption(d, t),
        months: monthsOption(d, t),
        channels: channelsOption(d, t),
        categories: categoriesOption(d),
      },
    // `t` changes with the language, so the charts follow a switch.
    [d, t],
  );
  const overdue = useMemo(() => live.points.filter((p) => p.overdue).length, [live.points]);
  const loaded = (live.grids?.length ?? 0) > 0;
  return (
    <Stage>
      <header className="screen-title">
        <div className="screen-title-side">
          <span className={`screen-live ${live.connected ? 'on' : ''}`} data-testid="screen-live">
            {live.connected ? t('screen.live.connected') : t('screen.live.reconnecting')}
          </span>
          {live.error && <span className="screen-stale">{t('screen.live.stale')}</span>}
        </div>
        <h1 data-testid="screen-title">
          {d ? t('screen.title.withArea', { area: d.area.name }) : t('screen.title.centre')}
        </h1>
        <div className="screen-title-side right">
          <Clock />
        </div>
      </header>
      <main className="screen-body">
        <div className="screen-col">
          <Panel title={t('screen.panels.kpis')}>
            <Kpis d={d} />
          </Panel>
          <ElderPanel />
          <Rotator
            titles={[t('screen.panels.areas'), t('screen.panels.departments'), t('screen.panels.categories')]}
            intervalMs={rotateMs}
            testId="screen-rotator-left"
          >
            <Ranking rows={d?.areas ?? []} testId="screen-rank-areas" />
            <Ranking rows={d ? departmentRows(d, t) : []} testId="screen-rank-departments" />
            <Chart className="screen-chart" merge option={options?.categories ?? null} />
          </Rotator>
        </div>
        <div className="screen-centre">
          <ScreenMap grids={live.grids} points={live.points} cameras={cameras} showCameras={camerasShown} />
          <div className="screen-map-stats">
            <div>
              <b>{live.grids?.length ?? '—'}</b>
              {t('screen.map.grids')}
            </div>
            <div>
              <b>{live.points.length}</b>
              {t('screen.map.onMap')}
            </div>
            <div className="danger">
              <b>{overdue}</b>
              {t('screen.map.overdue')}
            </div>
            {cameras && (
              <button
                type="button"
                className={`screen-layer-toggle ${camerasShown ? 'on' : ''}`}
                aria-pressed={camerasShown}
                onClick={() => setCamerasShown(!camerasShown)}
                data-testid="screen-cameras-toggle"
              >
                <b>{cameras.length}</b>
                {t('screen.map.cameras')}
              </button>
            )}
          </div>
          {!loaded && <div className="screen-loading">{t('screen.map.loading')}</div>}
        </div>
        <div className="screen-col">
          <Panel
            title={t('screen.panels.feed')}
            className="screen-feed-panel"
            extra={<span className="screen-panel-note">{t('screen.panels.feedNote')}</span>}
          >
            <Feed lines={live.feed} />
          </Panel>
          <Rotator
            titles={[t('screen.panels.trend'), t('screen.panels.months'), t('screen.panels.channels')]}
            intervalMs={rotateMs}
            testId="screen-rotator-right"
          >
            <Chart className="screen-chart" merge option={options?.trend ?? null} testId="screen-trend" />
            <Chart className="screen-chart" merge option={options?.months ?? null} />
            <Chart className="screen-chart" merge option={options?.channels ?? null} />
          </Rotator>
        </div>
      </main>
    </Stage>
  );
}

/** 大屏 `/screen`: for the wall of a command centre, behind a login like the console. */
export default function ScreenApp() {
  const { t } = useTranslation();
  const { me, can } = useAuth();
  if (!me) return <ScreenLogin />;
  if (!can('metrics:read'))
    return (
      <div className="screen-viewport screen-center-message">
        <div>{t('screen.noPermission')}</div>
      </div>
    );
  return <Screen />;
}
