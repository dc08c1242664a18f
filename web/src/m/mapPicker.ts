import type { AreaGeometry } from '@civicgrid/core/api/org';
import { pointInGeometry } from '@civicgrid/core/geo';
import { type GeoJSONSource, Map as MlMap, NavigationControl, setWorkerUrl } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import {
  addLabelLayers,
  baseStyle,
  boundsOf,
  localFonts,
  setAreas,
  setTiles,
} from '../common/map/mapStyle.js';

setWorkerUrl(workerUrl);

type Fix = { lat: number; lng: number; accuracy?: number };
interface Grid {
  id: number;
  name: string;
  geometry: AreaGeometry | null;
}

export interface Picker {
  /** Centres the map on a point found elsewhere (the form's own 重新定位). */
  moveTo(p: Fix): void;
  destroy(): void;
}

const empty = { type: 'FeatureCollection' as const, features: [] };

async function json<T>(url: string): Promise<T | null> {
  try {
    const r = await fetch(url, { credentials: 'same-origin' });
    return r.ok ? ((await r.json()) as T) : null;
  } catch {
    return null;
  }
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  style: Partial<CSSStyleDeclaration>,
  text = '',
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  Object.assign(e.style, style);
  e.textContent = text;
  return e;
}

/**
 * The field app's point picker, loaded only when asked for: plain MapLibre, no framework
 * inside, so this chunk shares nothing with the app shell (which is inlined into m.html).
 *
 * The point is the map's centre, under a fixed pin, as ride-hailing apps do: the worker
 * drags the map (or taps a spot to bring it under the pin), not a marker a finger would
 * cover. The worker's grid is outlined with its buildings named, 我的位置 jumps to the
 * phone's fix, and a line over the map says whether the point is inside the grid.
 */
