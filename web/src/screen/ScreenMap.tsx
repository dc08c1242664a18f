import type { Camera } from '@civicgrid/core/api/cameras';
import type { AreaGeometry } from '@civicgrid/core/api/org';
import type { ScreenCase, ScreenGrid } from '@civicgrid/core/api/screen';
import { type ExpressionSpecification, type GeoJSONSource, Map as MlMap, setWorkerUrl } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addAreaLayers, addLabelLayers, baseStyle, localFonts, setAreas } from '../common/map/mapStyle.js';
import { useMapContext } from '../common/map/useMapContext.js';

setWorkerUrl(workerUrl);

/** Load colours, from no open case to the heaviest grids. */
export const loadColors = ['#0c2748', '#1d5a9e', '#2c8bd0', '#e8c547', '#f08a30', '#e23b35'];
/** 视频监控 points (issue 16 item 7): violet squares-ish dots, apart from the cases' colours. */
export const cameraColor = '#b37feb';
/** A case reported this recently is drawn larger. */
const recentMs = 10 * 60_000;
const empty = { type: 'FeatureCollection' as const, features: [] };

/**
 * Where the load steps: 1 and then quantiles of the grids that have open cases, so the
 * colours spread over what this jurisdiction actually has. At most five steps, increasing.
 */
export function loadBreaks(grids: ScreenGrid[]): number[] {
  const loads = grids
    .map((g) => g.open)
    .filter((n) => n > 0)
    .sort((a, b) => a - b);
  const at = (q: number) => loads[Math.min(loads.length - 1, Math.floor(q * loads.length))] ?? 1;
  const breaks = [1];
  for (const q of [0.3, 0.6, 0.85, 0.97]) {
    const b = at(q);
    if (b > (breaks.at(-1) as number)) breaks.push(b);
  }
  return breaks;
}

function bounds(grids: ScreenGrid[]): [[number, number], [number, number]] | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const g of grids) {
    const polys = g.geometry.type === 'Polygon' ? [g.geometry.coordinates] : g.geometry.coordinates;
    for (const poly of polys)
      for (const [x, y] of poly[0] ?? []) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
  }
  return Number.isFinite(x0)
    ? [
        [x0, y0],
        [x1, y1],
      ]
    : null;
}

/**
 * The district on MapLibre with no tile source at all — a background colour and GeoJSON
 * sources — so a wall display in a closed network draws it. The district's outline, its
 * streets and their names (the shared map style, dark) frame the grids, shaded by their
 * open cases; cases are points (red when overdue) over a heat layer. The map and its
 * sources are made once; every update is a `setData`.
 */
