import type {
  ElderService,
  Provider,
  ProviderInput,
  ProviderPatch,
  ProviderQuery,
  ServiceKind,
} from '@civicgrid/core/api/eldercareOrders';
import { and, asc, count, eq, ilike, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { listScoped, loadScoped, pathInScope, resolveArea } from '../../platform/scope.js';
import { orgUnits } from '../org/tables.js';
import { providersScope } from './policy.js';
import { presentProvider, presentService } from './presenter.js';
import { elderOrders, elderServices, providerAreas, providerServices, providers } from './tables.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type ProviderRow = typeof providers.$inferSelect;

export async function listElderServices(db: Db, kind?: ServiceKind): Promise<{ items: ElderService[] }> {
  const rows = await db
    .select()
    .from(elderServices)
    .where(kind ? eq(elderServices.kind, kind) : undefined)
    .orderBy(asc(elderServices.sort), asc(elderServices.code));
  return { items: rows.map(presentService) };
}

/** The areas, services and order counts of some providers, for the presenter. */
async function presentAll(db: Db, rows: ProviderRow[]): Promise<Provider[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [areas, services, orders] = await Promise.all([
    db
      .select({ providerId: providerAreas.providerId, id: orgUnits.id, name: orgUnits.name })
      .from(providerAreas)
      .innerJoin(orgUnits, eq(orgUnits.id, providerAreas.orgUnitId))
      .where(inArray(providerAreas.providerId, ids))
      .orderBy(asc(orgUnits.code)),
    db
      .select({
        providerId: providerServices.providerId,
        code: elderServices.code,
        name: elderServices.name,
        kind: elderServices.kind,
      })
      .from(providerServices)
      .innerJoin(elderServices, eq(elderServices.code, providerServices.serviceCode))
      .where(inArray(providerServices.providerId, ids))
      .orderBy(asc(elderServices.sort)),
    db
      .select({ providerId: elderOrders.providerId, n: count() })
      .from(elderOrders)
      .where(inArray(elderOrders.providerId, ids))
      .groupBy(elderOrders.providerId),
  ]);
  const n = new Map(orders.map((o) => [o.providerId, Number(o.n)]));
  return rows.map((p) =>
    presentProvider(
      p,
      areas.filter((a) => a.providerId === p.id).map(({ id, name }) => ({ id, name })),
      services.filter((s) => s.providerId === p.id).map(({ code, name, kind }) => ({ code, name, kind })),
      n.get(p.id) ?? 0,
    ),
  );
}

export async function listProviders(db: Db, actor: Actor, q: ProviderQuery) {
  const conds: (SQL | undefined)[] = [];
  if (q.active !== 'all') conds.push(eq(providers.active, q.active === 'true'));
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(or(ilike(providers.name, like), ilike(providers.address, like)));
  }
  if (q.kind)
    conds.push(
      inArray(
        providers.id,
        db
          .select({ id: providerServices.providerId })
          .from(providerServices)
          .innerJoin(elderServices, eq(elderServices.code, providerServices.serviceCode))
          .where(eq(elderServices.kind, q.kind)),
      ),
    );
  if (q.orgUnitId !== undefined) {
    const area = await resolveArea(db, actor, q.orgUnitId);
    // Serving the area: one of its areas holds it, or lies inside it.
    conds.push(
      inArray(
        providers.id,
        db
          .select({ id: providerAreas.providerId })
          .from(providerAreas)
          .where(
            or(
              sql`${area.path} like ${providerAreas.orgPath} || '%'`,
              sql`${providerAreas.orgPath} like ${area.path} || '%'`,
            ),
          ),
      ),
    );
  }
  const page = await listScoped(db, actor, providersScope, {
    where: and(...conds),
    orderBy: [
      sql`${providers.ratingSum}::float / nullif(${providers.ratingCount}, 0) desc nulls last`,
      asc(providers.id),
    ],
    page: q.page,
    pageSize: q.pageSize,
  });
  return { items: await presentAll(db, page.items), total: page.total };
}

export async function providerDetail(db: Db, actor: Actor, id: number): Promise<Provider> {
  const row = await loadScoped(db, actor, providersScope, id);
  return (await presentAll(db, [row]))[0] as Provider;
}

