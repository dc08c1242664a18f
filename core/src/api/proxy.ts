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

/**
 * `GET /api/proxy-agents/eligible?residentId=`: who may carry a matter of this resident when
 * the window takes it in as 帮办代办 — the agents of open proxy points serving the resident's
 * area and the grid workers of the resident's grid (the rule the intake itself checks).
 */
export const eligibleAgentQuery = z.object({ residentId: z.string().uuid() });
export const eligibleAgentList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      /** The point the agent carries it from; null for a grid worker of the resident's grid. */
      proxyPointId: z.number().int().nullable(),
      proxyPointName: z.string().nullable(),
    }),
  ),
});
export type EligibleAgentList = z.infer<typeof eligibleAgentList>;

// ——— 请网格员帮办: a resident's request from /r that a grid worker carry an item for him

export const proxyRequestStatuses = ['open', 'taken', 'done', 'cancelled'] as const;
export type ProxyRequestStatus = (typeof proxyRequestStatuses)[number];

/**
 * `POST /api/my/proxy-requests`: from an item's guide page. It goes to his grid (his resident
 * file, found by his real-name binding); without one he names his community (`orgUnitId`).
 * `consent` must be true: he agrees to be carried, and the time is recorded.
 */
export const proxyRequestInput = z.object({
  serviceCode: z.string().min(1).max(32),
  note: z.string().trim().max(200, '说明不超过 200 字').default(''),
  contactTime: z.string().trim().max(50, '方便联系的时间不超过 50 字').default(''),
  phone: z
    .string()
    .regex(/^1\d{10}$/, '请输入 11 位手机号')
    .optional(),
  orgUnitId: intId.optional(),
  consent: z.literal(true, { error: '请同意由网格员为您代办' }),
  idempotencyKey: z.string().min(8).max(64),
});
export type ProxyRequestInput = z.infer<typeof proxyRequestInput>;

/** A proxy request as the resident sees it (the taker's name only; no staff phones). */
export const myProxyRequest = z.object({
  id: z.string(),
  serviceCode: z.string(),
  itemName: z.string(),
  note: z.string(),
  contactTime: z.string(),
  orgUnitName: z.string(),
  status: z.enum(proxyRequestStatuses),
  takenByName: z.string().nullable(),
  applicationId: z.string().nullable(),
  consentAt: z.string(),
  createdAt: z.string(),
});
export type MyProxyRequest = z.infer<typeof myProxyRequest>;
export const myProxyRequestList = z.object({ items: z.array(myProxyRequest), total: z.number().int() });
export const myProxyRequestQuery = pageQuery;

/** A proxy request as the grid's workers see it: the resident's name, his phone masked. */
export const proxyRequestView = myProxyRequest.extend({
  residentId: z.string().nullable(),
  requesterName: z.string(),
  phoneMasked: z.string().nullable(),
  takenById: z.string().nullable(),
  /** What the actor may do with it now. */
  allowedActions: z.array(z.enum(['take', 'cancel'])),
});
export type ProxyRequestView = z.infer<typeof proxyRequestView>;
export const proxyRequestListQuery = pageQuery.extend({ status: z.enum(proxyRequestStatuses).optional() });
export type ProxyRequestListQuery = z.infer<typeof proxyRequestListQuery>;
export const proxyRequestList = z.object({ items: z.array(proxyRequestView), total: z.number().int() });
export const proxyRequestAction = z.enum(['take', 'cancel']);
export const proxyRequestActionParams = z.object({ id: z.string().uuid(), action: proxyRequestAction });
