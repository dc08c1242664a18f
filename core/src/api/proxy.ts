import { z } from 'zod';
import { applicationStates } from '../services/stateMachine.js';
import { intId, pageQuery } from './common.js';
import { consentMethods, proxyConsent } from './proxyConsent.js';
import { applicationCreated, applicationInput, applicationSummary } from './services.js';

/**
 * 帮办代办 (issue 15 item 4): proxy points (代办点) where agents take matters in, and the
 * resident's consent an application taken in on the resident's behalf must carry.
 */

export * from './proxyConsent.js';

/**
 * `POST /api/proxy-applications`: the agent (field app /m) takes a matter in for a resident
 * picked from the file — the applicant's name and ID number come from it, so the phone never
 * holds an ID number in clear.
 */
export const proxyApplicationInput = applicationInput
  .pick({ serviceCode: true, materials: true, form: true, idempotencyKey: true })
  .extend({
    residentId: z.string().uuid(),
    phone: applicationInput.shape.applicant.shape.phone,
    consent: proxyConsent.optional(),
  });
export type ProxyApplicationInput = z.infer<typeof proxyApplicationInput>;
export const proxyApplicationCreated = applicationCreated;

export const proxyApplicationListQuery = pageQuery.extend({
  status: z.enum(applicationStates).optional(),
});
export type ProxyApplicationListQuery = z.infer<typeof proxyApplicationListQuery>;

/** 我代办的: the agent's applications with how the resident agreed. */
export const proxyApplicationSummary = applicationSummary.extend({
  agentName: z.string(),
  proxyPointName: z.string().nullable(),
  consentMethod: z.enum(consentMethods),
  consentAt: z.string(),
});
export const proxyApplicationList = z.object({
  items: z.array(proxyApplicationSummary),
  total: z.number().int(),
});

// ——— proxy points (代办点)

const point = z.object({ lng: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) });

const proxyPointFields = {
  name: z.string().trim().min(2).max(100),
  address: z.string().trim().min(2).max(200),
  location: point,
  /** The grid (or community) the point serves; inside the editor's jurisdiction. */
  orgUnitId: intId,
  contactName: z.string().trim().max(50).default(''),
  contactPhone: z
    .string()
    .trim()
    .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, '请输入手机号或座机号')
    .or(z.literal(''))
    .default(''),
  openingHours: z.string().trim().max(100).default(''),
  /** The agents (代办员): users of the point's area. */
  agentIds: z.array(z.string().uuid()).max(20).default([]),
};
export const proxyPointInput = z.object(proxyPointFields);
export type ProxyPointInput = z.infer<typeof proxyPointInput>;
export const proxyPointPatch = z
  .object({
    name: proxyPointFields.name,
    address: proxyPointFields.address,
    location: point,
    orgUnitId: intId,
    contactName: z.string().trim().max(50),
    contactPhone: proxyPointFields.contactPhone.unwrap(),
    openingHours: z.string().trim().max(100),
    agentIds: z.array(z.string().uuid()).max(20),
    /** Closed: kept on record, no longer on the map. */
    retired: z.boolean(),
  })
  .partial();
export type ProxyPointPatch = z.infer<typeof proxyPointPatch>;

export const proxyPoint = z.object({
  id: z.number().int(),
  name: z.string(),
  address: z.string(),
  location: point,
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  contactName: z.string(),
  contactPhone: z.string(),
  openingHours: z.string(),
  agents: z.array(z.object({ id: z.string(), name: z.string() })),
  retired: z.boolean(),
  /** Proxy applications its agents carried. */
  applications: z.number().int(),
});
export type ProxyPoint = z.infer<typeof proxyPoint>;
export const proxyPointListQuery = pageQuery.extend({
  q: z.string().trim().max(40).optional(),
  orgUnitId: intId.optional(),
  retired: z.enum(['true', 'false']).optional(),
});
export type ProxyPointListQuery = z.infer<typeof proxyPointListQuery>;
export const proxyPointList = z.object({ items: z.array(proxyPoint), total: z.number().int() });

/** `GET /api/proxy-points/map`: open points in scope as GeoJSON (`[lng, lat]`), a layer of the map. */
export const proxyPointMap = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
      properties: z.object({
        layer: z.literal('proxyPoint'),
        id: z.number(),
        name: z.string(),
        address: z.string(),
        openingHours: z.string(),
      }),
    }),
  ),
});
export type ProxyPointMap = z.infer<typeof proxyPointMap>;

/** People who may be named an agent of a point of the unit: its users holding application:proxy. */
export const proxyAgentQuery = z.object({ orgUnitId: intId });
export const proxyAgentList = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string(), orgUnitName: z.string().nullable() })),
});
