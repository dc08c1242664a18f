import type { ScreenFeedKind } from '@civicgrid/core/api/screen';
import type { EChartsCoreOption } from 'echarts/core';
import type { TFunction } from 'i18next';
import { Children, type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { axisStyle } from './chartStyle.js';
import type { Dashboard, FeedLine } from './live.js';

const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`;

/** A panel of the screen: a title strip and its content. */
export function Panel({
  title,
  extra,
  children,
  className,
}: {
  title: string;
  extra?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={`screen-panel ${className ?? ''}`}>
      <header className="screen-panel-title">
        <span>{title}</span>
        {extra}
      </header>
      <div className="screen-panel-body">{children}</div>
    </section>
  );
}

/** The KPI tiles, from the same numbers as the console's dashboard. */
export function Kpis({ d }: { d: Dashboard | null }) {
  const { t } = useTranslation();
  const tiles: { key: string; label: string; value: string; tone?: string }[] = [
    { key: 'today', label: t('screen.kpi.today'), value: d ? String(d.today.reported) : '—' },
    { key: 'open', label: t('screen.kpi.open'), value: d ? String(d.today.open) : '—' },
    {
      key: 'overdue',
      label: t('screen.kpi.overdue'),
      value: d ? String(d.today.overdue) : '—',
      tone: 'danger',
    },
    {
      key: 'supervised',
      label: t('screen.kpi.supervised'),
      value: d ? String(d.today.supervised) : '—',
      tone: 'warn',
    },
    { key: 'onTime', label: t('screen.kpi.onTime'), value: pct(d?.rates.onTimeRate), tone: 'rate' },
    {
      key: 'satisfaction',
      label: t('screen.kpi.satisfaction'),
      value: pct(d?.rates.satisfactionRate),
      tone: 'rate',
    },
    {
      key: 'fulfilment',
      label: t('screen.kpi.fulfilment'),
      value: pct(d?.rates.fulfilmentRate),
      tone: 'rate',
    },
    { key: 'grid', label: t('screen.kpi.grid'), value: pct(d?.rates.gridResolvedShare), tone: 'rate' },
  ];
  return (
    <div className="screen-kpis">
      {tiles.map((tile) => (
        <div
          key={tile.key}
          className={`screen-kpi ${tile.tone ?? ''}`}
          data-testid={`screen-kpi-${tile.key}`}
        >
          <div className="screen-kpi-value">{tile.value}</div>
          <div className="screen-kpi-label">{tile.label}</div>
        </div>
      ))}
    </div>
  );
}

/** A ranking as bars of text: readable from across the room, no chart needed. */
export function Ranking({
  rows,
  unit,
  testId,
}: {
  rows: { key: string; name: string; count: number; note?: string }[];
  unit?: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const top = rows.slice(0, 8);
  const max = Math.max(1, ...top.map((r) => r.count));
  if (!top.length) return <div className="screen-empty">{t('screen.ranking.empty')}</div>;
  return (
    <ol className="screen-ranking" data-testid={testId}>
      {top.map((r, i) => (
        <li key={r.key}>
          <span className={`screen-rank ${i < 3 ? 'top' : ''}`}>{i + 1}</span>
          <span className="screen-rank-name">{r.name}</span>
          <span className="screen-rank-bar">
            <i style={{ width: `${(r.count / max) * 100}%` }} />
          </span>
          <span className="screen-rank-count">
            {r.count}
            <small>{unit ?? t('screen.ranking.unit')}</small>
          </span>
          {r.note !== undefined && <span className="screen-rank-note">{r.note}</span>}
        </li>
      ))}
    </ol>
  );
}

/**
 * Panels that take turns. All stay mounted (charts keep their one instance); only the
 * visible one changes, on one interval per rotator.
 */
export function Rotator({
  titles,
  intervalMs,
  children,
  testId,
}: {
  titles: string[];
  intervalMs: number;
  children: ReactNode;
  testId?: string;
}) {
  const [at, setAt] = useState(0);
  const items = Children.toArray(children);
  const n = items.length;
  // The cross-fade never takes more than a quarter of a slide's time.
  const fade = { transitionDuration: `${Math.min(600, intervalMs / 4)}ms` };
  useEffect(() => {
    const t = setInterval(() => setAt((i) => (i + 1) % n), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs, n]);
  return (
    <Panel
      title={titles[at] ?? ''}
      className="screen-rotator"
      extra={
        <span className="screen-dots">
          {items.map((_, i) => (
            <i key={titles[i]} className={i === at ? 'on' : ''} />
          ))}
        </span>
      }
    >
      <div className="screen-slides" data-testid={testId} data-slide={at}>
        {items.map((c, i) => (
          <div key={titles[i]} className={`screen-slide ${i === at ? 'on' : ''}`} style={fade}>
            {c}
          </div>
        ))}
      </div>
    </Panel>
  );
}

const zone = { timeZone: 'Asia/Shanghai', hour12: false } as const;
/** Today's lines by the second; older ones (after a quiet night) with their day. */
function time(iso: string): string {
  const at = new Date(iso);
  const day = (d: Date) => d.toLocaleDateString('zh-CN', zone);
  if (day(at) === day(new Date())) return at.toLocaleTimeString('zh-CN', zone);
  return at.toLocaleString('zh-CN', {
    ...zone,
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** The live feed: newest on top; lines that came in while showing light up for a while. */
export function Feed({ lines }: { lines: FeedLine[] }) {
  const { t } = useTranslation();
  if (!lines.length) return <div className="screen-empty">{t('screen.feed.empty')}</div>;
  return (
    <ul className="screen-feed" data-testid="screen-feed">
      {lines.map((l) => (
        <li key={l.id} className={l.live ? 'live' : ''} data-code={l.code}>
          <span className="screen-feed-time">{time(l.at)}</span>
          <span className={`screen-tag ${l.kind}`}>
            {t(`screen.feed.kinds.${l.kind satisfies ScreenFeedKind}`)}
          </span>
          <b className="screen-feed-what">{l.category}</b>
          <span className="screen-feed-where">
            {l.area} · {l.code}
          </span>
        </li>
      ))}
    </ul>
  );
}

const palette = ['#36cfc9', '#4d9fff', '#f7c948', '#ff7a45', '#b37feb', '#73d13d', '#ff4d94', '#40a9ff'];

/** Chart options for the rotating panels; pure functions of the dashboard reply and the language. */
export function trendOption(d: Dashboard, t: TFunction): EChartsCoreOption {
  const reported = t('screen.charts.reported');
  const closed = t('screen.charts.closed');
  return {
    color: ['#36cfc9', '#f7c948'],
    legend: { data: [reported, closed], top: 0, right: 8, textStyle: { color: '#cfe3ff', fontSize: 14 } },
    grid: { left: 44, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: d.trend.map((t) => t.day.slice(5)), ...axisStyle },
    yAxis: { type: 'value', minInterval: 1, ...axisStyle },
    series: [
      {
        name: reported,
        type: 'line',
        smooth: true,
        symbol: 'none',
        areaStyle: { opacity: 0.15 },
        data: d.trend.map((t) => t.reported),
      },
      { name: closed, type: 'line', smooth: true, symbol: 'none', data: d.trend.map((t) => t.closed) },
    ],
  };
}

/** "5月" / "May": the month of a `YYYY-MM`. */
function monthLabel(month: string, t: TFunction): string {
  const n = Number(month.slice(5));
  const name = new Date(Date.UTC(2000, n - 1, 1)).toLocaleString('en-US', {
    month: 'short',
    timeZone: 'UTC',
  });
  return t('screen.charts.month', { month: n, name });
}

export function monthsOption(d: Dashboard, t: TFunction): EChartsCoreOption {
  return {
    grid: { left: 44, right: 16, top: 20, bottom: 28 },
    xAxis: { type: 'category', data: d.months.map((m) => monthLabel(m.month, t)), ...axisStyle },
    yAxis: { type: 'value', minInterval: 1, ...axisStyle },
    series: [
      {
        type: 'bar',
        barWidth: '55%',
        itemStyle: { color: '#4d9fff', borderRadius: [3, 3, 0, 0] },
        data: d.months.map((m) => m.reported),
      },
    ],
  };
}

export function channelsOption(d: Dashboard, t: TFunction): EChartsCoreOption {
  return {
    color: palette,
    legend: {
      orient: 'vertical',
      right: 8,
      top: 'middle',
      textStyle: { color: '#cfe3ff', fontSize: 14 },
      itemWidth: 12,
      itemHeight: 12,
    },
    series: [
      {
        type: 'pie',
        radius: ['42%', '70%'],
        center: ['34%', '52%'],
        label: { show: false },
        itemStyle: { borderColor: '#071d38', borderWidth: 2 },
        // The channel's name from the cases module by its code; the server's (Chinese) name otherwise.
        data: d.byChannel.map((c) => ({
          name: t(`cases.channels.${c.key}`, { defaultValue: c.name }),
          value: c.count,
        })),
      },
    ],
  };
}

export function categoriesOption(d: Dashboard): EChartsCoreOption {
  const top = d.byCategory.slice(0, 8);
  return {
    grid: { left: 150, right: 40, top: 8, bottom: 8 },
    xAxis: { type: 'value', show: false },
    yAxis: {
      type: 'category',
      inverse: true,
      data: top.map((c) => c.name),
      ...axisStyle,
      axisLabel: { color: '#cfe3ff', fontSize: 14, width: 136, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        barWidth: 14,
        label: { show: true, position: 'right', color: '#cfe3ff', fontSize: 14 },
        itemStyle: { color: '#36cfc9', borderRadius: [0, 7, 7, 0] },
        data: top.map((c) => c.count),
      },
    ],
  };
}

export const departmentRows = (d: Dashboard, t: TFunction) =>
  d.departments.map((x) => ({
    key: String(x.id),
    name: x.name,
    count: x.count,
    note: t('screen.ranking.onTime', { rate: pct(x.onTimeRate) }),
  }));
