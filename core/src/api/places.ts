import { z } from 'zod';
import { intId, intIdParam, pageQuery } from './common.js';

export const buildingTypes = [
  'residential',
  'bungalow',
  'commercial',
  'office',
  'mixed',
  'public',
  'other',
] as const;
export const buildingTypeNames: Record<(typeof buildingTypes)[number], string> = {
  residential: '住宅楼',
  bungalow: '平房',
  commercial: '商业楼',
  office: '办公楼',
  mixed: '商住混合',
  public: '公共建筑',
  other: '其他',
};

export const housingUses = ['ownerOccupied', 'rented', 'vacant', 'commercial', 'other'] as const;
export const housingUseNames: Record<(typeof housingUses)[number], string> = {
  ownerOccupied: '自住',
  rented: '出租',
  vacant: '空置',
  commercial: '经营',
  other: '其他',
};

export const organizationKinds = [
  'enterprise',
  'shop',
  'school',
  'medical',
  'socialOrg',
  'government',
  'other',
] as const;
export const organizationKindNames: Record<(typeof organizationKinds)[number], string> = {
  enterprise: '企业',
  shop: '个体商户',
  school: '学校',
  medical: '医疗机构',
  socialOrg: '社会组织',
  government: '机关事业单位',
  other: '其他',
};

/**
 * Component (部件) types after GB/T 30428.2: major class (2 digits) + minor class (2). The
 * codes line up with the component case categories (C0103 路灯不亮 ↔ 0103 路灯).
 */
export const facilityTypes: Record<string, string> = {
  '0101': '井盖',
  '0102': '消防栓',
  '0103': '路灯',
  '0104': '公厕',
  '0105': '电力通信设施',
  '0201': '交通信号灯',
  '0202': '交通标志',
  '0203': '护栏',
  '0205': '公交站亭',
  '0301': '垃圾箱',
  '0302': '垃圾收集点',
  '0401': '行道树',
  '0402': '绿地',
  '0601': '健身器材',
  '0602': '监控设备',
  '0603': '电动车充电设施',
};
export const facilityMajorClasses: Record<string, string> = {
  '01': '公用设施',
  '02': '道路交通',
  '03': '市容环境',
  '04': '园林绿化',
  '05': '房屋土地',
  '06': '其他设施',
};
export const facilityStates = ['normal', 'damaged', 'missing', 'retired'] as const;
export const facilityStateNames: Record<(typeof facilityStates)[number], string> = {
  normal: '完好',
  damaged: '损坏',
  missing: '丢失',
  retired: '废弃',
};

const lng = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);

export const buildingInput = z.object({
  name: z.string().trim().min(1, '请填写楼栋名称').max(40),
  address: z.string().trim().min(1, '请填写标准地址').max(200),
  type: z.enum(buildingTypes).default('residential'),
  floors: z.number().int().min(1, '层数至少为1').max(200),
  gridId: intId,
  lng,
  lat,
});
export type BuildingInput = z.infer<typeof buildingInput>;

export const building = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  address: z.string(),
  type: z.enum(buildingTypes),
  floors: z.number().int(),
  gridId: z.number().int(),
  gridName: z.string(),
  communityName: z.string().nullable(),
  lng: z.number(),
  lat: z.number(),
  housingUnits: z.number().int(),
  residents: z.number().int(),
});
export type Building = z.infer<typeof building>;

export const housingUnitInput = z.object({
  unitNo: z.number().int().min(1).max(99),
  floor: z.number().int().min(-9, '楼层不能低于-9').max(99),
  room: z
    .string()
    .trim()
    .regex(/^\d{1,2}$/, '房号为1–2位数字'),
  use: z.enum(housingUses).default('ownerOccupied'),
  area: z.number().positive().max(100_000).optional(),
});
export type HousingUnitInput = z.infer<typeof housingUnitInput>;

/** What may change of a unit once registered: its use and its area. */
export const housingUnitPatch = z.object({
  use: z.enum(housingUses).optional(),
  area: z.number().positive().max(100_000).optional(),
});
export type HousingUnitPatch = z.infer<typeof housingUnitPatch>;
export const housingUnitUpdated = z.object({ id: z.number(), use: z.string() });

/** A record just made, named by its id and its code (a housing unit, a household). */
export const createdWithCode = z.object({ id: z.number(), code: z.string() });

export const housingUnit = z.object({
  id: z.number().int(),
  code: z.string(),
  buildingId: z.number().int(),
  address: z.string(),
  unitNo: z.number().int(),
  floor: z.number().int(),
  room: z.string(),
  use: z.enum(housingUses),
  area: z.number().nullable(),
  households: z.array(
    z.object({
      id: z.number().int(),
      code: z.string(),
      members: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          relationToHead: z.string().nullable(),
          age: z.number(),
        }),
      ),
    }),
  ),
});
export type HousingUnit = z.infer<typeof housingUnit>;

/** The grid of a building is fixed: moving one is re-registering it. */
export const buildingPatch = buildingInput.omit({ gridId: true }).partial();

