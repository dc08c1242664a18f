import type { AreaGeometry } from '@civicgrid/core/api/org';
import {
  type GeoJSONSource,
  type MapLayerMouseEvent,
  type MapMouseEvent,
  Map as MlMap,
  NavigationControl,
  setWorkerUrl,
} from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import { useEffect, useRef, useState } from 'react';
import {
  addAreaLayers,
  addLabelLayers,
  baseStyle,
  boundsOf,
  localFonts,
  setAreas,
  setTiles,
} from '../../common/map/mapStyle.js';
import { useMapContext } from '../../common/map/useMapContext.js';

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
  /** Grids with a 网格党支部: a red marker at their centre. */
  partyGridIds?: ReadonlySet<number>;
}

// MapLibre 6 runs tiles in an ES-module worker that Vite bundles on its own.
setWorkerUrl(workerUrl);

const empty = { type: 'FeatureCollection' as const, features: [] };

/**
 * The grids of a unit on MapLibre, over the district's streets and communities (shared map
 * style: names by symbol collision, no glyph or tile server needed). Tiles only when the
 * server is configured with MAP_TILE_URL.
 */
export function GridMap({
  grids,
  selectedId,
  onSelect,
  drawing,
  onDrawn,
  tileUrl,
  height = 460,
  partyGridIds,
}: Props) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<MlMap | null>(null);
  const draft = useRef<number[][]>([]);
  const [loaded, setLoaded] = useState(false);
  const { areas } = useMapContext();
  const handlers = useRef({ onSelect, onDrawn, drawing });
  handlers.current = { onSelect, onDrawn, drawing };

  useEffect(() => {
    if (!container.current) return;
    const m = new MlMap({
      container: container.current,
      style: baseStyle('light'),
      center: [109.78, 40.68],
      zoom: 10,
      doubleClickZoom: false,
      attributionControl: false,
      localIdeographFontFamily: localFonts,
    });
    m.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    m.on('load', () => {
      addAreaLayers(m, 'light');
      m.addSource('grids', { type: 'geojson', data: empty });
      m.addSource('draft', { type: 'geojson', data: empty });
      m.addSource('party', { type: 'geojson', data: empty });
      // Grids beneath the community and street borders, which stay readable over them.
      m.addLayer(
        {
          id: 'grid-fill',
          type: 'fill',
          source: 'grids',
          paint: {
            'fill-color': ['case', ['==', ['get', 'selected'], true], '#1677ff', '#69b1ff'],
            'fill-opacity': ['case', ['==', ['get', 'selected'], true], 0.4, 0.12],
          },
        },
        'ctx-community-line',
      );
      m.addLayer(
        {
          id: 'grid-line',
          type: 'line',
          source: 'grids',
          paint: {
            'line-color': ['case', ['==', ['get', 'selected'], true], '#0958d9', '#4a6fd1'],
            'line-width': [
              'interpolate',
              ['linear'],
              ['zoom'],
              10,
              ['case', ['==', ['get', 'selected'], true], 2, 0.3],
              14,
              ['case', ['==', ['get', 'selected'], true], 2.4, 1],
            ],
          },
        },
        'ctx-community-line',
      );
      // A grid's party branch: a red dot below its name, drawn under the labels so they stay readable.
      m.addLayer({
        id: 'party-branch',
        type: 'circle',
        source: 'party',
        paint: {
          'circle-radius': 6,
          'circle-color': '#cf1322',
          'circle-stroke-color': '#ffd666',
          'circle-stroke-width': 2,
          'circle-translate': [0, 16],
        },
      });
      addLabelLayers(m, 'light');
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
      setLoaded(true);
    });
    m.on('click', 'grid-fill', (e: MapLayerMouseEvent) => {
      if (handlers.current.drawing) return;
      const id = e.features?.[0]?.properties?.id;
      if (typeof id === 'number') handlers.current.onSelect(id);
    });
    m.on('mouseenter', 'grid-fill', () => {
      if (!handlers.current.drawing) m.getCanvas().style.cursor = 'pointer';
    });
    m.on('mouseleave', 'grid-fill', () => {
      if (!handlers.current.drawing) m.getCanvas().style.cursor = '';
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
      setLoaded(false);
    };
  }, []);

  useEffect(() => {
    if (map.current && loaded) setTiles(map.current, tileUrl, 'light');
  }, [tileUrl, loaded]);

  useEffect(() => {
    if (map.current && loaded) setAreas(map.current, areas, grids);
  }, [areas, grids, loaded]);

  useEffect(() => {
    const m = map.current;
    if (!m || !loaded) return;
    const features = grids
      .filter((g) => g.geometry)
      .map((g) => ({
        type: 'Feature' as const,
        properties: { id: g.id, selected: g.id === selectedId },
        geometry: g.geometry as AreaGeometry,
      }));
    (m.getSource('grids') as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features });
    const b = boundsOf(features.map((f) => f.geometry));
    if (b) m.fitBounds(b, { padding: 40, duration: 0, maxZoom: 16 });
  }, [grids, selectedId, loaded]);

  useEffect(() => {
    const m = map.current;
    if (!m || !loaded) return;
    const features = grids
      .filter((g) => g.geometry && partyGridIds?.has(g.id))
      .flatMap((g) => {
        const b = boundsOf([g.geometry as AreaGeometry]);
        if (!b) return [];
        const [[w, s], [e, n]] = b as [[number, number], [number, number]];
        return [
          {
            type: 'Feature' as const,
            properties: { id: g.id },
            geometry: { type: 'Point' as const, coordinates: [(w + e) / 2, (s + n) / 2] },
          },
        ];
      });
    (m.getSource('party') as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features });
  }, [grids, partyGridIds, loaded]);

  useEffect(() => {
    const m = map.current;
    if (m) m.getCanvas().style.cursor = drawing ? 'crosshair' : '';
    if (!drawing) draft.current = [];
  }, [drawing]);

  return (
    <div ref={container} style={{ height, borderRadius: 6, overflow: 'hidden' }} data-testid="grid-map" />
  );
}
