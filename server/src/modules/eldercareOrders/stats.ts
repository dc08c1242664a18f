import type { OrderState, OrderStats, ServiceKind } from '@civicgrid/core/api/eldercareOrders';
import { orderStates, serviceKindNames } from '@civicgrid/core/api/eldercareOrders';
import { and, asc, count, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { fieldError } from '../../platform/errors.js';
import { exportXlsx, type SheetRow } from '../../platform/spreadsheet.js';
import { orgUnits } from '../org/tables.js';
import { residents } from '../residents/tables.js';
import { ordersScope } from './policy.js';
import { elderOrders, elderServices, providers } from './tables.js';

/** The first instant of a China month and of the next one (YYYY-MM). */
export function monthRange(month: string): { from: Date; to: Date } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  if (!y || !m || m < 1 || m > 12) throw fieldError('month', 'format', 'BILL_MONTH_INVALID');
  const from = new Date(Date.UTC(y, m - 1, 1) - 8 * 3_600_000);
  const to = new Date(Date.UTC(m === 12 ? y + 1 : y, m === 12 ? 0 : m, 1) - 8 * 3_600_000);
  return { from, to };
}

export const currentMonth = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);

/**
 * 统计: a month's orders (by the time the call was taken) by kind, provider and area (the
 * community of the elder), with how many were served (finished or followed up).
 */
export async function orderStats(db: Db, actor: Actor, month = currentMonth()): Promise<OrderStats> {
  const { from, to } = monthRange(month);
  const where = and(
    ordersScope(actor, null).where(actor),
    gte(elderOrders.createdAt, from),
    lt(elderOrders.createdAt, to),
  ) as SQL;
  const served = sql<number>`count(*) filter (where ${elderOrders.status} in ('finished','closed'))::int`;
  const [byKind, byProvider, byArea, byStatus] = await Promise.all([
    db
      .select({ key: elderOrders.kind, orders: count(), finished: served })
      .from(elderOrders)
      .where(where)
      .groupBy(elderOrders.kind),
    db
      .select({
        key: providers.id,
        name: providers.name,
        orders: count(),
        finished: served,
        rating: sql<number | null>`avg(${elderOrders.rating})::float`,
      })
      .from(elderOrders)
      .innerJoin(providers, eq(providers.id, elderOrders.providerId))
      .where(where)
      .groupBy(providers.id, providers.name)
      .orderBy(sql`count(*) desc`),
    db
      .select({ key: orgUnits.id, name: orgUnits.name, orders: count(), finished: served })
      .from(elderOrders)
      .innerJoin(
        orgUnits,
        sql`${orgUnits.id} = (select parent_id from org_units g where g.id = ${elderOrders.gridId})`,
      )
      .where(where)
      .groupBy(orgUnits.id, orgUnits.name)
      .orderBy(sql`count(*) desc`),
    db
      .select({ status: elderOrders.status, orders: count() })
      .from(elderOrders)
      .where(where)
      .groupBy(elderOrders.status),
  ]);
  const kinds = Object.keys(serviceKindNames) as ServiceKind[];
  return {
    month,
    total: byStatus.reduce((s, r) => s + Number(r.orders), 0),
    byKind: byKind
      .map((r) => ({
        key: r.key,
        name: serviceKindNames[r.key] ?? r.key,
        orders: Number(r.orders),
        finished: Number(r.finished),
      }))
      .sort((a, b) => kinds.indexOf(a.key as ServiceKind) - kinds.indexOf(b.key as ServiceKind)),
    byProvider: byProvider.map((r) => ({
      key: String(r.key),
      name: r.name,
      orders: Number(r.orders),
      finished: Number(r.finished),
      rating: r.rating === null ? null : Math.round(r.rating * 10) / 10,
    })),
    byArea: byArea.map((r) => ({
      key: String(r.key),
      name: r.name,
      orders: Number(r.orders),
      finished: Number(r.finished),
    })),
    byStatus: orderStates.map((s) => ({
      status: s as OrderState,
      orders: Number(byStatus.find((r) => r.status === s)?.orders ?? 0),
    })),
  };
}

/**
 * 月度账单: each provider's orders served in the month (by the time they were finished), with
 * the price, the subsidy the rule gave and the part the elder paid, fixed when the order was
 * finished; a summary sheet with one line per provider. Elders by name only (a bill goes to
 * the provider and the civil-affairs office; no ID numbers).
 */