export const buildingListQuery = pageQuery.extend({
  q: z.string().trim().max(40).optional(),
  orgUnitId: intId.optional(),
  type: z.enum(buildingTypes).optional(),
});

export const organizationInput = z.object({
  name: z.string().trim().min(1, '请填写单位名称').max(100),
  /** GB 32100: 18 characters, the last a check character. */
  creditCode: z.string().trim().toUpperCase().length(18, '统一社会信用代码应为18位'),
  kind: z.enum(organizationKinds),
  address: z.string().trim().min(1, '请填写地址').max(200),
  gridId: intId,
  buildingId: intId.optional(),
  lng: lng.optional(),
  lat: lat.optional(),
  contactName: z.string().trim().max(40).optional(),
  contactPhone: z
    .string()
    .regex(/^1[3-9]\d{9}$/, '请输入11位手机号')
    .optional(),
  employees: z.number().int().min(0).max(1_000_000).optional(),
  notes: z.string().max(1000).optional(),
});
export type OrganizationInput = z.infer<typeof organizationInput>;

export const organization = z.object({
  id: z.number().int(),
  name: z.string(),
  creditCode: z.string(),
  kind: z.enum(organizationKinds),
  address: z.string(),
  gridId: z.number().int(),
  gridName: z.string(),
  buildingId: z.number().int().nullable(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  contactName: z.string().nullable(),
  /** Masked, like every phone number. */
  contactPhone: z.string().nullable(),
  employees: z.number().int().nullable(),
  notes: z.string().nullable(),
});
export type Organization = z.infer<typeof organization>;

export const organizationPatch = organizationInput.omit({ creditCode: true, gridId: true }).partial();
export type OrganizationPatch = z.infer<typeof organizationPatch>;

export const organizationListQuery = pageQuery.extend({
  q: z.string().trim().max(40).optional(),
  creditCode: z.string().trim().max(18).optional(),
  orgUnitId: intId.optional(),
  kind: z.enum(organizationKinds).optional(),
});

export const facilityInput = z.object({
  typeCode: z.string().refine((c) => Object.hasOwn(facilityTypes, c), '部件类型不存在'),
  name: z.string().trim().min(1, '请填写名称').max(60),
  state: z.enum(facilityStates).default('normal'),
  gridId: intId,
  lng,
  lat,
  owner: z.string().trim().max(60).optional(),
});
export type FacilityInput = z.infer<typeof facilityInput>;

export const facility = z.object({
  id: z.number().int(),
  code: z.string(),
  typeCode: z.string(),
  typeName: z.string(),
  name: z.string(),
  state: z.enum(facilityStates),
  gridId: z.number().int(),
  gridName: z.string(),
  lng: z.number(),
  lat: z.number(),
  owner: z.string().nullable(),
});
export type Facility = z.infer<typeof facility>;

export const facilityPatch = facilityInput
  .pick({ name: true, state: true, owner: true, lng: true, lat: true })
  .partial();
export type FacilityPatch = z.infer<typeof facilityPatch>;

export const facilityListQuery = pageQuery.extend({
  q: z.string().trim().max(40).optional(),
  orgUnitId: intId.optional(),
  typeCode: z.string().max(4).optional(),
  state: z.enum(facilityStates).optional(),
});

export const placesMapQuery = z.object({
  bbox: z
    .string()
    .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'bbox 应为 西,南,东,北')
    .optional(),
  layers: z.string().max(40).default('buildings,facilities'),
});

export const householdInput = z.object({
  housingUnitId: intId.optional(),
  gridId: intId,
  kind: z.enum(['family', 'collective']).default('family'),
});
export const householdMemberInput = z.object({
  residentId: z.string().uuid(),
  relationToHead: z.string().trim().min(1, '请填写与户主关系').max(20),
});
export type HouseholdInput = z.infer<typeof householdInput>;
export const householdMemberParams = z.object({ id: intIdParam.shape.id, residentId: z.string().uuid() });

/** 登记住址: the dwelling a person lives in and the relation to its household's head. */
export const residentSettlement = z.object({
  housingUnitId: intIdParam.shape.id,
  relationToHead: z.string().trim().min(1, '请填写与户主关系').max(20),
});
export type ResidentSettlement = z.infer<typeof residentSettlement>;
export const residentSettled = z.object({ householdId: z.number() });

/** A building with its units, their households and members (in the viewer's scope). */
export const buildingDetail = z.object({ building, units: z.array(housingUnit) });

/** `GET /api/places/map`: buildings and facilities in scope as GeoJSON points (`[lng, lat]`). */
export const placeMap = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
      properties: z.union([
        z.object({ layer: z.literal('building'), id: z.number(), name: z.string(), type: z.string() }),
        z.object({
          layer: z.literal('facility'),
          id: z.number(),
          name: z.string(),
          typeCode: z.string(),
          typeName: z.string(),
          state: z.string(),
        }),
      ]),
    }),
  ),
});
export type PlaceMap = z.infer<typeof placeMap>;
