import { facilityTypes, type PlaceMap } from '@civicgrid/core/api/places';
import { and, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { buildingScope, facilityScope } from './policy.js';
import { buildings, facilities } from './tables.js';

/** Buildings and facilities in scope (and in the box) as GeoJSON points, at most 5,000 each. */
export async function placesMap(
  db: Db,
  actor: Actor,
  bbox: number[] | null,
  layers: string[],
): Promise<PlaceMap> {
  const box = (t: typeof buildings | typeof facilities) =>
    bbox
      ? sql`${t.lng} between ${bbox[0]} and ${bbox[2]} and ${t.lat} between ${bbox[1]} and ${bbox[3]}`
      : undefined;
  const features: PlaceMap['features'] = [];
  if (layers.includes('buildings')) {
    const rows = await db
      .select({
        id: buildings.id,
        name: buildings.name,
        type: buildings.type,
        lng: buildings.lng,
        lat: buildings.lat,
      })
      .from(buildings)
      .where(and(buildingScope.where(actor), box(buildings)))
      .limit(5000);
    for (const b of rows)
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [b.lng, b.lat] },
        properties: { layer: 'building', id: b.id, name: b.name, type: b.type },
      });
  }
  if (layers.includes('facilities')) {
    const rows = await db
      .select({
        id: facilities.id,
        name: facilities.name,
        typeCode: facilities.typeCode,
        state: facilities.state,
        lng: facilities.lng,
        lat: facilities.lat,
      })
      .from(facilities)
      .where(and(facilityScope.where(actor), box(facilities)))
      .limit(5000);
    for (const f of rows)
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [f.lng, f.lat] },
        properties: {
          layer: 'facility',
          id: f.id,
          name: f.name,
          typeCode: f.typeCode,
          typeName: facilityTypes[f.typeCode] ?? f.typeCode,
          state: f.state,
        },
      });
  }
  return { type: 'FeatureCollection' as const, features };
}
