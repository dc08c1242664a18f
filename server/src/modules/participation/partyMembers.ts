import type {
  PartyHousehold,
  PartyHouseholdInput,
  PartyMember,
  PartyMemberInput,
  PartyMemberPatch,
} from '@civicgrid/core/api/partyOrgs';
import { householdLevels, partyMemberRoles } from '@civicgrid/core/participation/partyOrgs';
import { and, asc, count, eq, isNull, ne, type SQL, sql } from 'drizzle-orm';
import { appendAudit, auditEntry } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { loadScoped } from '../../platform/scope.js';
import { residentScope } from '../residents/policy.js';
import { residents } from '../residents/tables.js';
import {
  type PartyHouseholdRow,
  type PartyMemberRow,
  partyOrgsScope,
  presentHouseholds,
  presentMembers,
} from './partyOrgPresenter.js';
import { partyHouseholds, partyMembers } from './partyOrgTables.js';

type Deps = Pick<AppDeps, 'db' | 'crypto'>;

/** A live organization the actor sees (404 otherwise; 409 when it has been dissolved). */
async function liveOrg(db: Db, actor: Actor, id: string) {
  const org = await loadScoped(db, actor, partyOrgsScope, id);
  if (org.retiredAt) throw new AppError('PARTY_ORG_RETIRED');
  return org;
}

const roleOrder = sql.raw(
  `case role ${partyMemberRoles.map((r, i) => `when '${r}' then ${i}`).join(' ')} else 9 end`,
);

/** The live members of an organization, secretary first; `q` finds a name (on file or not). */
export async function listMembers(
  deps: Deps,
  actor: Actor,
  orgId: string,
  q: { page: number; pageSize: number; q?: string | undefined; role?: PartyMemberRow['role'] | undefined },
) {
  const { db } = deps;
  const org = await loadScoped(db, actor, partyOrgsScope, orgId);
  const cond: (SQL | undefined)[] = [eq(partyMembers.partyOrgId, org.id), isNull(partyMembers.removedAt)];
  if (q.role) cond.push(eq(partyMembers.role, q.role));
  if (q.q) {
    const term = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    cond.push(
      sql`coalesce(${partyMembers.name}, (select r.name from ${residents} r where r.id = ${partyMembers.residentId})) like ${term}`,
    );
  }
  const where = and(...cond);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(partyMembers)
      .where(where)
      .orderBy(roleOrder, asc(partyMembers.createdAt))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(partyMembers).where(where),
  ]);
  return { items: await presentMembers(db, deps.crypto, actor, rows), total: Number(total?.n ?? 0) };
}

/**
 * 登记党员: a resident of the organization's area, linked to his file (his name and home are
 * read from it), or a member not on file by name. One live membership per resident and per
 * name in an organization, one secretary: a repeat — or a burst of the same request — is 409.
 */
