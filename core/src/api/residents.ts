import { z } from 'zod';
import { intId, pageQuery } from './common.js';

export const residenceTypes = ['registered', 'migrant', 'registeredAway', 'foreign', 'other'] as const;
export const residenceTypeNames: Record<(typeof residenceTypes)[number], string> = {
  registered: '户籍人口',
  migrant: '流动人口',
  registeredAway: '人户分离（户在人不在）',
  foreign: '境外人员',
  other: '其他',
};

/**
 * The tags a new installation starts its tag library with (人口标签库, configured by an admin
 * with resident:configure); a resident carries only tags from the library.
 */
export const defaultResidentTags = [
  '独居老人',
  '高龄老人',
  '残疾人',
  '低保',
  '特困',
  '退役军人',
  '留守儿童',
  '孕产妇',
];

const phone = z.string().regex(/^1[3-9]\d{9}$/, '请输入11位手机号');

export const residentInput = z.object({
  name: z.string().trim().min(1, '请填写姓名').max(40),
  /** GB 11643: checked on the server; birth date, sex and birthplace are derived from it. */
  idNumber: z.string().trim().min(1, '请填写身份证号').max(18),
  phone: phone.optional(),
  gridId: intId,
  residenceType: z.enum(residenceTypes).default('registered'),
  relationToHead: z.string().max(20).optional(),
  tags: z.array(z.string().trim().min(1).max(20)).max(20).optional(),
  notes: z.string().max(1000).optional(),
});
export type ResidentInput = z.infer<typeof residentInput>;

export const residentPatch = residentInput.omit({ idNumber: true, gridId: true }).partial();

export const residentMove = z.object({ gridId: intId, note: z.string().max(200).optional() });

/**
 * Masked unless a separate, audited reveal asks for the numbers. The masked ID number
 * (`150221********7305`) hides exactly the birth date, so the birth date is masked with it:
 * `birthDate` is null and only `age` is given, except in a revealed reply (an export with
 * `reveal=true`). Sex (17th digit) and birthplace (first six) are in the visible part.
 */
export const resident = z.object({
  id: z.string(),
  name: z.string(),
  idNumber: z.string(),
  phone: z.string().nullable(),
  sex: z.enum(['male', 'female']),
  birthDate: z.string().nullable(),
  age: z.number().int(),
  birthplaceCode: z.string(),
  residenceType: z.enum(residenceTypes),
  gridId: z.number().int(),
  gridName: z.string(),
  communityName: z.string().nullable(),
  relationToHead: z.string().nullable(),
  tags: z.array(z.string()),
  notes: z.string().nullable(),
  updatedAt: z.string(),
});
export type Resident = z.infer<typeof resident>;

export const residentListQuery = pageQuery.extend({
  q: z.string().trim().max(40).optional(),
  idNumber: z.string().trim().max(18).optional(),
  phone: z.string().trim().max(11).optional(),
  orgUnitId: intId.optional(),
  tag: z.string().max(20).optional(),
  residenceType: z.enum(residenceTypes).optional(),
  ageFrom: z.coerce.number().int().min(0).max(150).optional(),
  ageTo: z.coerce.number().int().min(0).max(150).optional(),
  /** Part of the standard address of the dwelling (road, number, building). */
  address: z.string().trim().max(100).optional(),
  /** `true`: only people with no household on record — basic data still to check. */
  unsettled: z.enum(['true', 'false']).optional(),
});
export type ResidentListQuery = z.infer<typeof residentListQuery>;

/** The export's own options: `reveal=true` (pii:reveal) writes full ID numbers, each audited. */
export const residentExportQuery = residentListQuery.omit({ page: true, pageSize: true }).extend({
  reveal: z.enum(['true', 'false']).optional(),
});
export type ResidentExportQuery = z.infer<typeof residentExportQuery>;

/** The audited reveal: the full numbers, and the birth date they carry. */
export const revealedResident = z.object({
  idNumber: z.string(),
  phone: z.string().nullable(),
  birthDate: z.string(),
});
export type RevealedResident = z.infer<typeof revealedResident>;

export const residentMoveRecord = z.object({
  fromGridName: z.string().nullable(),
  toGridName: z.string(),
  at: z.string(),
  by: z.string(),
  note: z.string().nullable(),
});

/** The profile's household block: members in the viewer's scope and the dwelling. */
export const residentHousehold = z.object({
  household: z
    .object({
      id: z.number().int(),
      code: z.string(),
      kind: z.string(),
      members: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          relationToHead: z.string().nullable(),
          age: z.number().int(),
        }),
      ),
      housing: z
        .object({
          id: z.number().int(),
          code: z.string(),
          address: z.string(),
          use: z.string(),
          buildingId: z.number().int(),
          buildingName: z.string(),
        })
        .nullable(),
    })
    .nullable(),
});

export const residentTag = z.object({
  id: z.number(),
  name: z.string(),
  description: z.string().nullable(),
  sort: z.number(),
  retired: z.boolean(),
  /** How many residents carry it now (listed with all=true; 0 otherwise). */
  residents: z.number(),
});
export type ResidentTag = z.infer<typeof residentTag>;

export const residentTagInput = z.object({
  name: z.string().trim().min(1, '请填写标签名称').max(20, '标签名称不超过20个字'),
  description: z.string().trim().max(200, '说明不超过200字').nullable().optional(),
  sort: z.number().int().min(0).max(9999).optional(),
});

export const residentTagPatch = residentTagInput.partial().extend({
  /** Retired tags stay on the residents who carry them but can no longer be given. */
  retired: z.boolean().optional(),
});

/** The tag library: active tags, or with `all=true` the retired ones and their counts too. */
export const residentTagListQuery = z.object({ all: z.enum(['true', 'false']).optional() });
export const residentTagList = z.object({ items: z.array(residentTag) });
/** `POST /api/resident-tags`: the new tag as stored. */
export const residentTagCreated = z.object({
  id: z.number(),
  name: z.string(),
  description: z.string().nullable(),
  sort: z.number(),
});
/** `PATCH /api/resident-tags/{id}`: how many residents a rename carried the new name to. */
export const residentTagUpdated = z.object({ carried: z.number() });

export const residentList = z.object({ items: z.array(resident), total: z.number() });
export const residentMoveList = z.object({ items: z.array(residentMoveRecord) });

/** The cases a person raised (found by the phone number), as far as the viewer may see them. */
export const residentCaseList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      status: z.string(),
      categoryName: z.string(),
      reportedAt: z.string(),
    }),
  ),
});
