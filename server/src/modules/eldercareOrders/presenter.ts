import { maskIdNumber, maskPhone } from '@civicgrid/core';
import type {
  Order,
  OrderState,
  OrderSummary,
  Provider,
  ServiceKind,
  SubsidyCareLevel,
  SubsidyRule,
} from '@civicgrid/core/api/eldercareOrders';
import { serviceKindNames } from '@civicgrid/core/api/eldercareOrders';
import type { FieldCrypto } from '../../platform/crypto.js';
import { ageOn } from '../eldercare/presenter.js';
import type { elderOrderEvents, elderOrders, elderServices, providers } from './tables.js';

type OrderRow = typeof elderOrders.$inferSelect;
type ProviderRow = typeof providers.$inferSelect;
type ServiceRow = typeof elderServices.$inferSelect;

export interface OrderNames {
  elders: Map<string, { name: string; birthDate: string; birthplaceCode: string; idNumberTail: string }>;
  /** A grid's name with its community's: 保利新华社区第1网格. */
  areas: Map<number, string>;
  providers: Map<number, string>;
  services: Map<string, string>;
}

const yuan = (fen: number | null) => (fen === null ? null : fen / 100);

export function presentOrderSummary(o: OrderRow, names: OrderNames): OrderSummary {
  const elder = names.elders.get(o.residentId);
  return {
    id: o.id,
    no: o.no,
    status: o.status as OrderState,
    serviceCode: o.serviceCode,
    serviceName: names.services.get(o.serviceCode) ?? o.serviceCode,
    kind: o.kind,
    residentId: o.residentId,
    elderName: elder?.name ?? '',
    // The masked number hides the birth date (GB 11643 digits 7–14): only the age leaves.
    elderIdNumber: elder ? maskIdNumber(`${elder.birthplaceCode}${'0'.repeat(8)}${elder.idNumberTail}`) : '',
    age: elder ? ageOn(elder.birthDate, o.requestedAt) : 0,
    areaName: names.areas.get(o.gridId) ?? '',
    address: o.address,
    requestedAt: o.requestedAt.toISOString(),
    providerId: o.providerId,
    providerName: o.providerId === null ? null : (names.providers.get(o.providerId) ?? null),
    rating: o.rating,
    createdAt: o.createdAt.toISOString(),
  };
}

export function presentOrder(
  o: OrderRow,
  names: OrderNames,
  crypto: FieldCrypto,
  events: (typeof elderOrderEvents.$inferSelect & { actorName: string | null })[],
  allowedActions: Order['allowedActions'],
): Order {
  return {
    ...presentOrderSummary(o, names),
    note: o.note,
    callerName: o.callerName,
    callerPhone: o.callerPhoneEnc ? maskPhone(crypto.decrypt(o.callerPhoneEnc)) : null,
    callerRelation: o.callerRelation,
    home: o.homeLat !== null && o.homeLng !== null ? { lat: o.homeLat, lng: o.homeLng } : null,
    careLevel: o.careLevel as SubsidyCareLevel,
    amount: yuan(o.amountFen),
    subsidy: yuan(o.subsidyFen),
    selfPaid: yuan(o.selfPaidFen),
    finishNote: o.finishNote,
    fileIds: o.fileIds,
    followUpNote: o.followUpNote,
    events: events.map((e) => ({
      action: e.action,
      fromState: e.fromState,
      toState: e.toState,
      actorName: e.actorName,
      at: e.at.toISOString(),
      data: e.data,
    })),
    allowedActions,
  };
}

const levelNames: Record<SubsidyCareLevel, string> = {
  selfCare: '自理',
  partial: '半失能',
  dependent: '失能',
};

/** A subsidy rule in words, for the operator reading it to a caller. */
export function subsidyText(rule: SubsidyRule | null): string {
  if (!rule || rule.tiers.length === 0) return '无补贴';
  return rule.tiers
    .map((t) => {
      const who = [
        t.careLevels ? t.careLevels.map((l) => levelNames[l]).join('/') : '',
        t.minAge !== undefined ? `${t.minAge}岁以上` : '',
      ]
        .filter(Boolean)
        .join('、');
      const what = rule.mode === 'percent' ? `补贴${t.value}%` : `补贴${t.value / 100}元`;
      return `${who || '60岁以上'}${what}`;
    })
    .join('；');
}

export function presentService(s: ServiceRow) {
  return {
    code: s.code,
    kind: s.kind,
    name: s.name,
    unit: s.unit,
    price: s.priceFen / 100,
    subsidyRule: s.subsidyRule ?? null,
    subsidyText: subsidyText(s.subsidyRule ?? null),
  };
}

export function presentProvider(
  p: ProviderRow,
  areas: { id: number; name: string }[],
  services: { code: string; name: string; kind: ServiceKind }[],
  orders: number,
): Provider {
  return {
    id: p.id,
    name: p.name,
    contactName: p.contactName,
    phone: p.phone,
    address: p.address,
    location: { lat: p.lat, lng: p.lng },
    areas,
    services,
    kinds: [...new Set(services.map((s) => s.kind))].sort(
      (a, b) => Object.keys(serviceKindNames).indexOf(a) - Object.keys(serviceKindNames).indexOf(b),
    ),
    rating: p.ratingCount > 0 ? Math.round((p.ratingSum / p.ratingCount) * 10) / 10 : null,
    ratings: p.ratingCount,
    orders,
    active: p.active,
  };
}
