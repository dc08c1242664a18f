import { z } from 'zod';
import { controlCharacters } from '../participation/councils.js';
import { type PartyOrgLevel, partyMemberRoles, partyOrgLevels } from '../participation/partyOrgs.js';
import { intId, pageQuery } from './common.js';

/**
 * 党组织 on the grid (issue 19 item 1): the tree of the user's area, its organizations with
 * their members and 党员中心户, and a grid's party branch for the grid's page.
 */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const level = z.enum(partyOrgLevels, { error: '请选择党组织层级' });
const role = z.enum(partyMemberRoles, { error: '请选择党内职务' });
const plain = (s: string) => !controlCharacters.test(s);
const orgName = z
  .string()
  .trim()
  .min(2, '请填写党组织名称（至少 2 个字）')
  .max(60, '名称不超过 60 个字')
  .refine(plain, '名称不能含控制字符');
const memberName = z
  .string()
  .trim()
  .min(2, '请填写姓名（至少 2 个字）')
  .max(30, '姓名不超过 30 个字')
  .refine(plain, '姓名不能含控制字符');

export const partyOrgInput = z.object({
  level,
  name: orgName,
  /** The organization one level up; absent only for a 街道党工委. */
  parentId: z.string().uuid('请选择上级党组织').optional(),
  /** The street, community or grid it is bound to (a building group: its branch's grid). */
  orgUnitId: intId,
  /** A 楼栋党小组's building, in its branch's grid. */
  buildingId: intId.optional(),
  foundedOn: day.optional(),
});
export type PartyOrgInput = z.infer<typeof partyOrgInput>;

export const partyOrgPatch = z
  .object({
    name: orgName.optional(),
    foundedOn: day.nullable().optional(),
  })
  .refine((v) => v.name !== undefined || v.foundedOn !== undefined, {
    message: '请至少修改一项',
    path: ['name'],
  });
export type PartyOrgPatch = z.infer<typeof partyOrgPatch>;

export const partyOrgTreeQuery = z.object({ orgUnitId: intId.optional() });

/** A 党员中心户 as the tree and the detail show it. */
export const partyHousehold = z.object({
  id: z.string().uuid(),
  memberId: z.string().uuid(),
  memberName: z.string(),
  partyOrgId: z.string().uuid(),
  /** The home: building, 单元 and room (the standard address), when it is on file. */
  address: z.string().nullable(),
  services: z.array(z.string()),
  neighbours: z.number().int().nullable(),
  markedOn: z.string(),
  unmarkedAt: z.string().nullable(),
});
export type PartyHousehold = z.infer<typeof partyHousehold>;

export interface PartyOrgNode {
  id: string;
  level: PartyOrgLevel;
  name: string;
  orgUnitId: number;
  orgUnitName: string;
  buildingName: string | null;
  secretaryName: string | null;
  members: number;
  households: PartyHousehold[];
  children: PartyOrgNode[];
}
export const partyOrgNode: z.ZodType<PartyOrgNode> = z.lazy(() =>
  z.object({
    id: z.string().uuid(),
    level,
    name: z.string(),
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    buildingName: z.string().nullable(),
    secretaryName: z.string().nullable(),
    /** Live members of this organization (not of those below). */
    members: z.number().int(),
    /** Its 党员中心户 (the tree's fifth level). */
    households: z.array(partyHousehold),
    children: z.array(partyOrgNode),
  }),
);
export const partyOrgTree = z.object({ items: z.array(partyOrgNode) });

export const partyOrgDetail = z.object({
  id: z.string().uuid(),
  level,
  name: z.string(),
  parentId: z.string().uuid().nullable(),
  parentName: z.string().nullable(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  buildingId: z.number().int().nullable(),
  buildingName: z.string().nullable(),
  foundedOn: z.string().nullable(),
  secretary: z.object({ id: z.string().uuid(), name: z.string() }).nullable(),
  members: z.number().int(),
  /** The organizations one level down. */
  children: z.array(z.object({ id: z.string().uuid(), level, name: z.string(), members: z.number().int() })),
  /** The 党员中心户 of this organization and those below it. */
  households: z.array(partyHousehold),
  retiredAt: z.string().nullable(),
});
export type PartyOrgDetail = z.infer<typeof partyOrgDetail>;

export const partyMemberInput = z
  .object({
    /** The member's resident file, when he lives in the area: his name and home come from it. */
    residentId: z.string().uuid('请选择居民').optional(),
    /** Only for a member not on file. */
    name: memberName.optional(),
    role: role.default('member'),
    joinedOn: day.optional(),
    inService: z.boolean().default(false),
  })
  .refine((v) => v.residentId !== undefined || v.name !== undefined, {
    message: '请选择居民档案，或填写未在册党员的姓名',
    path: ['residentId'],
  });
export type PartyMemberInput = z.infer<typeof partyMemberInput>;

/**
 * 修改党员 (PATCH …/members/{memberId}): his role, when he joined, whether he is in service, and
 * the name of a member not on file. The same rules as registering him: one secretary.
 */
export const partyMemberPatch = z
  .object({
    name: memberName.optional(),
    role: role.optional(),
    joinedOn: day.nullable().optional(),
    inService: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), {
    message: '请至少修改一项',
    path: ['role'],
  });
export type PartyMemberPatch = z.infer<typeof partyMemberPatch>;

export const partyMember = z.object({
  id: z.string().uuid(),
  partyOrgId: z.string().uuid(),
  name: z.string(),
  residentId: z.string().uuid().nullable(),
  /** From the resident file, always masked (138****5678); null when not on file. */
  phone: z.string().nullable(),
  address: z.string().nullable(),
  role,
  joinedOn: z.string().nullable(),
  inService: z.boolean(),
  /** His household is a live 党员中心户. */
  household: z.boolean(),
  createdAt: z.string(),
  removedAt: z.string().nullable(),
});
export type PartyMember = z.infer<typeof partyMember>;
export const partyMemberQuery = pageQuery.extend({
  q: z.string().trim().max(30).optional(),
  role: role.optional(),
});
export const partyMemberList = z.object({ items: z.array(partyMember), total: z.number().int() });
export const partyMemberParam = z.object({ id: z.string().uuid(), memberId: z.string().uuid() });

export const partyHouseholdInput = z.object({
  memberId: z.string().uuid('请选择党员'),
  /** What the household does for its neighbours. */
  services: z
    .array(z.string().trim().min(1).max(30, '每项不超过 30 个字'))
    .min(1, '请至少填写一项服务内容')
    .max(10),
  /** How many neighbouring households it keeps in touch with (联系服务户数). */
  neighbours: z.number().int().min(0, '户数不能为负').max(500).optional(),
  markedOn: day.optional(),
});
export type PartyHouseholdInput = z.infer<typeof partyHouseholdInput>;
export const partyHouseholdParam = z.object({ id: z.string().uuid(), householdId: z.string().uuid() });

export const gridIdParam = z.object({ id: intId });
/** A grid's party branch for the grid's page: null where none has been set up. */
export const gridPartyBranch = z.object({
  gridId: z.number().int(),
  gridName: z.string(),
  branch: partyOrgDetail.nullable(),
});
export type GridPartyBranch = z.infer<typeof gridPartyBranch>;