export function ScreenMap({
  grids,
  points,
  cameras = null,
  showCameras = false,
}: {
  grids: ScreenGrid[] | null;
  points: ScreenCase[];
  /** The cameras the viewer may see (null: none to show, no camera:read). */
  cameras?: Camera[] | null;
  showCameras?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<MlMap | null>(null);
  const framed = useRef(false);
  const [loaded, setLoaded] = useState(false);
  const breaks = useMemo(() => loadBreaks(grids ?? []), [grids]);
  const { areas } = useMapContext();

  useEffect(() => {
    if (!box.current) return;
    const el = box.current;
    const m = new MlMap({
      container: el,
      style: baseStyle('dark'),
      center: [109.78, 40.68],
      zoom: 10,
      interactive: false,
      attributionControl: false,
      fadeDuration: 0,
      localIdeographFontFamily: localFonts,
    });
    m.on('load', () => {
      addAreaLayers(m, 'dark');
      m.addSource('grids', { type: 'geojson', data: empty });
      m.addSource('cases', { type: 'geojson', data: empty });
      m.addSource('cameras', { type: 'geojson', data: empty });
      // Grids beneath the community, street and district borders, which stay readable over the load colours.
      m.addLayer(
        {
          id: 'grid-fill',
          type: 'fill',
          source: 'grids',
          paint: { 'fill-color': loadColors[0] as string, 'fill-opacity': 0.72 },
        },
        'ctx-community-line',
      );
      m.addLayer(
        {
          id: 'grid-line',
          type: 'line',
          source: 'grids',
          paint: { 'line-color': '#5fb4ff', 'line-width': 0.5, 'line-opacity': 0.35 },
        },
        'ctx-community-line',
      );
      addLabelLayers(m, 'dark');
      m.addLayer({
        id: 'heat',
        type: 'heatmap',
        source: 'cases',
        paint: {
          'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 10, 14, 15, 36],
          'heatmap-intensity': 0.6,
          'heatmap-opacity': 0.55,
          'heatmap-color': [
            'interpolate',
            ['linear'],
            ['heatmap-density'],
            0,
            'rgba(0,0,0,0)',
            0.2,
            'rgba(0,200,255,0.45)',
            0.5,
            'rgba(255,220,60,0.7)',
            1,
            'rgba(255,60,40,0.9)',
          ],
        },
      });
      m.addLayer({
        id: 'case-points',
        type: 'circle',
        source: 'cases',
        paint: {
          'circle-color': ['case', ['get', 'overdue'], '#ff4d4f', '#36cfc9'],
          'circle-radius': ['case', ['get', 'recent'], 6, 2.6],
          'circle-stroke-color': ['case', ['get', 'recent'], '#ffffff', 'rgba(0,0,0,0)'],
          'circle-stroke-width': ['case', ['get', 'recent'], 2, 0],
          'circle-opacity': 0.9,
        },
      });
      m.addLayer({
        id: 'camera-points',
        type: 'circle',
        source: 'cameras',
        layout: { visibility: 'none' },
        paint: {
          'circle-color': cameraColor,
          'circle-radius': 4,
          'circle-stroke-color': '#efdbff',
          'circle-stroke-width': 1,
          'circle-opacity': 0.95,
        },
      });
      setLoaded(true);
    });
    // What is drawn, for the end-to-end test and anyone checking a wall from a laptop.
    m.on('idle', () => {
      if (m.getLayer('grid-fill'))
        el.dataset.renderedGrids = String(m.queryRenderedFeatures({ layers: ['grid-fill'] }).length);
      if (m.getLayer('camera-points'))
        el.dataset.renderedCameras = String(
          m.getLayoutProperty('camera-points', 'visibility') === 'none'
            ? 0
            : m.queryRenderedFeatures({ layers: ['camera-points'] }).length,
        );
    });
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
    };
  }, []);

  useEffect(() => {
    if (map.current && loaded) setAreas(map.current, areas, grids ?? []);
  }, [areas, grids, loaded]);

  useEffect(() => {
    const m = map.current;
    if (!m || !loaded || !grids) return;
    (m.getSource('grids') as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: grids.map((g) => ({
        type: 'Feature' as const,
        geometry: g.geometry as AreaGeometry,
        properties: { id: g.id, open: g.open },
      })),
    });
    const step: unknown[] = ['step', ['get', 'open'], loadColors[0]];
    for (const [i, b] of breaks.entries()) step.push(b, loadColors[i + 1]);
    m.setPaintProperty('grid-fill', 'fill-color', step as ExpressionSpecification);
    const b = bounds(grids);
    if (b && !framed.current) {
      framed.current = true;
      m.fitBounds(b, { padding: { top: 84, bottom: 64, left: 24, right: 24 }, duration: 0 });
    }
  }, [grids, breaks, loaded]);

  useEffect(() => {
    const m = map.current;
    if (!m || !loaded) return;
    const since = new Date(Date.now() - recentMs).toISOString();
    (m.getSource('cases') as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: points.map((p) => ({
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: [p.lng, p.lat] },
        properties: { overdue: p.overdue, recent: p.reportedAt >= since },
      })),
    });
  }, [points, loaded]);

  useEffect(() => {
    const m = map.current;
    if (!m || !loaded) return;
    (m.getSource('cameras') as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: (cameras ?? []).map((c) => ({
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: [c.location.lng, c.location.lat] },
        properties: { id: c.id },
      })),
    });
    m.setLayoutProperty('camera-points', 'visibility', showCameras ? 'visible' : 'none');
    // A frame is drawn only when something changes; an unchanged map would report a stale count.
    m.triggerRepaint();
  }, [cameras, showCameras, loaded]);

  return (
    <div className="screen-map-wrap">
      <div ref={box} className="screen-map" data-testid="screen-map" />
      <Legend breaks={breaks} cameras={showCameras} />
    </div>
  );
}

function Legend({ breaks, cameras }: { breaks: number[]; cameras: boolean }) {
  const { t } = useTranslation();
  const labels = breaks.map((b, i) => {
    const next = breaks[i + 1];
    if (next === undefined) return `≥ ${b}`;
    return next - 1 === b ? String(b) : `${b}–${next - 1}`;
  });
  return (
    <div className="screen-legend" data-testid="screen-legend">
      <div className="screen-legend-title">{t('screen.legend.load')}</div>
      {['0', ...labels].map((l, i) => (
        <div key={l} className="screen-legend-row">
          <span className="screen-swatch" style={{ background: loadColors[i] }} />
          {t('screen.legend.count', { range: l })}
        </div>
      ))}
      <span className="screen-legend-gap" />
      <div className="screen-legend-title">{t('screen.legend.points')}</div>
      <div className="screen-legend-row">
        <span className="screen-dot" style={{ background: '#36cfc9' }} />
        {t('screen.legend.open')}
      </div>
      <div className="screen-legend-row">
        <span className="screen-dot" style={{ background: '#ff4d4f' }} />
        {t('screen.legend.overdue')}
      </div>
      <div className="screen-legend-row">
        <span className="screen-dot screen-dot-recent" />
        {t('screen.legend.recent')}
      </div>
      <div className="screen-legend-row">
        <span className="screen-heat" />
        {t('screen.legend.heat')}
      </div>
      {cameras && (
        <div className="screen-legend-row" data-testid="screen-legend-cameras">
          <span className="screen-dot" style={{ background: cameraColor }} />
          {t('screen.legend.cameras')}
        </div>
      )}
    </div>
  );
}
