import type { AreaGeometry } from '@civicgrid/core/api/org';
import { Marker, Map as MlMap, NavigationControl, setWorkerUrl } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';

setWorkerUrl(workerUrl);

/**
 * The field app's point picker, loaded only when asked for: plain MapLibre, no framework
 * inside, so this chunk shares nothing with the app shell (which is inlined into m.html).
 */
export function mountPicker(
  el: HTMLElement,
  at: { lat: number; lng: number } | null,
  onPick: (p: { lat: number; lng: number }) => void,
  gridId: number | null = null,
): () => void {
  const center: [number, number] = at ? [at.lng, at.lat] : [109.82, 40.64];
  const map = new MlMap({
    container: el,
    style: {
      version: 8,
      sources: {},
      layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#eef2f6' } }],
    },
    center,
    zoom: at ? 16 : 11,
    attributionControl: false,
  });
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
  const pin = new Marker({ color: '#cf1322', draggable: true }).setLngLat(center).addTo(map);
  pin.on('dragend', () => {
    const p = pin.getLngLat();
    onPick({ lat: p.lat, lng: p.lng });
  });
  map.on('click', (e) => {
    pin.setLngLat(e.lngLat);
    onPick({ lat: e.lngLat.lat, lng: e.lngLat.lng });
  });
  // The worker's grid, drawn so the point has a place around it (skipped offline).
  if (gridId)
    map.on('load', () => {
      fetch(`/api/org/units/${gridId}/grids`, { credentials: 'same-origin' })
        .then((r) => (r.ok ? r.json() : { items: [] }))
        .then((r: { items: { geometry: AreaGeometry | null }[] }) => {
          const features = r.items
            .filter((g) => g.geometry)
            .map((g) => ({
              type: 'Feature' as const,
              geometry: g.geometry as AreaGeometry,
              properties: {},
            }));
          map.addSource('grid', { type: 'geojson', data: { type: 'FeatureCollection', features } });
          map.addLayer({
            id: 'grid-fill',
            type: 'fill',
            source: 'grid',
            paint: { 'fill-color': '#d6e4ff', 'fill-opacity': 0.4 },
          });
          map.addLayer({
            id: 'grid-line',
            type: 'line',
            source: 'grid',
            paint: { 'line-color': '#2f54eb', 'line-width': 1.5 },
          });
        })
        .catch(() => undefined);
    });
  return () => map.remove();
}
