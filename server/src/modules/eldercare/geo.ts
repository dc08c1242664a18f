import type { SafeArea } from '@civicgrid/core/api/eldercare';

const earthRadiusM = 6_371_008.8;

/** Great-circle distance in metres (haversine; plenty for a safe area of a few hundred metres). */
export function distanceM(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * earthRadiusM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Whether a point lies in the safe area: within the circle, or inside the polygon (ray casting). */
export function insideArea(area: SafeArea, lat: number, lng: number): boolean {
  if ('center' in area) return distanceM(area.center, { lat, lng }) <= area.radiusM;
  let inside = false;
  const ring = area.polygon;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