/** The areas named: communities or streets in the editor's jurisdiction (400 naming the one that is not). */
async function checkedAreas(db: Db, actor: Actor, ids: number[]) {
  const unique = [...new Set(ids)];
  const rows = await db
    .select({ id: orgUnits.id, path: orgUnits.path, level: orgUnits.level })
    .from(orgUnits)
    .where(and(inArray(orgUnits.id, unique), isNull(orgUnits.retiredAt)));
  for (const [i, id] of unique.entries()) {
    const u = rows.find((r) => r.id === id);
    if (!u || !pathInScope(actor, u.path))
      throw fieldError(`areaIds.${i}`, 'inJurisdiction', 'PROVIDER_AREA_NOT_IN_JURISDICTION');
  }
  return rows;
}

async function checkedServices(db: Db, codes: string[]) {
  const unique = [...new Set(codes)];
  const rows = await db
    .select({ code: elderServices.code })
    .from(elderServices)
    .where(inArray(elderServices.code, unique));
  for (const [i, code] of unique.entries())
    if (!rows.some((r) => r.code === code))
      throw fieldError(`serviceCodes.${i}`, 'exists', 'ELDER_ORDER_SERVICE_UNKNOWN');
  return unique;
}

async function setLinks(
  tx: Tx,
  id: number,
  areas: { id: number; path: string }[] | null,
  services: string[] | null,
) {
  if (areas) {
    await tx.delete(providerAreas).where(eq(providerAreas.providerId, id));
    await tx
      .insert(providerAreas)
      .values(areas.map((a) => ({ providerId: id, orgUnitId: a.id, orgPath: a.path })));
  }
  if (services) {
    await tx.delete(providerServices).where(eq(providerServices.providerId, id));
    await tx.insert(providerServices).values(services.map((code) => ({ providerId: id, serviceCode: code })));
  }
}

export async function createProvider(
  db: Db,
  actor: Actor,
  input: ProviderInput,
  meta: RequestMeta,
): Promise<Provider> {
  const areas = await checkedAreas(db, actor, input.areaIds);
  const services = await checkedServices(db, input.serviceCodes);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(providers)
      .values({
        name: input.name,
        contactName: input.contactName,
        phone: input.phone,
        address: input.address,
        lat: input.location.lat,
        lng: input.location.lng,
        // Providers are signed by the district (seed 001: the district's 12349 centre): the
        // district of its first area keeps it, whoever typed it in.
        orgPath: `/${(areas[0]?.path ?? '/').split('/')[1]}/`,
      })
      .onConflictDoNothing({ target: providers.name })
      .returning({ id: providers.id });
    if (!row) throw fieldError('name', 'unique', 'PROVIDER_NAME_TAKEN');
    await setLinks(tx, row.id, areas, services);
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'provider.created',
      targetType: 'provider',
      targetId: String(row.id),
      payload: { areas: areas.length, services: services.length },
    });
    return row.id;
  });
  return providerDetail(db, actor, id);
}

export async function updateProvider(
  db: Db,
  actor: Actor,
  id: number,
  patch: ProviderPatch,
  meta: RequestMeta,
): Promise<Provider> {
  await loadScoped(db, actor, providersScope, id);
  const areas = patch.areaIds ? await checkedAreas(db, actor, patch.areaIds) : null;
  const services = patch.serviceCodes ? await checkedServices(db, patch.serviceCodes) : null;
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(providers)
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.contactName !== undefined ? { contactName: patch.contactName } : {}),
        ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
        ...(patch.address !== undefined ? { address: patch.address } : {}),
        ...(patch.location ? { lat: patch.location.lat, lng: patch.location.lng } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        updatedAt: new Date(),
      })
      .where(eq(providers.id, id))
      .returning({ id: providers.id });
    if (!row) throw new AppError('NOT_FOUND');
    await setLinks(tx, id, areas, services);
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'provider.updated',
      targetType: 'provider',
      targetId: String(id),
      payload: { fields: Object.keys(patch) },
    });
  });
  return providerDetail(db, actor, id);
}
