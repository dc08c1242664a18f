import { z } from 'zod';

/**
 * The public map of reports (issue 17 item 6, as FixMyStreet shows them): only categories an
 * administrator opened to it, and of each report only what cannot name anybody — the
 * resident-facing category, the status in plain words, the dates, the point rounded to about
 * 50 m, and the description only where the reporter ticked "公开描述" when reporting.
 */

/** Metres in a degree of latitude (WGS-84 mean, good to 0.5 % at any latitude). */
const metresPerDegree = 111_320;
/** The size of a cell of the public map's grid. */
export const publicRoundingMetres = 50;

/**
 * Snaps a point to the centre line of a ~50 m grid: latitude to multiples of 50 m of latitude
 * (0.000449°), then longitude to multiples of 50 m at the rounded latitude. Rounding, not
 * jitter: the same point always lands on the same spot, so averaging many reads of it tells
 * nothing more; every point shows as the nearest node of the grid, at most ~35 m away.
 */
export function roundPoint(p: { lat: number; lng: number }): { lat: number; lng: number } {
  const latStep = publicRoundingMetres / metresPerDegree;
  const lat = Math.round(p.lat / latStep) * latStep;
  const lngStep = publicRoundingMetres / (metresPerDegree * Math.cos((lat * Math.PI) / 180));
  const lng = Math.round(p.lng / lngStep) * lngStep;
  return { lat: Number(lat.toFixed(6)), lng: Number(lng.toFixed(6)) };
}

const bboxShape = /^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/;

export const publicReportQuery = z.object({
  /** `minLng,minLat,maxLng,maxLat` (GeoJSON order); absent: everywhere. */
  bbox: z
    .string()
    .regex(bboxShape, 'bbox 格式为 最小经度,最小纬度,最大经度,最大纬度')
    .refine((s) => {
      const [a, b, c, d] = s.split(',').map(Number) as [number, number, number, number];
      return a >= -180 && c <= 180 && b >= -90 && d <= 90 && a <= c && b <= d;
    }, 'bbox 超出范围或最小值大于最大值')
    .optional(),
  /** Reports made on or after this date (YYYY-MM-DD or a full timestamp); absent: the last 90 days. */
  since: z
    .string()
    .refine(
      (s) => /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s)),
      'since 应为日期，如 2026-11-01',
    )
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const publicStatuses = ['open', 'inProgress', 'fixed', 'closed'] as const;
export const publicStatusNames: Record<(typeof publicStatuses)[number], string> = {
  open: '已收到',
  inProgress: '处理中',
  fixed: '已处理',
  closed: '已办结',
};

export const publicReport = z.object({
  /** An opaque number of this reply, not the case's id or code. */
  ref: z.number().int(),
  category: z.string(),
  status: z.enum(publicStatuses),
  statusText: z.string(),
  reportedAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
  /** Rounded to ~50 m (`roundPoint`). */
  location: z.object({ lat: z.number(), lng: z.number() }),
  /** Only where the reporter allowed it. */
  description: z.string().nullable(),
});
export type PublicReport = z.infer<typeof publicReport>;
export const publicReportList = z.object({
  items: z.array(publicReport),
  /** Metres the points are rounded to. */
  roundedTo: z.number(),
});
