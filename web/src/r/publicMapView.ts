import type { PublicReport } from '@civicgrid/core/api/publicReports';
import { Map as MlMap, NavigationControl, setWorkerUrl } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import { baseStyle, localFonts } from '../common/map/mapStyle.js';

setWorkerUrl(workerUrl);

const colours: Record<PublicReport['status'], string> = {
  open: '#fa8c16',
  inProgress: '#1677ff',
  fixed: '#52c41a',
  closed: '#8c8c8c',
};

/**
 * The public map, loaded only when the resident opens it (MapLibre is most of a megabyte,
 * the /r shell is ~20 KB): a dot per report at its rounded point, coloured by status; moving
 * the map asks for the reports of the new view.
 */
export function mountPublicMap(
  el: HTMLElement,
  onView: (bbox: string) => void,
): { show(items: PublicReport[]): void; destroy(): void } {
  const map = new MlMap({
    container: el,
    style: baseStyle('light'),
    center: [109.83, 40.64],
    zoom: 12,
    attributionControl: false,
    localIdeographFontFamily: localFonts,
    dragRotate: false,
    pitchWithRotate: false,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
  let pending: PublicReport[] | null = null;
  const data = (items: PublicReport[]) => ({
    type: 'FeatureCollection' as const,
    features: items.map((r) => ({
      type: 'Feature' as const,
      properties: { colour: colours[r.status] },
      geometry: { type: 'Point' as const, coordinates: [r.location.lng, r.location.lat] },
    })),
  });
  const view = () => {
    const b = map.getBounds();
    onView([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((n) => n.toFixed(5)).join(','));
  };
  map.on('load', () => {
    map.addSource('reports', { type: 'geojson', data: data(pending ?? []) });
    map.addLayer({
      id: 'reports',
      type: 'circle',
      source: 'reports',
      paint: {
        'circle-radius': 7,
        'circle-color': ['get', 'colour'],
        'circle-stroke-color': '#fff',
        'circle-stroke-width': 2,
      },
    });
    view();
  });
  map.on('moveend', view);
  return {
    show(items) {
      pending = items;
      const src = map.getSource('reports') as { setData(d: unknown): void } | undefined;
      src?.setData(data(items));
    },
    destroy: () => map.remove(),
  };
}
