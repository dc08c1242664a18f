import type { CouncilInput, CouncilMemberInput } from '@civicgrid/core/api/deliberationPublic';
import { type CouncilMemberCategory, councilMemberCategories } from '@civicgrid/core/participation/councils';
import { and, asc, count, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { appendAudit, auditEntry } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import {
  areaCondition,
  defineScope,
  listScoped,
  loadScoped,
  pathInScope,
  resolveArea,
} from '../../platform/scope.js';
import { registerPathFollower } from '../org/service.js';
import { orgUnits } from '../org/tables.js';
import { deliberationAttendances, streetCouncilMembers, streetCouncils } from './deliberationPublicTables.js';
import type { DeliberationRow } from './policy.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

registerPathFollower(async (tx, from, to) => {
  await tx
    .update(streetCouncils)
    .set({ orgPath: sql`${to} || substr(${streetCouncils.orgPath}, ${from.length + 1})` })
    .where(sql`${streetCouncils.orgPath} like ${`${from}%`}`);
});

/** A council is seen by deliberation:read holders whose jurisdiction holds its street. */
export const councilsScope = defineScope(streetCouncils, {
  id: streetCouncils.id,
  path: streetCouncils.orgPath,
  rule: (actor, inJurisdiction) => (actor.permissions.has('deliberation:read') ? inJurisdiction : sql`false`),
  visibleRow: (actor, _row, inJurisdiction) => actor.permissions.has('deliberation:read') && inJurisdiction,
});

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** 街道议事会 set up for a street of the actor's jurisdiction, once per street. */
export async function createCouncil(db: Db, actor: Actor, input: CouncilInput, meta: RequestMeta) {
  const [street] = await db.select().from(orgUnits).where(eq(orgUnits.id, input.streetId));
  if (!street || street.retiredAt || street.level !== 'street' || !pathInScope(actor, street.path))
    throw fieldError('streetId', 'inJurisdiction', 'COUNCIL_STREET');
  if (input.termEnd <= input.termStart) throw fieldError('termEnd', 'afterStart', 'COUNCIL_TERM');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(streetCouncils)
      .values({
        streetId: street.id,
        orgPath: street.path,
        name: input.name,
        termStart: input.termStart,
        termEnd: input.termEnd,
      })
      .onConflictDoNothing()
      .returning({ id: streetCouncils.id });
    if (!row) throw fieldError('streetId', 'unique', 'COUNCIL_DUPLICATE');
    await appendAudit(
      tx as Db,
      auditActorOf(actor, meta),
      auditEntry(
        'council.created',
        { targetType: 'streetCouncil', targetId: row.id },
        { streetId: street.id },
      ),
    );
    return row;
  });
}

const activeMembers = (councilId: number) =>
  and(eq(streetCouncilMembers.councilId, councilId), isNull(streetCouncilMembers.leftAt));

function byCategory(members: { category: CouncilMemberCategory }[]) {
  const out: Record<string, number> = Object.fromEntries(councilMemberCategories.map((c) => [c, 0]));
  for (const m of members) out[m.category] = (out[m.category] ?? 0) + 1;
  return out;
}

