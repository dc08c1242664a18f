import type { AreaGeometry, MapArea } from '@civicgrid/core/api/org';
import {
  AttributionControl,
  type ExpressionSpecification,
  type FilterSpecification,
  type GeoJSONSource,
  type Map as MlMap,
  type StyleSpecification,
} from 'maplibre-gl';
import { areaKm2, labelMinZoom, labelPoint, shortGridName } from './labels.js';

/**
 * The look every map shares — console maps, the big screen and the field app's picker —
 * so the district reads as a map without any tile server: a background, the district's
 * land, its streets shaded, community borders, and names placed by MapLibre's symbol
 * collision (a name that would cover another is left out; larger areas win). With
 * MAP_TILE_URL set, the tiles go beneath and the shading thins out.
 *
 * Names need no glyph server: with no `glyphs` URL in the style MapLibre draws every glyph
 * with the browser's own fonts.
 */
export type MapTheme = 'light' | 'dark';

/** A grid (or any area) to name on the map. */
export interface NamedArea {
  id: number;
  name: string;
  geometry: AreaGeometry | null;
}

const palettes = {
  light: {
    background: '#e8ecf1',
    land: '#faf8f3',
    streets: ['#dce8f6', '#e3f0dc', '#f4e7d4', '#ebe2f4', '#f6dfe2', '#dcefee'],
    streetOpacity: 0.55,
    streetLine: '#8d9bb0',
    communityLine: '#a9b6c7',
    districtLine: '#3f5573',
    label: { street: '#34425a', community: '#4f5e74', grid: '#66758b' },
    halo: '#ffffff',
  },
  dark: {
    background: '#051529',
    land: '#0a2344',
    streets: ['#0a2344'],
    streetOpacity: 0,
    streetLine: '#4f9de0',
    communityLine: '#2d5f91',
    districtLine: '#8fd0ff',
    label: { street: '#d6ebff', community: '#a8cbef', grid: '#8fb3d9' },
    halo: '#051529',
  },
} as const;

/** CJK names are drawn from these local fonts (MapLibre's localIdeographFontFamily). */
export const localFonts = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", sans-serif';

/** The style a map starts from: its background only, nothing to fetch. */
export function baseStyle(theme: MapTheme): StyleSpecification {
  return {
    version: 8,
    sources: {},
    layers: [{ id: 'bg', type: 'background', paint: { 'background-color': palettes[theme].background } }],
  };
}

