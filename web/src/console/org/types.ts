import type { AreaGeometry, gridFeature, orgUnit } from '@civicgrid/core/api/org';
import type { z } from 'zod';

/** An org unit and a grid on the map, as the API answers them. */
export type OrgUnit = z.infer<typeof orgUnit>;
export type GridFeature = z.infer<typeof gridFeature>;

/** Reads a GeoJSON file's polygon: a Feature, a FeatureCollection's first feature, or a bare geometry. */
export function polygonFromGeoJson(text: string): AreaGeometry | null {
  try {
    const j = JSON.parse(text);
    const g =
      j?.type === 'FeatureCollection' ? j.features?.[0]?.geometry : j?.type === 'Feature' ? j.geometry : j;
    return g && (g.type === 'Polygon' || g.type === 'MultiPolygon') ? (g as AreaGeometry) : null;
  } catch {
    return null;
  }
}
