import type { AreaGeometry } from '@civicgrid/core/api/org';
import {
  type GeoJSONSource,
  type MapLayerMouseEvent,
  type MapMouseEvent,
  Marker,
  Map as MlMap,
  NavigationControl,
  setWorkerUrl,
} from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import { useEffect, useRef } from 'react';

export interface MapGrid {
  id: number;
  name: string;
  geometry: AreaGeometry | null;
}

interface Props {
  grids: MapGrid[];
  selectedId: number | null;
  onSelect(id: number): void;
  /** When set, clicks add corners; a double click closes the ring and calls back. */
  drawing: boolean;
  onDrawn(polygon: AreaGeometry): void;
  tileUrl: string;
  height?: number;
}

// MapLibre 6 runs tiles in an ES-module worker that Vite bundles on its own.
setWorkerUrl(workerUrl);

/** Past this many grids, names would cover the map: only the polygons are drawn. */
const maxLabels = 60;

const empty = { type: 'FeatureCollection' as const, features: [] };

function ringsOf(g: AreaGeometry): number[][][] {
  return g.type === 'Polygon'
    ? [g.coordinates[0] as number[][]]
    : g.coordinates.map((p) => p[0] as number[][]);
}

function centroid(g: AreaGeometry): [number, number] {
  const ring = ringsOf(g)[0] ?? [];
  const pts = ring.slice(0, -1);
  const x = pts.reduce((s, p) => s + (p[0] as number), 0) / Math.max(pts.length, 1);
  const y = pts.reduce((s, p) => s + (p[1] as number), 0) / Math.max(pts.length, 1);
  return [x, y];
}

/**
 * Grid polygons on MapLibre. No external tiles unless the server is configured with a
 * tile URL; names are HTML markers, so no glyph server is needed either.
 */
export function GridMap({ grids, selectedId, onSelect, drawing, onDrawn, tileUrl, height = 460 }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<MlMap | null>(null);
  const markers = useRef<Marker[]>([]);
  const draft = useRef<number[][]>([]);
  const ready = useRef(false);
  const onReady = useRef<(() => void) | null>(null);
  const handlers = useRef({ onSelect, onDrawn, drawing });
  handlers.current = { onSelect, onDrawn, drawing };

  useEffect(() => {
    if (!container.current) return;
    const m = new MlMap({
      container: container.current,
      style: {
        version: 8,
        sources: tileUrl ? { base: { type: 'raster', tiles: [tileUrl], tileSize: 256 } } : {},
        layers: [
          { id: 'bg', type: 'background', paint: { 'background-color': '#eef2f7' } },
          ...(tileUrl ? [{ id: 'base', type: 'raster' as const, source: 'base' }] : []),
        ],
      },
      center: [109.82, 40.64],
      zoom: 11,
      doubleClickZoom: false,
      attributionControl: false,
    });
    m.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    m.on('load', () => {
      m.addSource('grids', { type: 'geojson', data: empty });
      m.addSource('draft', { type: 'geojson', data: empty });
      m.addLayer({
        id: 'grid-fill',
        type: 'fill',
        source: 'grids',
        paint: {
          'fill-color': ['case', ['==', ['get', 'selected'], true], '#1677ff', '#69b1ff'],
          'fill-opacity': ['case', ['==', ['get', 'selected'], true], 0.45, 0.18],
        },
      });
      m.addLayer({
        id: 'grid-line',
        type: 'line',
        source: 'grids',
        paint: { 'line-color': '#1d39c4', 'line-width': 1.2 },
      });
      m.addLayer({
        id: 'draft-line',
        type: 'line',
        source: 'draft',
        paint: { 'line-color': '#fa541c', 'line-width': 2, 'line-dasharray': [2, 1] },
      });
      m.addLayer({
        id: 'draft-points',
        type: 'circle',
        source: 'draft',
        paint: { 'circle-radius': 4, 'circle-color': '#fa541c' },
      });
      ready.current = true;
      onReady.current?.();
    });
    m.on('click', 'grid-fill', (e: MapLayerMouseEvent) => {
      if (handlers.current.drawing) return;
      const id = e.features?.[0]?.properties?.id;
      if (typeof id === 'number') handlers.current.onSelect(id);
    });
    m.on('click', (e: MapMouseEvent) => {
      if (!handlers.current.drawing) return;
      draft.current.push([Number(e.lngLat.lng.toFixed(6)), Number(e.lngLat.lat.toFixed(6))]);
      const pts = draft.current;
      (m.getSource('draft') as GeoJSONSource | undefined)?.setData({
        type: 'FeatureCollection',
        features: [
          ...pts.map((p) => ({
            type: 'Feature' as const,
            properties: {},
            geometry: { type: 'Point' as const, coordinates: p },
          })),
          ...(pts.length > 1
            ? [
                {
                  type: 'Feature' as const,
                  properties: {},
                  geometry: { type: 'LineString' as const, coordinates: pts },
                },
              ]
            : []),
        ],
      });
    });
    m.on('dblclick', () => {
      if (!handlers.current.drawing || draft.current.length < 3) return;
      const ring = [...draft.current, draft.current[0] as number[]] as [number, number][];
      draft.current = [];
      (m.getSource('draft') as GeoJSONSource | undefined)?.setData(empty);
      handlers.current.onDrawn({ type: 'Polygon', coordinates: [ring] });
    });
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
      ready.current = false;
    };
  }, [tileUrl]);

  useEffect(() => {
    const m = map.current;
    if (!m) return;
    const apply = () => {
      const features = grids
        .filter((g) => g.geometry)
        .map((g) => ({
          type: 'Feature' as const,
          properties: { id: g.id, selected: g.id === selectedId },
          geometry: g.geometry as AreaGeometry,
        }));
      (m.getSource('grids') as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features });
      for (const mk of markers.current) mk.remove();
      markers.current = grids
        .filter((g) => g.geometry && grids.length <= maxLabels)
        .map((g) => {
          const el = document.createElement('div');
          el.className = 'grid-label';
          el.textContent = g.name.replace(/^.*社区/, '');
          return new Marker({ element: el }).setLngLat(centroid(g.geometry as AreaGeometry)).addTo(m);
        });
      const all = features.flatMap((f) => ringsOf(f.geometry).flat());
      if (all.length) {
        const xs = all.map((p) => p[0] as number);
        const ys = all.map((p) => p[1] as number);
        m.fitBounds(
          [
            [Math.min(...xs), Math.min(...ys)],
            [Math.max(...xs), Math.max(...ys)],
          ],
          { padding: 40, duration: 0, maxZoom: 16 },
        );
      }
    };
    if (ready.current) apply();
    else onReady.current = apply;
  }, [grids, selectedId]);

  useEffect(() => {
    const m = map.current;
    if (m) m.getCanvas().style.cursor = drawing ? 'crosshair' : '';
    if (!drawing) draft.current = [];
  }, [drawing]);

  return (
    <div ref={container} style={{ height, borderRadius: 6, overflow: 'hidden' }} data-testid="grid-map" />
  );
}
