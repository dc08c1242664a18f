import type { AreaGeometry, OrgTreeNode } from '@civicgrid/core/api/org';

export interface OrgUnit {
  id: number;
  code: string;
  name: string;
  level: OrgTreeNode['level'];
  parentId: number | null;
  path: string;
  geometry: AreaGeometry | null;
  householdsTarget: number | null;
  retiredAt: string | null;
  team: { userId: string; displayName: string; role: 'gridManager' | 'gridAssistant' | 'gridInformant' }[];
}

export interface GridFeature {
  id: number;
  code: string;
  name: string;
  parentId: number | null;
  geometry: AreaGeometry | null;
  householdsTarget: number | null;
}

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