export function mountPicker(
  el: HTMLElement,
  at: Fix | null,
  onPick: (p: Fix) => void,
  gridId: number | null = null,
): Picker {
  el.replaceChildren();
  const frame = element('div', {
    position: 'relative',
    height: '300px',
    borderRadius: '10px',
    overflow: 'hidden',
  });
  const mapBox = element('div', { position: 'absolute', inset: '0' });
  // The pin's tip is the picked point: the map's centre.
  const pin = element('div', {
    position: 'absolute',
    left: '50%',
    top: '50%',
    width: '30px',
    height: '40px',
    transform: 'translate(-50%, -100%)',
    pointerEvents: 'none',
    zIndex: '2',
  });
  pin.innerHTML =
    '<svg viewBox="0 0 30 40" width="30" height="40" aria-hidden="true"><path d="M15 39C15 39 28 23 28 14A13 13 0 0 0 2 14C2 23 15 39 15 39Z" fill="#cf1322" stroke="#fff" stroke-width="2"/><circle cx="15" cy="14" r="5" fill="#fff"/></svg>';
  const dot = element('div', {
    position: 'absolute',
    left: '50%',
    top: '50%',
    width: '6px',
    height: '6px',
    margin: '-3px 0 0 -3px',
    borderRadius: '50%',
    background: '#cf1322',
    boxShadow: '0 0 0 2px #fff',
    pointerEvents: 'none',
    zIndex: '2',
  });
  const mine = element(
    'button',
    {
      position: 'absolute',
      right: '10px',
      bottom: '12px',
      zIndex: '3',
      padding: '7px 12px',
      border: '0',
      borderRadius: '18px',
      background: '#fff',
      color: '#1677ff',
      fontSize: '14px',
      boxShadow: '0 1px 4px rgba(0,0,0,.25)',
    },
    '◎ 我的位置',
  );
  mine.type = 'button';
  mine.dataset.testid = 'm-map-mine';
  const caption = element('div', {
    position: 'absolute',
    left: '8px',
    top: '8px',
    maxWidth: 'calc(100% - 64px)',
    zIndex: '3',
    padding: '4px 10px',
    borderRadius: '14px',
    background: 'rgba(255,255,255,.92)',
    boxShadow: '0 1px 3px rgba(0,0,0,.2)',
    fontSize: '13px',
    color: '#595959',
  });
  caption.dataset.testid = 'm-map-caption';
  frame.append(mapBox, pin, dot, mine, caption);
  el.append(frame);

  const map = new MlMap({
    container: mapBox,
    style: baseStyle('light'),
    center: at ? [at.lng, at.lat] : [109.8, 40.65],
    zoom: at ? 16 : 11,
    attributionControl: false,
    localIdeographFontFamily: localFonts,
    dragRotate: false,
    pitchWithRotate: false,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');

  let grids: Grid[] = [];
  const describe = () => {
    const c = map.getCenter();
    const inside = grids.find((g) => g.geometry && pointInGeometry(c.lng, c.lat, g.geometry));
    caption.textContent = !grids.length
      ? '拖动地图，红针对准问题位置'
      : inside
        ? `位于 ${inside.name}`
        : '已出本网格：上报后按位置归入所在网格';
    caption.style.color = !grids.length ? '#595959' : inside ? '#389e0d' : '#d46b08';
  };
  map.on('move', describe);
  // A move the worker made (drag, pinch, a zoom button) picks the centre; moves made here do not.
  map.on('moveend', (e) => {
    if (!(e as { originalEvent?: Event }).originalEvent) return;
    const c = map.getCenter();
    onPick({ lat: c.lat, lng: c.lng });
  });
  // A tap brings the tapped spot under the pin at once (and so picks it).
  map.on('click', (e) => map.jumpTo({ center: e.lngLat }, { originalEvent: e.originalEvent }));
  mine.addEventListener('click', () => {
    if (!navigator.geolocation) return;
    mine.textContent = '定位中…';
    navigator.geolocation.getCurrentPosition(
      (p) => {
        mine.textContent = '◎ 我的位置';
        const fix = { lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy };
        map.jumpTo({ center: [fix.lng, fix.lat], zoom: Math.max(map.getZoom(), 16) });
        onPick(fix);
      },
      () => {
        mine.textContent = '◎ 我的位置';
        caption.textContent = '无法获取定位：请拖动地图选点';
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  });

  /**
   * Shows the whole grid: around it without a point yet, or with the point kept at the
   * centre (the grid mirrored about it must fit) when there is one.
   */
  const showGrid = (b: [[number, number], [number, number]] | null) => {
    if (!b) return;
    if (!at) {
      map.fitBounds(b, { padding: 24, duration: 0 });
      return;
    }
    const [[w, s], [e, n]] = b;
    const dx = Math.max(Math.abs(e - at.lng), Math.abs(at.lng - w));
    const dy = Math.max(Math.abs(n - at.lat), Math.abs(at.lat - s));
    const camera = map.cameraForBounds(
      [
        [at.lng - dx, at.lat - dy],
        [at.lng + dx, at.lat + dy],
      ],
      { padding: 24 },
    );
    if (camera?.zoom !== undefined)
      map.jumpTo({ center: [at.lng, at.lat], zoom: Math.min(17, Math.max(13, camera.zoom)) });
  };

  map.on('load', () => {
    map.addSource('grid', { type: 'geojson', data: empty });
    map.addSource('buildings', { type: 'geojson', data: empty });
    map.addLayer({
      id: 'grid-fill',
      type: 'fill',
      source: 'grid',
      paint: { 'fill-color': '#d6e4ff', 'fill-opacity': 0.35 },
    });
    map.addLayer({
      id: 'grid-line',
      type: 'line',
      source: 'grid',
      paint: { 'line-color': '#2f54eb', 'line-width': 2 },
    });
    addLabelLayers(map, 'light');
    map.addLayer({
      id: 'buildings',
      type: 'circle',
      source: 'buildings',
      paint: {
        'circle-radius': 5,
        'circle-color': '#389e0d',
        'circle-stroke-color': '#fff',
        'circle-stroke-width': 1.5,
      },
    });
    map.addLayer({
      id: 'building-names',
      type: 'symbol',
      source: 'buildings',
      minzoom: 13,
      layout: {
        'text-field': ['get', 'name'],
        'text-size': 11,
        'text-offset': [0, 1.1],
        'text-anchor': 'top',
        'text-optional': true,
      },
      paint: { 'text-color': '#237804', 'text-halo-color': '#fff', 'text-halo-width': 1.2 },
    });
    describe();
    void json<{ mapTileUrl: string }>('/api/config/public').then((c) => {
      if (c?.mapTileUrl) setTiles(map, c.mapTileUrl, 'light');
    });
    if (!gridId) return;
    // The worker's grid, drawn so the point has a place around it (skipped offline).
    void json<{ items: Grid[] }>(`/api/org/units/${gridId}/grids`).then((r) => {
      grids = (r?.items ?? []).filter((g) => g.geometry);
      (map.getSource('grid') as GeoJSONSource | undefined)?.setData({
        type: 'FeatureCollection',
        features: grids.map((g) => ({
          type: 'Feature' as const,
          geometry: g.geometry as AreaGeometry,
          properties: {},
        })),
      });
      setAreas(map, [], grids);
      showGrid(boundsOf(grids.map((g) => g.geometry)));
      describe();
    });
    void json<{ features: unknown[] }>('/api/places/map?layers=buildings').then((fc) => {
      if (fc)
        (map.getSource('buildings') as GeoJSONSource | undefined)?.setData(
          fc as unknown as Parameters<GeoJSONSource['setData']>[0],
        );
    });
  });

  return {
    moveTo(p) {
      const c = map.getCenter();
      if (Math.abs(c.lat - p.lat) > 1e-6 || Math.abs(c.lng - p.lng) > 1e-6)
        map.jumpTo({ center: [p.lng, p.lat], zoom: Math.max(map.getZoom(), 16) });
    },
    destroy: () => map.remove(),
  };
}
