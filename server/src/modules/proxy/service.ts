import type {
  EligibleAgentList,
  ProxyApplicationInput,
  ProxyApplicationListQuery,
  ProxyPoint,
  ProxyPointInput,
  ProxyPointListQuery,
  ProxyPointMap,
  ProxyPointPatch,
} from '@civicgrid/core/api/proxy';
import { pointInGeometry } from '@civicgrid/core/geo';
import { and, count, desc, eq, ilike, inArray, isNotNull, isNull, or, type SQL, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { areaCondition, listScoped, loadScoped, pathInScope, resolveArea } from '../../platform/scope.js';
import { users } from '../accounts/tables.js';
import { activeUsersWith } from '../accounts/users.js';
import { orgUnits } from '../org/tables.js';
import { residentScope } from '../residents/policy.js';
import { presentSummary } from '../services/presenter.js';
import { createApplication, type ServiceDeps } from '../services/service.js';
import { applications, serviceItems } from '../services/tables.js';
import { agentFor } from './intake.js';
import { proxyPointsScope } from './policy.js';
import { presentPoint } from './presenter.js';
import { linkTakenRequest } from './requests.js';
import { proxyApplications, proxyPointAgents, proxyPoints } from './tables.js';

// ——— proxy intake from the field app

/**
 * 帮办代办 from /m: the agent picks a resident of his grid (404 outside it: the resident
 * does not exist for him), the item, the materials and the consent; the applicant's name and
 * ID number come from the resident file, then the one intake of the service centre takes it.
 */
export async function createProxyApplication(
  deps: ServiceDeps,
  actor: Actor,
  input: ProxyApplicationInput,
  meta: RequestMeta,
) {
  const resident = await loadScoped(deps.db, actor, residentScope, input.residentId);
  if (!input.consent) throw fieldError('consent', 'required', 'PROXY_CONSENT_REQUIRED');
  const created = await createApplication(
    deps,
    actor,
    {
      serviceCode: input.serviceCode,
      applicant: {
        idNumber: deps.crypto.decrypt(resident.idNumberEnc),
        name: resident.name,
        ...(input.phone ? { phone: input.phone } : {}),
      },
      materials: input.materials,
      ...(input.form ? { form: input.form } : {}),
      channel: 'proxy',
      proxy: { consent: input.consent },
      idempotencyKey: input.idempotencyKey,
    },
    meta,
    // A resident's request (请网格员帮办) this agent took for this item now has its
    // application: linked in the intake's transaction, so neither is written without the other.
    (tx, row) => linkTakenRequest(tx, actor, resident.id, input.serviceCode, row.id, meta),
  ).catch((e: unknown) => {
    throw e instanceof AppError ? renamedFields(e) : e;
  });
  return created;
}

/** The intake names fields of its own body; this route's body calls them differently. */
function renamedFields(e: AppError): AppError {
  if (!e.errors) return e;
  const rename = (f: string) =>
    f.startsWith('proxy.') ? f.slice('proxy.'.length) : f.startsWith('applicant.') ? 'residentId' : f;
  return new AppError(
    e.code,
    e.message,
    e.errors.map((x) => ({ ...x, field: rename(x.field) })),
  );
}

/** 我代办的: the applications the actor carries as agent, newest first, whatever their unit. */
export async function myProxyApplications(db: Db, actor: Actor, q: ProxyApplicationListQuery) {
  const where = and(
    eq(proxyApplications.agentId, actor.userId),
    q.status ? eq(applications.status, q.status) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({
        a: applications,
        p: proxyApplications,
        itemName: serviceItems.name,
        itemVersion: serviceItems.version,
        agentName: users.displayName,
        pointName: proxyPoints.name,
      })
      .from(proxyApplications)
      .innerJoin(applications, eq(applications.id, proxyApplications.applicationId))
      .innerJoin(serviceItems, eq(serviceItems.id, applications.serviceItemId))
      .innerJoin(users, eq(users.id, proxyApplications.agentId))
      .leftJoin(proxyPoints, eq(proxyPoints.id, proxyApplications.proxyPointId))
      .where(where)
      .orderBy(desc(applications.createdAt), desc(applications.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db
      .select({ n: count() })
      .from(proxyApplications)
      .innerJoin(applications, eq(applications.id, proxyApplications.applicationId))
      .where(where),
  ]);
  const now = Date.now();
  return {
    items: rows.map((r) => ({
      ...presentSummary(r.a, { name: r.itemName, version: r.itemVersion }, now),
      agentName: r.agentName,
      proxyPointName: r.pointName,
      consentMethod: r.p.consentMethod,
      consentAt: r.p.consentAt.toISOString(),
    })),
    total: Number(total?.n ?? 0),
  };
}

// ——— proxy points (代办点)

async function unitFor(db: Db, actor: Actor, orgUnitId: number) {
  const [u] = await db.select().from(orgUnits).where(eq(orgUnits.id, orgUnitId));
  if (!u || u.retiredAt || (u.level !== 'grid' && u.level !== 'community') || !pathInScope(actor, u.path))
    throw fieldError('orgUnitId', 'inJurisdiction', 'AREA_NOT_IN_JURISDICTION');
  return u;
}

function assertInside(unit: typeof orgUnits.$inferSelect, location: { lng: number; lat: number }) {
  if (unit.geometry && !pointInGeometry(location.lng, location.lat, unit.geometry))
    throw fieldError('location', 'inside', 'PROXY_POINT_OUTSIDE');
}

/** Agents are users of the point's area who may carry matters (application:proxy). */
async function checkAgents(db: Db, unitPath: string, ids: string[]) {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return wanted;
  const community = unitPath.split('/').filter(Boolean).slice(0, 3);
  const ok = new Set(
    (await activeUsersWith(db, 'application:proxy', `/${community.join('/')}/`)).map((u) => u.id),
  );
  const bad = wanted.findIndex((id) => !ok.has(id));
  if (bad >= 0) throw fieldError(`agentIds.${bad}`, 'agent', 'PROXY_POINT_AGENT_INVALID');
  return wanted;
}

async function presentPoints(db: Db, rows: (typeof proxyPoints.$inferSelect)[]): Promise<ProxyPoint[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [agents, units, counts] = await Promise.all([
    db
      .select({ pointId: proxyPointAgents.pointId, id: users.id, name: users.displayName })
      .from(proxyPointAgents)
      .innerJoin(users, eq(users.id, proxyPointAgents.userId))
      .where(inArray(proxyPointAgents.pointId, ids))
      .orderBy(users.displayName),
    db
      .select({ id: orgUnits.id, name: orgUnits.name })
      .from(orgUnits)
      .where(
        inArray(
          orgUnits.id,
          rows.map((r) => r.orgUnitId),
        ),
      ),
    db
      .select({ pointId: proxyApplications.proxyPointId, n: count() })
      .from(proxyApplications)
      .where(inArray(proxyApplications.proxyPointId, ids))
      .groupBy(proxyApplications.proxyPointId),
  ]);
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const n = new Map(counts.map((c) => [c.pointId, Number(c.n)]));
  return rows.map((r) =>
    presentPoint(
      r,
      unitName.get(r.orgUnitId) ?? '',
      agents.filter((a) => a.pointId === r.id).map((a) => ({ id: a.id, name: a.name })),
      n.get(r.id) ?? 0,
    ),
  );
}

export async function listProxyPoints(db: Db, actor: Actor, q: ProxyPointListQuery) {
  const area = q.orgUnitId === undefined ? undefined : await resolveArea(db, actor, q.orgUnitId);
  const text = q.q ? `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const cond: (SQL | undefined)[] = [
    area ? areaCondition(area, proxyPoints.orgPath) : undefined,
    text ? or(ilike(proxyPoints.name, text), ilike(proxyPoints.address, text)) : undefined,
    q.retired === 'true'
      ? isNotNull(proxyPoints.retiredAt)
      : q.retired === 'false'
        ? isNull(proxyPoints.retiredAt)
        : undefined,
  ];
  const { items, total } = await listScoped(db, actor, proxyPointsScope, {
    where: and(...cond),
    orderBy: [sql`${proxyPoints.orgPath}`, sql`${proxyPoints.id}`],
    page: q.page,
    pageSize: q.pageSize,
  });
  return { items: await presentPoints(db, items), total };
}

export async function proxyPointDetail(db: Db, actor: Actor, id: number): Promise<ProxyPoint> {
  const row = await loadScoped(db, actor, proxyPointsScope, id);
  return (await presentPoints(db, [row]))[0] as ProxyPoint;
}

export async function createProxyPoint(db: Db, actor: Actor, input: ProxyPointInput, meta: RequestMeta) {
  const unit = await unitFor(db, actor, input.orgUnitId);
  assertInside(unit, input.location);
  const agentIds = await checkAgents(db, unit.path, input.agentIds);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(proxyPoints)
      .values({
        name: input.name,
        address: input.address,
        lng: input.location.lng,
        lat: input.location.lat,
        orgUnitId: unit.id,
        orgPath: unit.path,
        contactName: input.contactName,
        contactPhone: input.contactPhone,
        openingHours: input.openingHours,
        createdBy: actor.userId,
      })
      .returning({ id: proxyPoints.id });
    const pointId = (row as { id: number }).id;
    if (agentIds.length)
      await tx.insert(proxyPointAgents).values(agentIds.map((userId) => ({ pointId, userId })));
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'proxyPoint.created',
      targetType: 'proxyPoint',
      targetId: pointId,
      payload: { agents: agentIds.length },
    });
    return pointId;
  });
  return proxyPointDetail(db, actor, id);
}

export async function updateProxyPoint(
  db: Db,
  actor: Actor,
  id: number,
  patch: ProxyPointPatch,
  meta: RequestMeta,
) {
  await db.transaction(async (tx) => {
    const row = await loadScoped(tx, actor, proxyPointsScope, id, { forUpdate: true });
    const unit = await unitFor(tx, actor, patch.orgUnitId ?? row.orgUnitId);
    assertInside(unit, patch.location ?? { lng: row.lng, lat: row.lat });
    const agentIds = patch.agentIds ? await checkAgents(tx, unit.path, patch.agentIds) : undefined;
    await tx
      .update(proxyPoints)
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.address !== undefined ? { address: patch.address } : {}),
        ...(patch.location ? { lng: patch.location.lng, lat: patch.location.lat } : {}),
        orgUnitId: unit.id,
        orgPath: unit.path,
        ...(patch.contactName !== undefined ? { contactName: patch.contactName } : {}),
        ...(patch.contactPhone !== undefined ? { contactPhone: patch.contactPhone } : {}),
        ...(patch.openingHours !== undefined ? { openingHours: patch.openingHours } : {}),
        ...(patch.retired !== undefined
          ? { retiredAt: patch.retired ? (row.retiredAt ?? new Date()) : null }
          : {}),
        updatedAt: new Date(),
      })
      .where(eq(proxyPoints.id, id));
    if (agentIds) {
      await tx.delete(proxyPointAgents).where(eq(proxyPointAgents.pointId, id));
      if (agentIds.length)
        await tx.insert(proxyPointAgents).values(agentIds.map((userId) => ({ pointId: id, userId })));
    }
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'proxyPoint.updated',
      targetType: 'proxyPoint',
      targetId: id,
      payload: { fields: Object.keys(patch) },
    });
  });
  return proxyPointDetail(db, actor, id);
}

/** The open points in scope as a map layer (at most 5,000). */
export async function proxyPointMap(db: Db, actor: Actor): Promise<ProxyPointMap> {
  const rows = await db
    .select()
    .from(proxyPoints)
    .where(and(proxyPointsScope.where(actor), isNull(proxyPoints.retiredAt)))
    .orderBy(proxyPoints.id)
    .limit(5000);
  return {
    type: 'FeatureCollection',
    features: rows.map((r) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [r.lng, r.lat] },
      properties: {
        layer: 'proxyPoint',
        id: r.id,
        name: r.name,
        address: r.address,
        openingHours: r.openingHours,
      },
    })),
  };
}

/**
 * 帮办代办 at the window: who may carry this resident's matter — the agents of the open points
 * whose area holds the resident, and the grid workers of his grid — each checked by the rule
 * the intake applies (`agentFor`), so the window offers only what the intake will take.
 */
export async function eligibleAgents(db: Db, actor: Actor, residentId: string): Promise<EligibleAgentList> {
  const resident = await loadScoped(db, actor, residentScope, residentId);
  const [pointAgents, gridWorkers] = await Promise.all([
    db
      .select({ id: proxyPointAgents.userId })
      .from(proxyPointAgents)
      .innerJoin(proxyPoints, eq(proxyPoints.id, proxyPointAgents.pointId))
      .where(and(isNull(proxyPoints.retiredAt), sql`${resident.orgPath} like ${proxyPoints.orgPath} || '%'`)),
    activeUsersWith(db, 'application:proxy', resident.orgPath),
  ]);
  const candidates = [
    ...new Set([
      ...pointAgents.map((a) => a.id),
      ...gridWorkers.filter((u) => u.orgUnitId === resident.gridId).map((u) => u.id),
    ]),
  ];
  const checked = (await Promise.all(candidates.map((id) => agentFor(db, id, resident)))).flatMap((a) =>
    a ? [a] : [],
  );
  const pointIds = [...new Set(checked.flatMap((a) => (a.proxyPointId === null ? [] : [a.proxyPointId])))];
  const pointName = new Map(
    pointIds.length
      ? (
          await db
            .select({ id: proxyPoints.id, name: proxyPoints.name })
            .from(proxyPoints)
            .where(inArray(proxyPoints.id, pointIds))
        ).map((p) => [p.id, p.name])
      : [],
  );
  return {
    items: checked
      .map((a) => ({
        id: a.agentId,
        name: a.agentName,
        proxyPointId: a.proxyPointId,
        proxyPointName: a.proxyPointId === null ? null : (pointName.get(a.proxyPointId) ?? null),
      }))
      .sort((x, y) => x.name.localeCompare(y.name, 'zh-CN')),
  };
}

/** Who may be named an agent of a point of the unit: its community's holders of application:proxy. */
export async function agentCandidates(db: Db, actor: Actor, orgUnitId: number) {
  const unit = await unitFor(db, actor, orgUnitId);
  const community = unit.path.split('/').filter(Boolean).slice(0, 3);
  const found = await activeUsersWith(db, 'application:proxy', `/${community.join('/')}/`);
  const names = new Map(
    (
      await db
        .select({ id: orgUnits.id, name: orgUnits.name })
        .from(orgUnits)
        .where(
          inArray(
            orgUnits.id,
            found.map((u) => u.orgUnitId ?? 0),
          ),
        )
    ).map((u) => [u.id, u.name]),
  );
  return {
    items: found.map((u) => ({
      id: u.id,
      name: u.name,
      orgUnitName: u.orgUnitId === null ? null : (names.get(u.orgUnitId) ?? null),
    })),
  };
}