export async function exportBill(
  db: Db,
  actor: Actor,
  q: { month: string; providerId?: number | undefined },
  meta: RequestMeta,
): Promise<{ file: Buffer; rows: number }> {
  const { from, to } = monthRange(q.month);
  const rows = await db
    .select({
      no: elderOrders.no,
      providerId: providers.id,
      providerName: providers.name,
      serviceName: elderServices.name,
      unit: elderServices.unit,
      elderName: residents.name,
      finishedAt: elderOrders.finishedAt,
      amount: elderOrders.amountFen,
      subsidy: elderOrders.subsidyFen,
      selfPaid: elderOrders.selfPaidFen,
      careLevel: elderOrders.careLevel,
    })
    .from(elderOrders)
    .innerJoin(providers, eq(providers.id, elderOrders.providerId))
    .innerJoin(elderServices, eq(elderServices.code, elderOrders.serviceCode))
    .innerJoin(residents, eq(residents.id, elderOrders.residentId))
    .where(
      and(
        ordersScope(actor, null).where(actor),
        gte(elderOrders.finishedAt, from),
        lt(elderOrders.finishedAt, to),
        q.providerId !== undefined ? eq(elderOrders.providerId, q.providerId) : undefined,
      ),
    )
    .orderBy(asc(providers.id), asc(elderOrders.finishedAt));
  const yuan = (fen: number | null) => ({ value: (fen ?? 0) / 100, format: '#,##0.00' });
  const levels: Record<string, string> = { selfCare: '自理', partial: '半失能', dependent: '失能' };
  const summary = new Map<
    number,
    { name: string; n: number; amount: number; subsidy: number; selfPaid: number }
  >();
  for (const r of rows) {
    const s = summary.get(r.providerId) ?? { name: r.providerName, n: 0, amount: 0, subsidy: 0, selfPaid: 0 };
    s.n++;
    s.amount += r.amount ?? 0;
    s.subsidy += r.subsidy ?? 0;
    s.selfPaid += r.selfPaid ?? 0;
    summary.set(r.providerId, s);
  }
  const total = [...summary.values()].reduce(
    (t, s) => ({
      n: t.n + s.n,
      amount: t.amount + s.amount,
      subsidy: t.subsidy + s.subsidy,
      selfPaid: t.selfPaid + s.selfPaid,
    }),
    { n: 0, amount: 0, subsidy: 0, selfPaid: 0 },
  );
  const summaryRows: SheetRow[] = [
    ...[...summary.values()].map((s) => [s.name, s.n, yuan(s.amount), yuan(s.subsidy), yuan(s.selfPaid)]),
    ['合计', total.n, yuan(total.amount), yuan(total.subsidy), yuan(total.selfPaid)],
  ];
  const file = await exportXlsx(
    [
      {
        name: '汇总',
        title: `12349 为老服务月度账单 ${q.month}`,
        columns: [
          { header: '服务商', width: 30 },
          { header: '服务单数', width: 10 },
          { header: '服务金额（元）', width: 14 },
          { header: '政府补贴（元）', width: 14 },
          { header: '个人自付（元）', width: 14 },
        ],
        rows: summaryRows,
      },
      {
        name: '明细',
        columns: [
          { header: '服务商', width: 30 },
          { header: '工单号', width: 16 },
          { header: '服务项目', width: 16 },
          { header: '单位', width: 6 },
          { header: '老人', width: 10 },
          { header: '护理等级', width: 10 },
          { header: '完成时间', width: 18, format: 'yyyy-mm-dd hh:mm' },
          { header: '服务金额（元）', width: 14 },
          { header: '政府补贴（元）', width: 14 },
          { header: '个人自付（元）', width: 14 },
        ],
        rows: rows.map((r) => [
          r.providerName,
          r.no,
          r.serviceName,
          r.unit,
          r.elderName,
          levels[r.careLevel] ?? r.careLevel,
          // Excel has no time zones: the sheet shows China time.
          r.finishedAt ? new Date(r.finishedAt.getTime() + 8 * 3_600_000) : null,
          yuan(r.amount),
          yuan(r.subsidy),
          yuan(r.selfPaid),
        ]),
      },
    ],
    { title: `12349 为老服务月度账单 ${q.month}` },
  );
  await db.transaction((tx) =>
    appendAudit(tx, auditActorOf(actor, meta), {
      action: 'eldercareBill.exported',
      targetType: 'eldercareBill',
      targetId: q.month,
      payload: {
        month: q.month,
        ...(q.providerId !== undefined ? { providerId: q.providerId } : {}),
        rows: rows.length,
      },
    }),
  );
  return { file, rows: rows.length };
}