export async function addMember(
  deps: Deps,
  actor: Actor,
  orgId: string,
  input: PartyMemberInput,
  meta: RequestMeta,
) {
  const { db } = deps;
  const org = await liveOrg(db, actor, orgId);
  if (input.residentId !== undefined) {
    const [r] = await db.select().from(residents).where(eq(residents.id, input.residentId));
    if (!r || !residentScope.visible(actor, r) || !r.orgPath.startsWith(org.orgPath))
      throw fieldError('residentId', 'inArea', 'PARTY_MEMBER_RESIDENT');
  }
  const row = await db.transaction(async (tx) => {
    const [m] = await tx
      .insert(partyMembers)
      .values({
        partyOrgId: org.id,
        orgPath: org.orgPath,
        residentId: input.residentId ?? null,
        name: input.residentId === undefined ? (input.name ?? null) : null,
        role: input.role,
        joinedOn: input.joinedOn ?? null,
        inService: input.inService,
        createdBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning();
    if (!m) return null;
    await appendAudit(
      tx as Db,
      auditActorOf(actor, meta),
      auditEntry(
        'partyMember.added',
        { targetType: 'partyMember', targetId: m.id },
        { partyOrgId: org.id, role: m.role, resident: m.residentId !== null },
      ),
    );
    return m;
  });
  if (!row) {
    const [sec] =
      input.role === 'secretary'
        ? await db
            .select({ id: partyMembers.id })
            .from(partyMembers)
            .where(
              and(
                eq(partyMembers.partyOrgId, org.id),
                eq(partyMembers.role, 'secretary'),
                isNull(partyMembers.removedAt),
              ),
            )
        : [];
    if (sec) throw fieldError('role', 'oneSecretary', 'PARTY_MEMBER_SECRETARY');
    throw fieldError(
      input.residentId !== undefined ? 'residentId' : 'name',
      'unique',
      'PARTY_MEMBER_DUPLICATE',
    );
  }
  return (await presentMembers(db, deps.crypto, actor, [row]))[0] as PartyMember;
}

/** The name of the unique index a statement ran into (SQLSTATE 23505), if that is why it failed. */
function uniqueViolated(e: unknown): string | null {
  const err = ((e as { cause?: unknown }).cause ?? e) as { code?: string; constraint?: string };
  return err?.code === '23505' ? (err.constraint ?? '') : null;
}

/**
 * 修改党员: his role, joining date, in-service flag, or the name of a member not on file — with
 * the rules of registering him. The organization's row is locked first, so two promotions to
 * 书记 in one organization run one after the other and the second finds the first (409 naming
 * `role`, nothing written); the partial unique index stands behind it.
 */
export async function updateMember(
  deps: Deps,
  actor: Actor,
  orgId: string,
  memberId: string,
  patch: PartyMemberPatch,
  meta: RequestMeta,
) {
  const { db } = deps;
  const row = await db
    .transaction(async (tx) => {
      const org = await loadScoped(tx as Db, actor, partyOrgsScope, orgId, { forUpdate: true });
      if (org.retiredAt) throw new AppError('PARTY_ORG_RETIRED');
      const [m] = await tx
        .select()
        .from(partyMembers)
        .where(
          and(
            eq(partyMembers.id, memberId),
            eq(partyMembers.partyOrgId, org.id),
            isNull(partyMembers.removedAt),
          ),
        )
        .for('update');
      if (!m) throw new AppError('NOT_FOUND');
      if (patch.name !== undefined && m.residentId !== null)
        throw fieldError('name', 'onFile', 'PARTY_MEMBER_NAME_ON_FILE');
      const others = (cond: SQL) =>
        tx
          .select({ id: partyMembers.id })
          .from(partyMembers)
          .where(
            and(
              eq(partyMembers.partyOrgId, org.id),
              ne(partyMembers.id, m.id),
              isNull(partyMembers.removedAt),
              cond,
            ),
          )
          .limit(1);
      if (patch.role === 'secretary' && m.role !== 'secretary') {
        const [sec] = await others(eq(partyMembers.role, 'secretary'));
        if (sec) throw fieldError('role', 'oneSecretary', 'PARTY_MEMBER_SECRETARY');
      }
      if (patch.name !== undefined && patch.name !== m.name) {
        const [same] = await others(eq(partyMembers.name, patch.name));
        if (same) throw fieldError('name', 'unique', 'PARTY_MEMBER_DUPLICATE');
      }
      const [u] = await tx
        .update(partyMembers)
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.role !== undefined ? { role: patch.role } : {}),
          ...(patch.joinedOn !== undefined ? { joinedOn: patch.joinedOn } : {}),
          ...(patch.inService !== undefined ? { inService: patch.inService } : {}),
        })
        .where(eq(partyMembers.id, m.id))
        .returning();
      await appendAudit(
        tx as Db,
        auditActorOf(actor, meta),
        auditEntry(
          'partyMember.updated',
          { targetType: 'partyMember', targetId: m.id },
          {
            partyOrgId: org.id,
            fields: Object.keys(patch).filter((k) => patch[k as keyof PartyMemberPatch] !== undefined),
            fromRole: m.role,
            toRole: (u as PartyMemberRow).role,
          },
        ),
      );
      return u as PartyMemberRow;
    })
    .catch((e: unknown) => {
      // A secretary registered by a POST between the check and the update: the index refuses it.
      const index = uniqueViolated(e);
      if (index === 'party_members_secretary_idx')
        throw fieldError('role', 'oneSecretary', 'PARTY_MEMBER_SECRETARY');
      if (index !== null) throw fieldError('name', 'unique', 'PARTY_MEMBER_DUPLICATE');
      throw e;
    });
  return (await presentMembers(db, deps.crypto, actor, [row]))[0] as PartyMember;
}