/** Who to credit for tiles, by their host; the OpenStreetMap tile policy requires it shown. */
function attributionOf(url: string): string {
  const host = /^https?:\/\/([^/?#]+)/i.exec(url)?.[1]?.toLowerCase() ?? '';
  if (host.endsWith('openstreetmap.org'))
    return '© <a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noreferrer">OpenStreetMap</a> contributors';
  if (host.endsWith('tianditu.gov.cn')) return '© 天地图（国家地理信息公共服务平台）';
  return host;
}

/**
 * Puts MAP_TILE_URL's tiles beneath everything else (one raster layer per template; several
 * templates separated by spaces are stacked, e.g. 天地图's roads and its names), or none for
 * an empty URL. Call once the map has loaded, after `addAreaLayers`.
 */
export function setTiles(map: MlMap, tileUrl: string, theme: MapTheme): void {
  const templates = tileUrl.split(/\s+/).filter(Boolean);
  for (const layer of map.getStyle().layers ?? [])
    if (layer.id.startsWith('tiles-')) map.removeLayer(layer.id);
  for (const id of Object.keys(map.getStyle().sources ?? {}))
    if (id.startsWith('tiles-')) map.removeSource(id);
  const above = map.getStyle().layers?.[1]?.id;
  for (const [i, url] of templates.entries()) {
    map.addSource(`tiles-${i}`, {
      type: 'raster',
      tiles: [url],
      tileSize: 256,
      ...(i === 0 ? { attribution: attributionOf(url) } : {}),
    });
    map.addLayer({ id: `tiles-${i}`, type: 'raster', source: `tiles-${i}` }, above);
  }
  if (map.getLayer('ctx-land')) {
    // Over tiles the district's land is see-through and the street shading a tint.
    map.setPaintProperty('ctx-land', 'fill-opacity', templates.length ? 0 : 1);
    map.setPaintProperty(
      'ctx-street-fill',
      'fill-opacity',
      templates.length ? 0.15 : palettes[theme].streetOpacity,
    );
  }
  if (templates.length && !attributed.has(map)) {
    attributed.add(map);
    map.addControl(new AttributionControl({ compact: true }));
  }
}
const attributed = new WeakSet<MlMap>();

const empty = { type: 'FeatureCollection' as const, features: [] };
const levelIs = (level: string): FilterSpecification => ['==', ['get', 'level'], level];

/** The district's land, street shading and borders: call on load, before the map's own layers. */
export function addAreaLayers(map: MlMap, theme: MapTheme): void {
  const p = palettes[theme];
  map.addSource('ctx-areas', { type: 'geojson', data: empty });
  const shade = [
    'match',
    ['%', ['get', 'shade'], p.streets.length],
    ...p.streets.flatMap((c, i) => [i, c]),
    p.streets[0],
  ] as unknown as ExpressionSpecification;
  map.addLayer({
    id: 'ctx-land',
    type: 'fill',
    source: 'ctx-areas',
    filter: levelIs('district'),
    paint: { 'fill-color': p.land },
  });
  map.addLayer({
    id: 'ctx-street-fill',
    type: 'fill',
    source: 'ctx-areas',
    filter: levelIs('street'),
    paint: { 'fill-color': shade, 'fill-opacity': p.streetOpacity },
  });
  map.addLayer({
    id: 'ctx-community-line',
    type: 'line',
    source: 'ctx-areas',
    filter: levelIs('community'),
    minzoom: 11,
    paint: {
      'line-color': p.communityLine,
      'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.6, 15, 1.4],
      'line-dasharray': [3, 2],
    },
  });
  map.addLayer({
    id: 'ctx-street-line',
    type: 'line',
    source: 'ctx-areas',
    filter: levelIs('street'),
    paint: {
      'line-color': p.streetLine,
      'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.8, 14, 2.2],
    },
  });
  map.addLayer({
    id: 'ctx-district-line',
    type: 'line',
    source: 'ctx-areas',
    filter: levelIs('district'),
    layout: { 'line-join': 'round' },
    paint: {
      'line-color': p.districtLine,
      'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1.6, 14, 3],
    },
  });
}

/**
 * The names of streets, communities and grids, each shown from the zoom at which it fits
 * in its area: streets at the district's zoom, communities closer, grids closest. Call after
 * the areas, before points and markers, so names never hide a case. Upper layers place
 * first, so a street's name beats a community's, and within a level the larger area wins.
 */
export function addLabelLayers(map: MlMap, theme: MapTheme): void {
  const p = palettes[theme];
  map.addSource('ctx-labels', { type: 'geojson', data: empty });
  const levels = [
    ['grid', 11, p.label.grid],
    ['community', 12, p.label.community],
    ['street', 13.5, p.label.street],
  ] as const;
  for (const [level, size, color] of levels)
    map.addLayer({
      id: `ctx-label-${level}`,
      type: 'symbol',
      source: 'ctx-labels',
      filter: [
        'all',
        levelIs(level),
        ['>=', ['zoom'], ['get', 'minzoom']],
        ['<', ['zoom'], ['get', 'maxzoom']],
      ] as FilterSpecification,
      layout: {
        'text-field': ['get', 'name'],
        'text-size': size,
        'text-max-width': 8,
        'text-padding': 4,
        'text-letter-spacing': level === 'street' ? 0.08 : 0,
        'text-allow-overlap': false,
        'text-ignore-placement': false,
        'symbol-sort-key': ['get', 'sort'],
      },
      paint: {
        'text-color': color,
        'text-halo-color': p.halo,
        'text-halo-width': 1.4,
        'text-halo-blur': 0.3,
      },
    });
}

/**
 * How wide (px) an area must be drawn before its name shows — a little less than the name,
 * since collision keeps names apart anyway — and for how many zooms a street's or a
 * community's name stays before the next level takes over.
 */
const labelWidth = { district: 0, street: 24, community: 52, grid: 48 } as const;
/** Grids are named only close in, however large: far out their names say nothing. */
const gridLabelFloor = 12.5;
const labelSpan = { district: 0, street: 3, community: 3, grid: 24 } as const;

/** Fills the area and label sources: the areas above grid level, and the grids to name. */
export function setAreas(map: MlMap, areas: readonly MapArea[], grids: readonly NamedArea[]): void {
  const streetIndex = new Map(areas.filter((a) => a.level === 'street').map((a, i) => [a.id, i] as const));
  (map.getSource('ctx-areas') as GeoJSONSource | undefined)?.setData({
    type: 'FeatureCollection',
    features: areas.map((a) => ({
      type: 'Feature' as const,
      geometry: a.geometry,
      properties: { id: a.id, level: a.level, shade: streetIndex.get(a.id) ?? 0 },
    })),
  });
  const named = [
    ...areas
      .filter((a) => a.level !== 'district')
      .map((a) => ({ level: a.level, name: a.name, geometry: a.geometry })),
    ...grids
      .filter((g) => g.geometry)
      .map((g) => ({
        level: 'grid' as const,
        name: shortGridName(g.name),
        geometry: g.geometry as AreaGeometry,
      })),
  ];
  (map.getSource('ctx-labels') as GeoJSONSource | undefined)?.setData({
    type: 'FeatureCollection',
    features: named.map((a) => {
      const fit = labelMinZoom(a.geometry, labelWidth[a.level]);
      const minzoom = a.level === 'grid' ? Math.max(fit, gridLabelFloor) : fit;
      return {
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: labelPoint(a.geometry) },
        properties: {
          level: a.level,
          name: a.name,
          minzoom,
          maxzoom: minzoom + labelSpan[a.level],
          sort: -areaKm2(a.geometry),
        },
      };
    }),
  });
}

/** The bounds of some areas, for fitBounds; null when none has a shape. */
export function boundsOf(
  geometries: readonly (AreaGeometry | null)[],
): [[number, number], [number, number]] | null {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const g of geometries) {
    if (!g) continue;
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    for (const poly of polys)
      for (const [x = 0, y = 0] of poly[0] ?? []) {
        w = Math.min(w, x);
        e = Math.max(e, x);
        s = Math.min(s, y);
        n = Math.max(n, y);
      }
  }
  return Number.isFinite(w)
    ? [
        [w, s],
        [e, n],
      ]
    : null;
}
