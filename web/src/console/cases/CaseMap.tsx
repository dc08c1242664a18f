import {
  type GeoJSONSource,
  type MapLayerMouseEvent,
  Marker,
  Map as MlMap,
  NavigationControl,
  setWorkerUrl,
} from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { AreaGeometry } from '@civicgrid/core/api/org';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import { useEffect, useRef, useState } from 'react';
import type { Reply } from '../../common/client.js';
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

setWorkerUrl(workerUrl);

export interface CasePoint {
  id: string;
  lat: number;
  lng: number;
  overdue: boolean;
  status: string;
}

export interface MapArea {
  id: number;
  name: string;
  geometry: AreaGeometry | null;
}

interface Props {
  points?: CasePoint[];
  /** Grid outlines drawn beneath the cases, so a point has a place around it. */
  areas?: MapArea[];
  heat?: boolean;
  onOpen?: (id: string) => void;
  /** A single marker; with `onPick` a click moves it. */
  marker?: { lat: number; lng: number } | null;
  onPick?: (p: { lat: number; lng: number }) => void;
  height?: number;
  center?: [number, number];
  /** Buildings, facilities and proxy points (GeoJSON points with `layer` and `id`), above the grids. */
  places?: PlaceCollection;
  onPlace?: (layer: PlaceLayer, id: number) => void;
  /** Tracks (patrols) as lines of [lng, lat]; the map frames them. */
  lines?: [number, number][][];
}

type PlaceFeature =
  | Reply<'GET /api/places/map'>['features'][number]
  | Reply<'GET /api/proxy-points/map'>['features'][number];
export type PlaceCollection = { type: 'FeatureCollection'; features: PlaceFeature[] };
export type PlaceLayer = PlaceFeature['properties']['layer'];

const empty = { type: 'FeatureCollection' as const, features: [] };
/** Kundulun district, when there is nothing else to centre on. */
const defaultCenter: [number, number] = [109.82, 40.64];

/**
 * Cases on MapLibre over the district's streets, communities and grids (the shared map
 * style; tiles only with MAP_TILE_URL): clustered points (red when overdue), an optional
 * heat map, and a pickable marker for reporting. Clusters and heat are drawn by MapLibre's
 * own GeoJSON clustering, so tens of thousands of points stay smooth.
 */