/** 移除党员 (转出、去世…): soft, with his 中心户 mark lifted in the same transaction. */
export async function removeMember(
  deps: Deps,
  actor: Actor,
  orgId: string,
  memberId: string,
  meta: RequestMeta,
) {
  const { db } = deps;
  const org = await loadScoped(db, actor, partyOrgsScope, orgId);
  const row = await db.transaction(async (tx) => {
    const [m] = await tx
      .select()
      .from(partyMembers)
      .where(
        and(
          eq(partyMembers.id, memberId),
          eq(partyMembers.partyOrgId, org.id),
          isNull(partyMembers.removedAt),
        ),
      )
      .for('update');
    if (!m) throw new AppError('NOT_FOUND');
    const now = new Date();
    const [removed] = await tx
      .update(partyMembers)
      .set({ removedAt: now, removedBy: actor.userId })
      .where(eq(partyMembers.id, m.id))
      .returning();
    const lifted = await tx
      .update(partyHouseholds)
      .set({ unmarkedAt: now, unmarkedBy: actor.userId })
      .where(and(eq(partyHouseholds.memberId, m.id), isNull(partyHouseholds.unmarkedAt)))
      .returning({ id: partyHouseholds.id });
    await appendAudit(
      tx as Db,
      auditActorOf(actor, meta),
      auditEntry(
        'partyMember.removed',
        { targetType: 'partyMember', targetId: m.id },
        { partyOrgId: org.id, households: lifted.length },
      ),
    );
    return removed as PartyMemberRow;
  });
  return (await presentMembers(db, deps.crypto, actor, [row]))[0] as PartyMember;
}

/**
 * 设立党员中心户: a live member of this branch or building group whose resident file has a
 * household; his home is that household. Once per member (a repeat or a burst: 409).
 */
export async function markHousehold(
  deps: Deps,
  actor: Actor,
  orgId: string,
  input: PartyHouseholdInput,
  meta: RequestMeta,
) {
  const { db } = deps;
  const org = await liveOrg(db, actor, orgId);
  if (!householdLevels.includes(org.level)) throw new AppError('PARTY_HOUSEHOLD_LEVEL');
  const [m] = await db
    .select()
    .from(partyMembers)
    .where(
      and(
        eq(partyMembers.id, input.memberId),
        eq(partyMembers.partyOrgId, org.id),
        isNull(partyMembers.removedAt),
      ),
    );
  if (!m) throw fieldError('memberId', 'member', 'PARTY_HOUSEHOLD_MEMBER');
  const [home] = m.residentId
    ? await db
        .select({ householdId: residents.householdId })
        .from(residents)
        .where(eq(residents.id, m.residentId))
    : [];
  if (!home?.householdId) throw fieldError('memberId', 'home', 'PARTY_HOUSEHOLD_HOME');
  const householdId = home.householdId;
  const row = await db.transaction(async (tx) => {
    const [h] = await tx
      .insert(partyHouseholds)
      .values({
        memberId: m.id,
        partyOrgId: org.id,
        orgPath: org.orgPath,
        householdId,
        services: [...new Set(input.services)],
        neighbours: input.neighbours ?? null,
        markedOn: input.markedOn ?? new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
        markedBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning();
    if (!h) return null;
    await appendAudit(
      tx as Db,
      auditActorOf(actor, meta),
      auditEntry(
        'partyHousehold.marked',
        { targetType: 'partyHousehold', targetId: h.id },
        { partyOrgId: org.id, memberId: m.id },
      ),
    );
    return h;
  });
  if (!row) throw fieldError('memberId', 'unique', 'PARTY_HOUSEHOLD_DUPLICATE');
  return (await presentHouseholds(db, deps.crypto, actor, [row]))[0] as PartyHousehold;
}

/** 取消党员中心户: soft; a second request finds none live (404). */
export async function unmarkHousehold(
  deps: Deps,
  actor: Actor,
  orgId: string,
  householdId: string,
  meta: RequestMeta,
) {
  const { db } = deps;
  const org = await loadScoped(db, actor, partyOrgsScope, orgId);
  const row = await db.transaction(async (tx) => {
    const [h] = await tx
      .update(partyHouseholds)
      .set({ unmarkedAt: new Date(), unmarkedBy: actor.userId })
      .where(
        and(
          eq(partyHouseholds.id, householdId),
          eq(partyHouseholds.partyOrgId, org.id),
          isNull(partyHouseholds.unmarkedAt),
        ),
      )
      .returning();
    if (!h) throw new AppError('NOT_FOUND');
    await appendAudit(
      tx as Db,
      auditActorOf(actor, meta),
      auditEntry(
        'partyHousehold.unmarked',
        { targetType: 'partyHousehold', targetId: h.id },
        { partyOrgId: org.id, memberId: h.memberId },
      ),
    );
    return h as PartyHouseholdRow;
  });
  return (await presentHouseholds(db, deps.crypto, actor, [row]))[0] as PartyHousehold;
}
