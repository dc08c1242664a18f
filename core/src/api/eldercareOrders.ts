import { z } from 'zod';
import { orderActions, orderStates } from '../eldercareOrders/stateMachine.js';
import { serviceKinds, subsidyCareLevels } from '../eldercareOrders/subsidy.js';
import { intId, pageQuery } from './common.js';

/**
 * 12349 为老服务 (issue 20 items 2–3): the service list with prices and subsidy rules, the
 * providers (服务商) with their areas, and the orders the hotline takes and dispatches.
 */

export * from '../eldercareOrders/stateMachine.js';
export * from '../eldercareOrders/subsidy.js';

/** Free text a person typed: no control characters (they break logs, sheets and screens). */
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
    .regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, '不能包含控制字符');

const point = z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) });

export const subsidyTier = z.object({
  careLevels: z.array(z.enum(subsidyCareLevels)).min(1).optional(),
  minAge: z.number().int().min(60).max(120).optional(),
  value: z.number().int().min(0),
});
export const subsidyRule = z.object({
  mode: z.enum(['percent', 'fixed']),
  tiers: z.array(subsidyTier).max(10),
});

export const elderService = z.object({
  code: z.string(),
  kind: z.enum(serviceKinds),
  name: z.string(),
  unit: z.string(),
  /** 元 (the price in fen / 100). */
  price: z.number(),
  subsidyRule: subsidyRule.nullable(),
  /** The rule in words (老人读得懂的): 失能 80%，80 岁以上 60%… */
  subsidyText: z.string(),
});
export type ElderService = z.infer<typeof elderService>;
export const elderServiceQuery = z.object({ kind: z.enum(serviceKinds).optional() });
export const elderServiceList = z.object({ items: z.array(elderService) });

// ——— providers (服务商)

const phone = z
  .string()
  .trim()
  .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8}|12349)$/, '请输入手机号或座机号');

export const providerInput = z.object({
  name: text(100).pipe(z.string().min(2, '请填写服务商名称')),
  contactName: text(40).default(''),
  phone,
  address: text(200).pipe(z.string().min(2, '请填写地址')),
  location: point,
  /** Communities (or streets) it serves; each in the editor's jurisdiction. */
  areaIds: z.array(intId).min(1, '请选择服务区域').max(100),
  serviceCodes: z.array(z.string().max(40)).min(1, '请选择服务项目').max(100),
});
export type ProviderInput = z.infer<typeof providerInput>;
export const providerPatch = providerInput.partial().extend({ active: z.boolean().optional() });
export type ProviderPatch = z.infer<typeof providerPatch>;

export const provider = z.object({
  id: z.number().int(),
  name: z.string(),
  contactName: z.string(),
  phone: z.string(),
  address: z.string(),
  location: point,
  areas: z.array(z.object({ id: z.number().int(), name: z.string() })),
  services: z.array(z.object({ code: z.string(), name: z.string(), kind: z.enum(serviceKinds) })),
  kinds: z.array(z.enum(serviceKinds)),
  /** Average of its orders' ratings (1–5); null before the first. */
  rating: z.number().nullable(),
  ratings: z.number().int(),
  orders: z.number().int(),
  active: z.boolean(),
});
export type Provider = z.infer<typeof provider>;
export const providerQuery = pageQuery.extend({
  q: text(40).optional(),
  kind: z.enum(serviceKinds).optional(),
  orgUnitId: intId.optional(),
  active: z.enum(['true', 'false', 'all']).default('true'),
});
export type ProviderQuery = z.infer<typeof providerQuery>;
export const providerList = z.object({ items: z.array(provider), total: z.number().int() });

// ——— orders (工单)

const orderAt = z.string().datetime({ offset: true });

export const orderInput = z.object({
  residentId: z.string().uuid(),
  serviceCode: z.string().trim().min(1).max(40),
  requestedAt: orderAt,
  note: text(500).optional(),
  /** Who called (the elder, a child, a neighbour) and the number to call back. */
  callerName: text(40).optional(),
  callerPhone: phone.optional(),
  callerRelation: text(20).optional(),
});
export type OrderInput = z.infer<typeof orderInput>;

