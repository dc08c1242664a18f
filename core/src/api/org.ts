import { z } from 'zod';
import { orgLevels } from '../org/levels.js';

/** A GeoJSON Polygon or MultiPolygon in WGS 84 longitude/latitude (RFC 7946). */
const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const ring = z
  .array(position)
  .min(4)
  .refine((r) => {
    const a = r[0];
    const b = r[r.length - 1];
    return a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1];
  }, 'ring must be closed (first and last positions equal)');
export const polygon = z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) });
export const multiPolygon = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(ring).min(1)).min(1),
});
export const areaGeometry = z.union([polygon, multiPolygon]);
export type AreaGeometry = z.infer<typeof areaGeometry>;

export const orgLevel = z.enum(orgLevels);

export interface OrgTreeNode {
  id: number;
  code: string;
  name: string;
  level: (typeof orgLevels)[number];
  children: OrgTreeNode[];
}
export const orgTreeNode: z.ZodType<OrgTreeNode> = z.lazy(() =>
  z.object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    level: orgLevel,
    children: z.array(orgTreeNode),
  }),
);

export const gridTeamRole = z.enum(['gridManager', 'gridAssistant', 'gridInformant']);
export const gridTeamMember = z.object({
  userId: z.string().uuid(),
  displayName: z.string(),
  role: gridTeamRole,
});

export const orgUnit = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  level: orgLevel,
  parentId: z.number().int().nullable(),
  path: z.string(),
  geometry: areaGeometry.nullable(),
  householdsTarget: z.number().int().nullable(),
  retiredAt: z.string().nullable(),
  team: z.array(gridTeamMember),
});

export const orgUnitCreate = z.object({
  parentId: z.number().int().positive(),
  name: z.string().trim().min(1).max(64),
  code: z
    .string()
    .regex(/^\d{9,15}$/)
    .optional(),
  geometry: areaGeometry.optional(),
  householdsTarget: z.number().int().min(1).max(5000).optional(),
});
export const orgUnitUpdate = z.object({
  name: z.string().trim().min(1).max(64).optional(),
  geometry: areaGeometry.nullable().optional(),
  householdsTarget: z.number().int().min(1).max(5000).nullable().optional(),
});
export const orgUnitMove = z.object({ parentId: z.number().int().positive() });
export const gridTeamUpdate = z.object({
  members: z.array(z.object({ userId: z.string().uuid(), role: gridTeamRole })).max(100),
});

export const gridFeature = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  parentId: z.number().int().nullable(),
  geometry: areaGeometry.nullable(),
  householdsTarget: z.number().int().nullable(),
});

/** An area above the grids (district, street, community) with its shape: what maps draw beneath the grids. */
export const mapArea = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  level: orgLevel,
  parentId: z.number().int().nullable(),
  geometry: areaGeometry,
});
export type MapArea = z.infer<typeof mapArea>;
export const mapAreaList = z.object({ items: z.array(mapArea) });

export const department = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  retiredAt: z.string().nullable(),
});
export const departmentCreate = z.object({
  code: z.string().regex(/^[A-Za-z0-9_-]{2,32}$/),
  name: z.string().trim().min(1).max(64),
});
export const departmentUpdate = z.object({
  name: z.string().trim().min(1).max(64).optional(),
  retired: z.boolean().optional(),
});

/** Lists leave retired units and departments out unless asked. */
export const includeRetiredQuery = z.object({ includeRetired: z.enum(['true', 'false']).optional() });
export const orgTree = z.array(orgTreeNode);
export const gridFeatureList = z.object({ items: z.array(gridFeature) });
export const departmentList = z.object({ items: z.array(department) });