export function CaseMap({
  points,
  areas,
  heat,
  onOpen,
  marker,
  onPick,
  height = 480,
  center,
  places,
  onPlace,
  lines,
}: Props) {
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<MlMap | null>(null);
  const pin = useRef<Marker | null>(null);
  const [loaded, setLoaded] = useState(false);
  const handlers = useRef({ onOpen, onPick, onPlace });
  handlers.current = { onOpen, onPick, onPlace };
  const context = useMapContext();

  // The map is made once per mount; data changes go through the effects below.
  // biome-ignore lint/correctness/useExhaustiveDependencies: created once per mount
  useEffect(() => {
    if (!box.current) return;
    const m = new MlMap({
      container: box.current,
      style: baseStyle('light'),
      center: center ?? (marker ? [marker.lng, marker.lat] : defaultCenter),
      zoom: marker ? 15 : 10,
      attributionControl: false,
      localIdeographFontFamily: localFonts,
    });
    m.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    m.on('load', () => {
      addAreaLayers(m, 'light');
      m.addSource('areas', { type: 'geojson', data: empty });
      // Grids beneath the community and street borders, which stay readable over them.
      m.addLayer(
        {
          id: 'area-fill',
          type: 'fill',
          source: 'areas',
          paint: { 'fill-color': '#adc6ff', 'fill-opacity': 0.12 },
        },
        'ctx-community-line',
      );
      m.addLayer(
        {
          id: 'area-line',
          type: 'line',
          source: 'areas',
          paint: {
            'line-color': '#4a6fd1',
            'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.3, 14, 1],
          },
        },
        'ctx-community-line',
      );
      addLabelLayers(m, 'light');
      m.addSource('tracks', { type: 'geojson', data: empty });
      m.addLayer({
        id: 'tracks',
        type: 'line',
        source: 'tracks',
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': '#fa541c', 'line-width': 3, 'line-opacity': 0.85 },
      });
      m.addSource('places', { type: 'geojson', data: empty });
      m.addLayer({
        id: 'places',
        type: 'circle',
        source: 'places',
        paint: {
          'circle-color': [
            'case',
            ['==', ['get', 'layer'], 'building'],
            '#389e0d',
            ['==', ['get', 'layer'], 'proxyPoint'],
            '#1677ff',
            ['==', ['get', 'state'], 'damaged'],
            '#fa8c16',
            ['==', ['get', 'state'], 'missing'],
            '#cf1322',
            '#722ed1',
          ],
          'circle-radius': ['case', ['==', ['get', 'layer'], 'facility'], 5, 7],
          'circle-stroke-color': '#fff',
          'circle-stroke-width': 1.5,
        },
      });
      m.on('click', 'places', (e: MapLayerMouseEvent) => {
        const p = e.features?.[0]?.properties;
        if (p) handlers.current.onPlace?.(p.layer as PlaceLayer, Number(p.id));
      });
      m.addSource('cases', {
        type: 'geojson',
        data: empty,
        cluster: true,
        clusterRadius: 40,
        clusterMaxZoom: 15,
      });
      m.addSource('cases-heat', { type: 'geojson', data: empty });
      m.addLayer({
        id: 'heat',
        type: 'heatmap',
        source: 'cases-heat',
        layout: { visibility: 'none' },
        paint: {
          'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 10, 12, 15, 30],
          'heatmap-opacity': 0.8,
        },
      });
      m.addLayer({
        id: 'clusters',
        type: 'circle',
        source: 'cases',
        filter: ['has', 'point_count'],
        paint: {
          'circle-color': ['step', ['get', 'point_count'], '#69b1ff', 20, '#1677ff', 100, '#003eb3'],
          'circle-radius': ['step', ['get', 'point_count'], 14, 20, 20, 100, 28],
          'circle-opacity': 0.85,
          'circle-stroke-color': '#fff',
          'circle-stroke-width': 2,
        },
      });
      m.addLayer({
        id: 'points',
        type: 'circle',
        source: 'cases',
        filter: ['!', ['has', 'point_count']],
        paint: {
          'circle-color': ['case', ['get', 'overdue'], '#cf1322', '#1677ff'],
          'circle-radius': 7,
          'circle-stroke-color': '#fff',
          'circle-stroke-width': 2,
        },
      });
      m.on('click', 'clusters', async (e: MapLayerMouseEvent) => {
        const f = e.features?.[0];
        if (!f) return;
        const zoom = await (m.getSource('cases') as GeoJSONSource).getClusterExpansionZoom(
          f.properties.cluster_id as number,
        );
        m.easeTo({ center: (f.geometry as unknown as { coordinates: [number, number] }).coordinates, zoom });
      });
      m.on('click', 'points', (e: MapLayerMouseEvent) => {
        const id = e.features?.[0]?.properties.id;
        if (id) handlers.current.onOpen?.(String(id));
      });
      for (const layer of ['clusters', 'points', 'places']) {
        m.on('mouseenter', layer, () => {
          m.getCanvas().style.cursor = 'pointer';
        });
        m.on('mouseleave', layer, () => {
          m.getCanvas().style.cursor = '';
        });
      }
      // Counts always shown on their cluster: they neither hide nor are hidden by area names.
      m.addLayer({
        id: 'cluster-count',
        type: 'symbol',
        source: 'cases',
        filter: ['has', 'point_count'],
        layout: {
          'text-field': ['get', 'point_count_abbreviated'],
          'text-size': 12,
          'text-allow-overlap': true,
          'text-ignore-placement': true,
        },
        paint: { 'text-color': '#ffffff' },
      });
      setLoaded(true);
    });
    m.on('click', (e) => {
      if (handlers.current.onPick) handlers.current.onPick({ lat: e.lngLat.lat, lng: e.lngLat.lng });
    });
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
    };
  }, []);

  useEffect(() => {
    const m = map.current;
    if (!m || !loaded) return;
    {
      const fc = {
        type: 'FeatureCollection' as const,
        features: (points ?? []).map((p) => ({
          type: 'Feature' as const,
          geometry: { type: 'Point' as const, coordinates: [p.lng, p.lat] },
          properties: { id: p.id, overdue: p.overdue },
        })),
      };
      (m.getSource('cases') as GeoJSONSource | undefined)?.setData(fc);
      (m.getSource('cases-heat') as GeoJSONSource | undefined)?.setData(fc);
      if (m.getLayer('heat')) {
        m.setLayoutProperty('heat', 'visibility', heat ? 'visible' : 'none');
        for (const l of ['clusters', 'cluster-count', 'points'])
          m.setLayoutProperty(l, 'visibility', heat ? 'none' : 'visible');
      }
      if (points?.length && !marker) {
        const xs = points.map((p) => p.lng);
        const ys = points.map((p) => p.lat);
        m.fitBounds(
          [
            [Math.min(...xs), Math.min(...ys)],
            [Math.max(...xs), Math.max(...ys)],
          ],
          { padding: 40, maxZoom: 15, duration: 0 },
        );
      }
    }
  }, [points, heat, marker, loaded]);

  useEffect(() => {
    const m = map.current;
    if (!m || !loaded) return;
    const withShape = (areas ?? []).filter((a) => a.geometry);
    (m.getSource('areas') as GeoJSONSource | undefined)?.setData({
      type: 'FeatureCollection',
      features: withShape.map((a) => ({
        type: 'Feature' as const,
        geometry: a.geometry as AreaGeometry,
        properties: { id: a.id, name: a.name },
      })),
    });
    // With nothing else to frame, the map frames the areas.
    const b = boundsOf(withShape.map((a) => a.geometry));
    if (b && !points?.length && !marker && !lines?.length) m.fitBounds(b, { padding: 30, duration: 0 });
    // How many areas are drawn, for anyone (a test, a screen reader's script) to wait on.
    box.current?.setAttribute('data-areas', String(withShape.length));
  }, [areas, loaded, points, marker, lines]);

  useEffect(() => {
    if (map.current && loaded) setTiles(map.current, context.tileUrl, 'light');
  }, [context.tileUrl, loaded]);

  useEffect(() => {
    if (map.current && loaded) setAreas(map.current, context.areas, areas ?? []);
  }, [context.areas, areas, loaded]);

  useEffect(() => {
    const m = map.current;
    if (!m || !loaded) return;
    (m.getSource('places') as GeoJSONSource | undefined)?.setData(places ?? empty);
  }, [places, loaded]);

  useEffect(() => {
    const m = map.current;
    if (!m || !loaded) return;
    const ls = (lines ?? []).filter((l) => l.length >= 2);
    (m.getSource('tracks') as GeoJSONSource | undefined)?.setData({
      type: 'FeatureCollection',
      features: ls.map((l) => ({
        type: 'Feature' as const,
        geometry: { type: 'LineString' as const, coordinates: l },
        properties: {},
      })),
    });
    const all = ls.flat();
    if (all.length)
      m.fitBounds(
        [
          [Math.min(...all.map((p) => p[0])), Math.min(...all.map((p) => p[1]))],
          [Math.max(...all.map((p) => p[0])), Math.max(...all.map((p) => p[1]))],
        ],
        { padding: 50, maxZoom: 17, duration: 0 },
      );
  }, [lines, loaded]);

  useEffect(() => {
    const m = map.current;
    if (!m) return;
    if (!marker) {
      pin.current?.remove();
      pin.current = null;
      return;
    }
    if (!pin.current)
      pin.current = new Marker({ color: '#cf1322' }).setLngLat([marker.lng, marker.lat]).addTo(m);
    else pin.current.setLngLat([marker.lng, marker.lat]);
  }, [marker]);

  return <div ref={box} style={{ height, borderRadius: 6, overflow: 'hidden' }} data-testid="case-map" />;
}