export const orderActionParams = z.object({ id: z.string().uuid(), action: z.enum(orderActions) });
export const dispatchBody = z.object({ providerId: intId });
export const arriveBody = z.object({ location: point });
export const finishBody = z.object({
  note: text(500).pipe(z.string().min(1, '请填写服务情况')),
  fileIds: z.array(z.string().uuid()).max(9).optional(),
});
export const rateBody = z.object({ rating: z.number().int().min(1).max(5), comment: text(200).optional() });
export const followUpBody = z.object({ note: text(500).pipe(z.string().min(1, '请填写回访情况')) });
export const cancelBody = z.object({ reason: text(200).pipe(z.string().min(1, '请填写取消原因')) });
/** Each action's body; the route checks the one its action names. */
export const orderActionBodies = {
  dispatch: dispatchBody,
  accept: z.object({}).optional(),
  arrive: arriveBody,
  finish: finishBody,
  rate: rateBody,
  followUp: followUpBody,
  cancel: cancelBody,
} as const;
export const orderActionBody = z.record(z.string(), z.unknown()).optional();

export const orderEvent = z.object({
  action: z.string(),
  fromState: z.string().nullable(),
  toState: z.string(),
  actorName: z.string().nullable(),
  at: z.string(),
  data: z.record(z.string(), z.unknown()).nullable(),
});

export const orderSummary = z.object({
  id: z.string(),
  no: z.string(),
  status: z.enum(orderStates),
  serviceCode: z.string(),
  serviceName: z.string(),
  kind: z.enum(serviceKinds),
  /** The elder: the name, masked ID, age, the community and grid. */
  residentId: z.string(),
  elderName: z.string(),
  elderIdNumber: z.string(),
  age: z.number().int(),
  areaName: z.string(),
  address: z.string(),
  requestedAt: z.string(),
  providerId: z.number().int().nullable(),
  providerName: z.string().nullable(),
  rating: z.number().int().nullable(),
  createdAt: z.string(),
});
export type OrderSummary = z.infer<typeof orderSummary>;

export const order = orderSummary.extend({
  note: z.string().nullable(),
  callerName: z.string().nullable(),
  /** Masked (138****1234); the full number through the audited reveal. */
  callerPhone: z.string().nullable(),
  callerRelation: z.string().nullable(),
  home: point.nullable(),
  careLevel: z.enum(subsidyCareLevels),
  amount: z.number().nullable(),
  subsidy: z.number().nullable(),
  selfPaid: z.number().nullable(),
  finishNote: z.string().nullable(),
  fileIds: z.array(z.string()),
  followUpNote: z.string().nullable(),
  events: z.array(orderEvent),
  allowedActions: z.array(z.enum(orderActions)),
});
export type Order = z.infer<typeof order>;

export const orderQuery = pageQuery.extend({
  status: z.enum(orderStates).optional(),
  kind: z.enum(serviceKinds).optional(),
  providerId: intId.optional(),
  q: text(40).optional(),
  /** `mine`: the orders of the signed-in provider staff's provider that still need them. */
  open: z.enum(['true', 'false']).optional(),
});
export type OrderQuery = z.infer<typeof orderQuery>;
export const orderList = z.object({ items: z.array(orderSummary), total: z.number().int() });

export const providerSuggestion = z.object({
  id: z.number().int(),
  name: z.string(),
  phone: z.string(),
  distanceM: z.number().int().nullable(),
  rating: z.number().nullable(),
});
export const providerSuggestionList = z.object({ items: z.array(providerSuggestion) });

export const callerReveal = z.object({ callerPhone: z.string().nullable() });

// ——— statistics and bills

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式为 YYYY-MM');
export const orderStatsQuery = z.object({ month: month.optional() });
const statRow = z.object({
  key: z.string(),
  name: z.string(),
  orders: z.number().int(),
  finished: z.number().int(),
});
export const orderStats = z.object({
  month: z.string(),
  total: z.number().int(),
  byKind: z.array(statRow),
  byProvider: z.array(statRow.extend({ rating: z.number().nullable() })),
  byArea: z.array(statRow),
  byStatus: z.array(z.object({ status: z.enum(orderStates), orders: z.number().int() })),
});
export type OrderStats = z.infer<typeof orderStats>;
export const billQuery = z.object({ month, providerId: intId.optional() });

/** The big screen's eldercare panel: counts only, nobody named. */
export const screenEldercare = z.object({
  alertsToday: z.number().int(),
  alertsOpen: z.number().int(),
  ordersToday: z.number().int(),
  ordersOpen: z.number().int(),
  devicesOnline: z.number().int(),
  devicesTotal: z.number().int(),
});
export type ScreenEldercare = z.infer<typeof screenEldercare>;
