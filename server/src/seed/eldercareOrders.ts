import type { OrderAction, OrderState, SubsidyCareLevel } from '@civicgrid/core/api/eldercareOrders';
import { ageOnDay, splitSubsidy } from '@civicgrid/core/api/eldercareOrders';
import type { AreaGeometry } from '@civicgrid/core/api/org';
import { type AnyColumn, and, asc, eq, like, lte, sql } from 'drizzle-orm';
import { users } from '../modules/accounts/tables.js';
import { elderProfiles } from '../modules/eldercare/tables.js';
import { defaultElderServices, ensureElderServiceDefaults } from '../modules/eldercareOrders/catalogue.js';
import { homeOf } from '../modules/eldercareOrders/orders.js';
import {
  elderOrderEvents,
  elderOrders,
  providerAreas,
  providerServices,
  providerStaff,
  providers,
} from '../modules/eldercareOrders/tables.js';
import { orgUnits } from '../modules/org/tables.js';
import { residents } from '../modules/residents/tables.js';
import type { FieldCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { pointInArea, seeded } from './geometry.js';
import { mobile, personName } from './people.js';

const providerNames = [
  '保利新华居家养老服务站',
  '鹿城颐养家政服务有限公司',
  '昆区夕阳红助餐中心',
  '包头康泰护理服务有限公司',
  '钢城便民维修服务部',
  '北疆银龄陪护中心',
  '仁和康复理疗服务站',
  '暖心社工服务中心',
];

/** The path an order went to reach its state, with the hours between the steps. */
const pathTo: Record<OrderState, OrderAction[]> = {
  pending: [],
  dispatched: ['dispatch'],
  accepted: ['dispatch', 'accept'],
  arrived: ['dispatch', 'accept', 'arrive'],
  finished: ['dispatch', 'accept', 'arrive', 'finish'],
  closed: ['dispatch', 'accept', 'arrive', 'finish', 'rate', 'followUp'],
  cancelled: ['cancel'],
};
const mix: [OrderState, number][] = [
  ['pending', 5],
  ['dispatched', 5],
  ['accepted', 4],
  ['arrived', 4],
  ['finished', 8],
  ['closed', 11],
  ['cancelled', 3],
];

/**
 * 12349 demo (issue 20): the service list, eight providers around 黄河西路街道 (the first, based
 * in 保利新华社区, is the `provider` account's), and 40 orders for the elders of 保利新华社区
 * in every state, each with its trail; the finished ones carry their subsidy split.
 */
export async function seedDemoEldercareOrders(db: Db, opts: { crypto: FieldCrypto }): Promise<number> {
  await ensureElderServiceDefaults(db);
  const rand = seeded('civicgrid-demo-12349');
  const [street] = await db.select().from(orgUnits).where(eq(orgUnits.name, '黄河西路街道'));
  const [baoli] = await db.select().from(orgUnits).where(eq(orgUnits.name, '保利新华社区'));
  if (!street || !baoli) return 0;
  const communities = await db
    .select()
    .from(orgUnits)
    .where(and(eq(orgUnits.level, 'community'), like(orgUnits.path, `${street.path}%`)))
    .orderBy(asc(orgUnits.code));
  const grids = await db
    .select()
    .from(orgUnits)
    .where(and(eq(orgUnits.level, 'grid'), like(orgUnits.path, `${baoli.path}%`)))
    .orderBy(asc(orgUnits.code));
  const staffUsers = await db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(eq(users.username, 'provider'));
  const [op] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'operator'));

  const codes = defaultElderServices.map((s) => s.code);
  const made: { id: number; lat: number; lng: number; services: string[] }[] = [];
  for (const [i, name] of providerNames.entries()) {
    const area = (i === 0 ? (grids[0] ?? baoli) : (communities[i % communities.length] ?? baoli))
      .geometry as AreaGeometry | null;
    const at = area ? pointInArea(area, rand) : { lat: 40.65, lng: 109.84 };
    // The first serves everything in 保利新华社区; the others a share of the list, in the street
    // or in a few communities (保利新华 among them, so dispatch has a choice).
    const services = i === 0 ? codes : codes.filter(() => rand() < 0.45);
    const areaUnits = i % 3 === 0 ? [street] : [baoli, ...communities.filter(() => rand() < 0.3)];
    const [p] = await db
      .insert(providers)
      .values({
        name,
        contactName: personName(rand),
        phone: i % 2 ? mobile(rand) : `0472-${String(5_100_000 + Math.floor(rand() * 899_999))}`,
        address: `昆都仑区${['钢铁大街', '阿尔丁大街', '林荫路', '白云路'][i % 4]}${10 + i * 7}号`,
        lat: at.lat,
        lng: at.lng,
        orgPath: `${street.path.split('/').slice(0, 2).join('/')}/`,
        ratingSum: 0,
        ratingCount: 0,
      })
      .returning({ id: providers.id });
    const id = (p as { id: number }).id;
    const unique = [...new Map(areaUnits.map((u) => [u.id, u])).values()];
    await db
      .insert(providerAreas)
      .values(unique.map((u) => ({ providerId: id, orgUnitId: u.id, orgPath: u.path })));
    await db.insert(providerServices).values(services.map((c) => ({ providerId: id, serviceCode: c })));
    made.push({ id, lat: at.lat, lng: at.lng, services });
  }
  const first = made[0];
  const staff = staffUsers.find((u) => u.username === 'provider');
  if (first && staff) await db.insert(providerStaff).values({ userId: staff.id, providerId: first.id });

  const limit = new Date(Date.now() - 60 * 365.25 * 86_400_000).toISOString().slice(0, 10);
  const elders = await db
    .select()
    .from(residents)
    .where(and(like(residents.orgPath, `${baoli.path}%`), lte(residents.birthDate, limit)))
    .orderBy(asc(residents.birthDate))
    .limit(60);
  if (elders.length === 0) return 0;
  const levels = new Map(
    (
      await db.select({ id: elderProfiles.residentId, level: elderProfiles.careLevel }).from(elderProfiles)
    ).map((r) => [r.id, r.level as SubsidyCareLevel]),
  );
  const services = new Map(defaultElderServices.map((s) => [s.code, s]));
  const now = Date.now();
  let n = 0;
  for (const [state, times] of mix) {
    for (let k = 0; k < times; k++) {
      n++;
      const elder = elders[(n * 7) % elders.length] as (typeof elders)[number];
      const home = await homeOf(db, elder);
      // Open orders are recent (today, yesterday); served and closed ones spread over the month.
      const ageH = ['pending', 'dispatched', 'accepted', 'arrived'].includes(state)
        ? 1 + rand() * 20
        : 24 + rand() * 24 * 24;
      const created = new Date(now - ageH * 3_600_000);
      const prov = n % 3 === 0 ? made[1 + (n % (made.length - 1))] : first;
      const code = (prov?.services[Math.floor(rand() * (prov?.services.length ?? 1))] ?? 'EC007') as string;
      const service =
        services.get(code) ?? (defaultElderServices[6] as (typeof defaultElderServices)[number]);
      const careLevel = levels.get(elder.id) ?? 'selfCare';
      const steps = pathTo[state];
      const stepAt = (i: number) =>
        new Date(created.getTime() + (i + 1) * Math.min(ageH / (steps.length + 1), 3) * 3_600_000);
      const at = (a: OrderAction) => (steps.includes(a) ? stepAt(steps.indexOf(a)) : null);
      const finishedAt = at('finish');
      const split = finishedAt
        ? splitSubsidy(service.subsidyRule, service.priceFen, {
            age: ageOnDay(
              elder.birthDate,
              new Date(finishedAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10),
            ),
            careLevel,
          })
        : null;
      const rating = steps.includes('rate') ? 3 + Math.floor(rand() * 3) : null;
      const dispatched = steps.includes('dispatch');
      const callerPhone = mobile(rand);
      const [row] = await db
        .insert(elderOrders)
        .values({
          no: `${created.toISOString().slice(0, 10).replaceAll('-', '')}D${String(n).padStart(4, '0')}`,
          residentId: elder.id,
          gridId: elder.gridId,
          orgPath: elder.orgPath,
          serviceCode: service.code,
          kind: service.kind,
          status: state,
          requestedAt: new Date(created.getTime() + 2 * 3_600_000),
          note:
            ['老人腿脚不便，请提前电话联系', '下午两点以后在家', '子女在外地，请多关照', null][n % 4] ?? null,
          callerName: personName(rand),
          callerPhoneEnc: opts.crypto.encrypt(callerPhone),
          callerPhoneTail: callerPhone.slice(-4),
          callerRelation: ['本人', '女儿', '儿子', '邻居'][n % 4] ?? null,
          address: home.address,
          homeLat: home.lat,
          homeLng: home.lng,
          careLevel,
          providerId: dispatched ? (prov?.id ?? null) : null,
          dispatchedAt: at('dispatch'),
          acceptedAt: at('accept'),
          arrivedAt: at('arrive'),
          arriveLat: at('arrive') ? home.lat : null,
          arriveLng: at('arrive') ? home.lng : null,
          finishedAt,
          finishNote: finishedAt ? '服务已完成，老人确认' : null,
          amountFen: split?.amount ?? null,
          subsidyFen: split?.subsidy ?? null,
          selfPaidFen: split?.selfPaid ?? null,
          rating,
          ratedAt: at('rate'),
          followUpAt: at('followUp'),
          followUpNote: at('followUp') ? '回访：老人对服务满意' : null,
          closedAt: at('followUp') ?? at('cancel'),
          createdBy: op?.id ?? null,
          createdAt: created,
          updatedAt: created,
        })
        .returning({ id: elderOrders.id });
      const orderId = (row as { id: string }).id;
      let from: OrderState = 'pending';
      const events: (typeof elderOrderEvents.$inferInsert)[] = [
        {
          orderId,
          action: 'create',
          fromState: null,
          toState: 'pending',
          actorId: op?.id ?? null,
          at: created,
        },
      ];
      for (const [i, a] of steps.entries()) {
        const to: OrderState =
          a === 'rate'
            ? from
            : (
                {
                  dispatch: 'dispatched',
                  accept: 'accepted',
                  arrive: 'arrived',
                  finish: 'finished',
                  followUp: 'closed',
                  cancel: 'cancelled',
                } as const
              )[a];
        const byProvider = a === 'accept' || a === 'arrive' || a === 'finish';
        events.push({
          orderId,
          action: a,
          fromState: from,
          toState: to,
          actorId: byProvider ? (prov === first ? (staff?.id ?? null) : null) : (op?.id ?? null),
          data: a === 'dispatch' ? { providerId: prov?.id } : a === 'rate' ? { rating } : null,
          at: stepAt(i),
        });
        from = to;
      }
      await db.insert(elderOrderEvents).values(events);
      if (rating !== null && prov)
        await db
          .update(providers)
          .set({
            ratingSum: sqlAdd(providers.ratingSum, rating),
            ratingCount: sqlAdd(providers.ratingCount, 1),
          })
          .where(eq(providers.id, prov.id));
    }
  }
  return n;
}

const sqlAdd = (c: AnyColumn, v: number) => sql`${c} + ${v}`;
