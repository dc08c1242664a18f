import { z } from 'zod';
import { applicationStates } from '../services/stateMachine.js';
import { intId, pageQuery } from './common.js';
import { serviceCategories } from './services.js';

/**
 * 网上申办 (issue 17 item 4): a signed-in resident applies for a catalogue item from the portal
 * (/r) and follows it in "我的事项". The applicant is the resident himself (his real-name
 * binding); the window of his community looks it over and takes it in (受理).
 */
export const onlineApplicationInput = z.object({
  serviceCode: z.string().min(1).max(32),
  /** Every material of the item's current version: the file he uploaded for it, or none. */
  materials: z
    .array(
      z.object({
        name: z.string().trim().min(1).max(100),
        fileId: z.string().uuid().optional(),
        /** 容缺: the date he promises a waivable material by. */
        promisedDate: z.iso.date().optional(),
      }),
    )
    .max(40),
  form: z.record(z.string().max(40), z.union([z.string().max(500), z.number()])).optional(),
  /** The community whose window takes it in; by default that of his entry in the resident file. */
  orgUnitId: intId.optional(),
  phone: z
    .string()
    .regex(/^1\d{10}$/, '请输入 11 位手机号')
    .optional(),
  /** The phone's key for this submission: sent again (a retry), it finds the same application. */
  idempotencyKey: z.string().min(8).max(64),
});
export type OnlineApplicationInput = z.infer<typeof onlineApplicationInput>;

/** Where an application stands, in the resident's words (no staff names, no internal notes). */
export const myApplicationSteps = [
  'submitted',
  'accepted',
  'inProgress',
  'needMaterial',
  'done',
  'collected',
  'rejected',
  'withdrawn',
  'rated',
] as const;
export type MyApplicationStep = (typeof myApplicationSteps)[number];

export const myApplicationSummary = z.object({
  id: z.string().uuid(),
  code: z.string(),
  serviceCode: z.string(),
  serviceName: z.string(),
  status: z.enum(applicationStates),
  step: z.enum(myApplicationSteps),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const myApplicationList = z.object({ items: z.array(myApplicationSummary), total: z.number().int() });
export const myApplicationQuery = pageQuery;

export const myApplication = myApplicationSummary.extend({
  /** The promised date (China time) once the clock runs. */
  dueDate: z.string().nullable(),
  materials: z.array(z.object({ name: z.string(), required: z.boolean(), provided: z.boolean() })),
  /** Materials he is asked to bring or upload (补正), all at once. */
  missing: z.array(z.string()),
  /** The decision's text for him: the result, or the reason it was not taken in or done. */
  result: z.string().nullable(),
  timeline: z.array(
    z.object({
      step: z.enum(myApplicationSteps),
      at: z.string(),
      /** The reason of a refusal, the materials asked for: what is addressed to him. */
      note: z.string().nullable(),
    }),
  ),
  /** A certificate was issued and is valid: GET /api/my/applications/{id}/certificate.pdf. */
  certificate: z.boolean(),
  /** His rating (1 非常满意 … 5 非常不满意), once given. */
  rating: z.number().int().nullable(),
  canRate: z.boolean(),
});
export type MyApplication = z.infer<typeof myApplication>;

export const myRatingInput = z.object({
  level: z.number().int().min(1, '请选择评价').max(5, '请选择评价'),
  comment: z.string().trim().max(500, '意见不超过 500 字').optional(),
});

/** The communities a resident may send an online application to (their windows). */
export const publicCommunityList = z.object({
  items: z.array(z.object({ id: z.number().int(), name: z.string(), streetName: z.string() })),
});

/** Guide search: words in the name, or a category. */
export const publicServiceQuery = z.object({
  q: z.string().trim().max(50).optional(),
  category: z.enum(serviceCategories).optional(),
});