/** The councils in sight, with their member counts. */
export async function listCouncils(
  db: Db,
  actor: Actor,
  q: { page: number; pageSize: number; orgUnitId?: number | undefined },
) {
  const where: SQL | undefined =
    q.orgUnitId !== undefined
      ? areaCondition(await resolveArea(db, actor, q.orgUnitId), streetCouncils.orgPath)
      : undefined;
  const { items, total } = await listScoped(db, actor, councilsScope, {
    where,
    orderBy: [asc(streetCouncils.orgPath)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const ids = items.map((c) => c.id);
  const [members, streets] = await Promise.all([
    ids.length
      ? db
          .select({ councilId: streetCouncilMembers.councilId, category: streetCouncilMembers.category })
          .from(streetCouncilMembers)
          .where(and(inArray(streetCouncilMembers.councilId, ids), isNull(streetCouncilMembers.leftAt)))
      : [],
    ids.length
      ? db
          .select({ id: orgUnits.id, name: orgUnits.name })
          .from(orgUnits)
          .where(
            inArray(
              orgUnits.id,
              items.map((c) => c.streetId),
            ),
          )
      : [],
  ]);
  return {
    items: items.map((c) => {
      const mine = members.filter((m) => m.councilId === c.id);
      return {
        id: c.id,
        streetId: c.streetId,
        streetName: streets.find((s) => s.id === c.streetId)?.name ?? '',
        name: c.name,
        termStart: c.termStart,
        termEnd: c.termEnd,
        memberCount: mine.length,
        byCategory: byCategory(mine),
      };
    }),
    total,
  };
}

/** One council with its current members (phones masked) and how many meetings each attended. */
export async function councilDetail(db: Db, actor: Actor, id: number) {
  const c = await loadScoped(db, actor, councilsScope, id);
  const [members, [street]] = await Promise.all([
    db
      .select()
      .from(streetCouncilMembers)
      .where(activeMembers(id))
      .orderBy(
        asc(streetCouncilMembers.category),
        asc(streetCouncilMembers.joinedOn),
        asc(streetCouncilMembers.id),
      ),
    db.select({ name: orgUnits.name }).from(orgUnits).where(eq(orgUnits.id, c.streetId)),
  ]);
  const ids = members.map((m) => m.id);
  const attended = ids.length
    ? await db
        .select({ id: deliberationAttendances.memberId, n: count() })
        .from(deliberationAttendances)
        .where(inArray(deliberationAttendances.memberId, ids))
        .groupBy(deliberationAttendances.memberId)
    : [];
  const order = new Map(councilMemberCategories.map((k, i) => [k, i]));
  members.sort((a, b) => (order.get(a.category) ?? 9) - (order.get(b.category) ?? 9));
  return {
    id: c.id,
    streetId: c.streetId,
    streetName: street?.name ?? '',
    name: c.name,
    termStart: c.termStart,
    termEnd: c.termEnd,
    members: members.map((m) => ({
      id: m.id,
      name: m.name,
      category: m.category,
      affiliation: m.affiliation,
      phone: m.phoneTail ? `${'*'.repeat(7)}${m.phoneTail}` : null,
      joinedOn: m.joinedOn,
      attended: Number(attended.find((a) => a.id === m.id)?.n ?? 0),
    })),
    byCategory: byCategory(members),
  };
}

/** A member seated on the council (the phone encrypted, its last four kept for the mask). */
export async function addCouncilMember(
  db: Db,
  crypto: FieldCrypto,
  actor: Actor,
  id: number,
  input: CouncilMemberInput,
  meta: RequestMeta,
) {
  return db.transaction(async (tx) => {
    await loadScoped(tx as Db, actor, councilsScope, id, { forUpdate: true });
    const [m] = await tx
      .insert(streetCouncilMembers)
      .values({
        councilId: id,
        name: input.name,
        category: input.category,
        affiliation: input.affiliation ?? null,
        phoneEnc: input.phone ? crypto.encrypt(input.phone) : null,
        phoneTail: input.phone ? input.phone.slice(-4) : null,
        joinedOn: input.joinedOn ?? today(),
      })
      .returning({ id: streetCouncilMembers.id });
    const memberId = (m as { id: string }).id;
    await appendAudit(
      tx as Db,
      auditActorOf(actor, meta),
      auditEntry(
        'council.memberAdded',
        { targetType: 'streetCouncil', targetId: id },
        { councilId: id, memberId, category: input.category },
      ),
    );
    return { id: memberId };
  });
}

/** A member leaves the council: out of its list and its quorum; his past attendance stays. */
export async function retireCouncilMember(
  db: Db,
  actor: Actor,
  id: number,
  memberId: string,
  meta: RequestMeta,
) {
  await db.transaction(async (tx) => {
    await loadScoped(tx as Db, actor, councilsScope, id, { forUpdate: true });
    const [m] = await tx
      .select()
      .from(streetCouncilMembers)
      .where(and(eq(streetCouncilMembers.id, memberId), eq(streetCouncilMembers.councilId, id)))
      .for('update');
    if (!m) throw new AppError('NOT_FOUND');
    if (m.leftAt) throw new AppError('COUNCIL_MEMBER_LEFT');
    await tx
      .update(streetCouncilMembers)
      .set({ leftAt: new Date() })
      .where(eq(streetCouncilMembers.id, memberId));
    await appendAudit(
      tx as Db,
      auditActorOf(actor, meta),
      auditEntry(
        'council.memberRetired',
        { targetType: 'streetCouncil', targetId: id },
        { councilId: id, memberId },
      ),
    );
  });
}

/**
 * 街道议事会 at a street-level deliberation's meeting: the representatives are the council's
 * current members, and attendance is taken member by member (`attendeeMemberIds`). Checks the
 * body against the council (400 naming the field) and returns what to write once the step is
 * taken; null when the deliberation is a community's or its street has no council yet (the
 * counts are then typed in, as for a 居民代表会议).
 */
export async function councilConvene(
  tx: Db | Tx,
  row: DeliberationRow,
  body: { representatives: number; attendees: number; attendeeMemberIds?: string[] | undefined },
): Promise<((tx: Db | Tx) => Promise<void>) | null> {
  const [unit] = await tx
    .select({ level: orgUnits.level })
    .from(orgUnits)
    .where(eq(orgUnits.id, row.orgUnitId));
  if (unit?.level !== 'street') return null;
  const [council] = await tx.select().from(streetCouncils).where(eq(streetCouncils.streetId, row.orgUnitId));
  if (!council) return null;
  const members = await tx
    .select({ id: streetCouncilMembers.id })
    .from(streetCouncilMembers)
    .where(activeMembers(council.id));
  if (!members.length) return null;
  if (body.representatives !== members.length)
    throw fieldError('representatives', 'councilMembers', 'COUNCIL_REPRESENTATIVES', {
      members: members.length,
    });
  const listed = body.attendeeMemberIds ?? [];
  const seated = new Set(members.map((m) => m.id));
  const stranger = listed.findIndex((id) => !seated.has(id));
  if (stranger >= 0) throw fieldError(`attendeeMemberIds.${stranger}`, 'councilMember', 'COUNCIL_NOT_MEMBER');
  const present = [...new Set(listed)];
  if (present.length !== body.attendees)
    throw fieldError('attendees', 'listedMembers', 'COUNCIL_ATTENDEES', { listed: present.length });
  return async (w) => {
    // The meeting held again replaces the attendance of the one before.
    await w.delete(deliberationAttendances).where(eq(deliberationAttendances.deliberationId, row.id));
    if (present.length)
      await w
        .insert(deliberationAttendances)
        .values(present.map((memberId) => ({ deliberationId: row.id, memberId })));
  };
}

/** Who of the council attended a street-level deliberation's meeting, for its detail. */
export async function attendanceOf(db: Db, deliberationId: string) {
  const rows = await db
    .select({
      memberId: streetCouncilMembers.id,
      name: streetCouncilMembers.name,
      category: streetCouncilMembers.category,
    })
    .from(deliberationAttendances)
    .innerJoin(streetCouncilMembers, eq(streetCouncilMembers.id, deliberationAttendances.memberId))
    .where(eq(deliberationAttendances.deliberationId, deliberationId))
    .orderBy(asc(streetCouncilMembers.category), asc(streetCouncilMembers.name));
  return rows.length ? rows : null;
}
