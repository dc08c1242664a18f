import {
  type MilestoneDoneInput,
  type SocialProjectDetail,
  type SocialProjectInput,
  type SocialProjectQuery,
  type SpendingInput,
  socialProjectActionBodies,
} from '@civicgrid/core/api/socialOrgs';
import {
  nextSocialProjectState,
  overBudget,
  type SocialProjectAction,
  yuan,
} from '@civicgrid/core/participation/socialOrgs';
import { and, asc, desc, eq, ilike, inArray, type SQL, sql } from 'drizzle-orm';
import { type AuditPayload, appendAudit, auditEntry } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { addFileVisibility } from '../../platform/files.js';
import { areaCondition, listScoped, loadScoped, pathInScope, resolveArea } from '../../platform/scope.js';
import { users } from '../accounts/tables.js';
import { files } from '../cases/tables.js';
import { registerPathFollower } from '../org/service.js';
import { orgUnits } from '../org/tables.js';
import {
  recordRefusal,
  type SocialProjectRow,
  socialOrgsScope,
  socialProjectAllowedActions,
  socialProjectRefusal,
  socialProjectsScope,
} from './socialOrgPolicy.js';
import { type ProjectFigures, presentProject, presentProjectDetail } from './socialOrgPresenter.js';
import {
  socialOrgs,
  socialProjectEvents,
  socialProjectMilestones,
  socialProjectSpendings,
  socialProjects,
} from './socialOrgTables.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

// A street or community moved in the tree carries its projects (and its organizations) along.
registerPathFollower(async (tx, from, to) => {
  for (const t of [socialProjects, socialOrgs]) {
    await tx
      .update(t)
      .set({ orgPath: sql`${to} || substr(${t.orgPath}, ${from.length + 1})` })
      .where(sql`${t.orgPath} like ${`${from}%`}`);
  }
});

// A milestone's evidence is seen by whoever sees its project.
addFileVisibility(async (db, actor, fileId) => {
  const [row] = await db
    .select({ id: socialProjects.id })
    .from(socialProjectMilestones)
    .innerJoin(socialProjects, eq(socialProjects.id, socialProjectMilestones.projectId))
    .where(
      and(sql`${fileId}::uuid = any(${socialProjectMilestones.fileIds})`, socialProjectsScope.where(actor)),
    )
    .limit(1);
  return row !== undefined;
});

/** Today in China (UTC+8), as the calendar date milestones are due on. */
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

function audit<
  A extends
    | 'socialProject.applied'
    | 'socialProject.action'
    | 'socialProject.milestoneDone'
    | 'socialProject.spent',
>(tx: Db | Tx, actor: Actor, meta: RequestMeta, action: A, targetId: string, payload: AuditPayload<A>) {
  return appendAudit(
    tx as Db,
    auditActorOf(actor, meta),
    auditEntry(action, { targetType: 'socialProject', targetId }, payload),
  );
}

/**
 * 申报 (POST /api/social-projects): a project of a social organization the actor sees, bought by a
 * street or community of his jurisdiction, with its milestones inside the period. A retry with
 * the same key is the same project.
 */
export async function applyProject(db: Db, actor: Actor, input: SocialProjectInput, meta: RequestMeta) {
  const [org] = await db.select().from(socialOrgs).where(eq(socialOrgs.id, input.socialOrgId));
  if (!org || !socialOrgsScope.visible(actor, org))
    throw fieldError('socialOrgId', 'inJurisdiction', 'SOCIAL_ORG_UNKNOWN');
  const [unit] = await db.select().from(orgUnits).where(eq(orgUnits.id, input.orgUnitId));
  if (
    !unit ||
    unit.retiredAt ||
    (unit.level !== 'street' && unit.level !== 'community') ||
    !pathInScope(actor, unit.path)
  )
    throw fieldError('orgUnitId', 'inJurisdiction', 'SOCIAL_PROJECT_UNIT');
  if (input.endsOn < input.startsOn) throw fieldError('endsOn', 'afterStart', 'SOCIAL_PROJECT_PERIOD');
  const late = input.milestones.findIndex((m) => m.dueOn < input.startsOn || m.dueOn > input.endsOn);
  if (late !== -1) throw fieldError(`milestones.${late}.dueOn`, 'inPeriod', 'SOCIAL_PROJECT_MILESTONE_DUE');

  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(socialProjects)
      .values({
        socialOrgId: org.id,
        title: input.title,
        summary: input.summary ?? null,
        orgUnitId: unit.id,
        orgPath: unit.path,
        amountFen: input.amountFen,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        status: 'applied',
        idempotencyKey: input.idempotencyKey,
        createdBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning({ id: socialProjects.id });
    if (!row) {
      const [same] = await tx
        .select({ id: socialProjects.id, status: socialProjects.status })
        .from(socialProjects)
        .where(
          and(
            eq(socialProjects.createdBy, actor.userId),
            eq(socialProjects.idempotencyKey, input.idempotencyKey),
          ),
        );
      if (!same) throw new AppError('SOCIAL_PROJECT_INVALID_STATE');
      return same;
    }
    await tx
      .insert(socialProjectMilestones)
      .values(
        [...input.milestones]
          .sort((a, b) => a.dueOn.localeCompare(b.dueOn))
          .map((m, i) => ({ projectId: row.id, seq: i + 1, title: m.title, dueOn: m.dueOn })),
      );
    await tx.insert(socialProjectEvents).values({
      projectId: row.id,
      action: 'apply',
      fromState: null,
      toState: 'applied',
      actorId: actor.userId,
    });
    await audit(tx, actor, meta, 'socialProject.applied', row.id, {
      socialOrgId: org.id,
      orgUnitId: unit.id,
      amountFen: input.amountFen,
    });
    return { id: row.id, status: 'applied' as const };
  });
}

function parseBody<A extends SocialProjectAction>(action: A, raw: unknown) {
  const parsed = socialProjectActionBodies[action].safeParse(raw ?? {});
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({
      field: i.path.join('.') || 'body',
      rule: i.code,
      message: i.message,
    }));
    throw new AppError('VALIDATION', errors[0]?.message, errors);
  }
  return parsed.data as { budgetFen?: number; note?: string };
}

/** Loads the project under lock for a write (404 out of sight). */
const lockProject = (tx: Tx, actor: Actor, id: string) =>
  loadScoped(tx as unknown as Db, actor, socialProjectsScope, id, { forUpdate: true });

async function spentOn(tx: Db | Tx, projectId: string): Promise<number> {
  const [s] = await tx
    .select({ n: sql<number>`coalesce(sum(${socialProjectSpendings.amountFen}), 0)::int` })
    .from(socialProjectSpendings)
    .where(eq(socialProjectSpendings.projectId, projectId));
  return Number(s?.n ?? 0);
}

/**
 * One action on a project, in one transaction: lock (404), refuse (403, then 409), parse the body
 * (400), check its own rule — the approved budget at most what was asked, completion only with
 * every milestone done — and write it with its trail event and audit row.
 */
export async function projectAction(
  db: Db,
  actor: Actor,
  id: string,
  action: SocialProjectAction,
  rawBody: unknown,
  meta: RequestMeta,
): Promise<SocialProjectDetail> {
  await db.transaction(async (tx) => {
    const row = await lockProject(tx, actor, id);
    const refused = socialProjectRefusal(actor, row, action);
    if (refused) throw refused;
    const body = parseBody(action, rawBody);
    const set: Partial<typeof socialProjects.$inferInsert> = {};
    if (action === 'approve') {
      const budget = body.budgetFen ?? row.amountFen;
      if (budget > row.amountFen)
        throw fieldError('budgetFen', 'atMostAmount', 'SOCIAL_PROJECT_BUDGET', {
          requested: yuan(row.amountFen),
        });
      set.budgetFen = budget;
    }
    if (action === 'complete') {
      const [open] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(socialProjectMilestones)
        .where(
          and(eq(socialProjectMilestones.projectId, row.id), sql`${socialProjectMilestones.doneOn} is null`),
        );
      if (Number(open?.n ?? 0) > 0)
        throw new AppError('SOCIAL_PROJECT_MILESTONES_OPEN', undefined, [
          {
            field: 'milestones',
            rule: 'allDone',
            code: 'SOCIAL_PROJECT_MILESTONES_OPEN',
            params: { open: Number(open?.n) },
            message: `还有 ${Number(open?.n)} 个里程碑未完成，不能结项`,
          },
        ]);
    }
    const to = nextSocialProjectState(action, row.status) ?? row.status;
    await tx
      .update(socialProjects)
      .set({ ...set, status: to, updatedAt: new Date() })
      .where(eq(socialProjects.id, row.id));
    await tx.insert(socialProjectEvents).values({
      projectId: row.id,
      action,
      fromState: row.status,
      toState: to,
      actorId: actor.userId,
      note: body.note ?? null,
    });
    await audit(tx, actor, meta, 'socialProject.action', row.id, { action, from: row.status, to });
  });
  return projectDetail(db, actor, id);
}

/**
 * A milestone done (its date, evidence photos the actor uploaded, a note), once: the project is
 * locked, so of a burst of the same tick one writes and the others find it done (409).
 */
export async function completeMilestone(
  db: Db,
  actor: Actor,
  id: string,
  milestoneId: number,
  input: MilestoneDoneInput,
  meta: RequestMeta,
): Promise<SocialProjectDetail> {
  await db.transaction(async (tx) => {
    const row = await lockProject(tx, actor, id);
    const refused = recordRefusal(actor, row);
    if (refused) throw refused;
    const [m] = await tx
      .select()
      .from(socialProjectMilestones)
      .where(and(eq(socialProjectMilestones.id, milestoneId), eq(socialProjectMilestones.projectId, row.id)));
    if (!m) throw new AppError('NOT_FOUND');
    if (m.doneOn !== null) throw new AppError('SOCIAL_MILESTONE_DONE');
    if (input.doneOn > today()) throw fieldError('doneOn', 'notFuture', 'SOCIAL_MILESTONE_FUTURE');
    const ids = [...new Set(input.fileIds)];
    const own = await tx
      .select({ id: files.id })
      .from(files)
      .where(and(inArray(files.id, ids), eq(files.ownerId, actor.userId)));
    if (own.length !== ids.length) throw fieldError('fileIds', 'owned', 'SOCIAL_PROJECT_FILE_UNKNOWN');
    await tx
      .update(socialProjectMilestones)
      .set({ doneOn: input.doneOn, note: input.note ?? null, fileIds: ids, doneBy: actor.userId })
      .where(eq(socialProjectMilestones.id, m.id));
    await tx.update(socialProjects).set({ updatedAt: new Date() }).where(eq(socialProjects.id, row.id));
    await audit(tx, actor, meta, 'socialProject.milestoneDone', row.id, {
      milestoneId: m.id,
      files: ids.length,
    });
  });
  return projectDetail(db, actor, id);
}

/**
 * Money spent, against the approved budget: the project is locked, so two spendings at once are
 * added one after the other and the second that would pass the budget is refused (400 naming
 * amountFen with what is left). The same key again is the same spending.
 */
export async function recordSpending(
  db: Db,
  actor: Actor,
  id: string,
  input: SpendingInput,
  meta: RequestMeta,
): Promise<SocialProjectDetail> {
  await db.transaction(async (tx) => {
    const row = await lockProject(tx, actor, id);
    const refused = recordRefusal(actor, row);
    if (refused) throw refused;
    const [again] = await tx
      .select({ id: socialProjectSpendings.id })
      .from(socialProjectSpendings)
      .where(
        and(
          eq(socialProjectSpendings.projectId, row.id),
          eq(socialProjectSpendings.idempotencyKey, input.idempotencyKey),
        ),
      );
    if (again) return;
    const spent = await spentOn(tx, row.id);
    const left = overBudget(row.budgetFen ?? row.amountFen, spent, input.amountFen);
    if (left !== null)
      throw fieldError('amountFen', 'withinBudget', 'SOCIAL_PROJECT_OVER_BUDGET', { left: yuan(left) });
    await tx.insert(socialProjectSpendings).values({
      projectId: row.id,
      item: input.item,
      amountFen: input.amountFen,
      spentOn: input.spentOn,
      idempotencyKey: input.idempotencyKey,
      createdBy: actor.userId,
    });
    await tx.update(socialProjects).set({ updatedAt: new Date() }).where(eq(socialProjects.id, row.id));
    await audit(tx, actor, meta, 'socialProject.spent', row.id, {
      amountFen: input.amountFen,
      spentFen: spent + input.amountFen,
    });
  });
  return projectDetail(db, actor, id);
}

/** The names and figures of a page of projects, in four queries. */
export async function projectFigures(db: Db, rows: SocialProjectRow[]): Promise<ProjectFigures> {
  const ids = rows.map((r) => r.id);
  const orgIds = [...new Set(rows.map((r) => r.socialOrgId))];
  const unitIds = [...new Set(rows.map((r) => r.orgUnitId))];
  if (!ids.length)
    return { orgName: new Map(), unitName: new Map(), spent: new Map(), milestones: new Map() };
  const [orgs, units, spent, ms] = await Promise.all([
    db
      .select({ id: socialOrgs.id, name: socialOrgs.name })
      .from(socialOrgs)
      .where(inArray(socialOrgs.id, orgIds)),
    db.select({ id: orgUnits.id, name: orgUnits.name }).from(orgUnits).where(inArray(orgUnits.id, unitIds)),
    db
      .select({
        id: socialProjectSpendings.projectId,
        n: sql<number>`sum(${socialProjectSpendings.amountFen})::int`,
      })
      .from(socialProjectSpendings)
      .where(inArray(socialProjectSpendings.projectId, ids))
      .groupBy(socialProjectSpendings.projectId),
    db
      .select({
        id: socialProjectMilestones.projectId,
        total: sql<number>`count(*)::int`,
        done: sql<number>`count(${socialProjectMilestones.doneOn})::int`,
      })
      .from(socialProjectMilestones)
      .where(inArray(socialProjectMilestones.projectId, ids))
      .groupBy(socialProjectMilestones.projectId),
  ]);
  return {
    orgName: new Map(orgs.map((o) => [o.id, o.name])),
    unitName: new Map(units.map((u) => [u.id, u.name])),
    spent: new Map(spent.map((s) => [s.id, Number(s.n)])),
    milestones: new Map(ms.map((m) => [m.id, { total: Number(m.total), done: Number(m.done) }])),
  };
}

/** One project: milestones, spending, its trail and what the actor may do now. */
export async function projectDetail(db: Db, actor: Actor, id: string): Promise<SocialProjectDetail> {
  const row = await loadScoped(db, actor, socialProjectsScope, id);
  const [figures, milestones, spendings, events] = await Promise.all([
    projectFigures(db, [row]),
    db
      .select()
      .from(socialProjectMilestones)
      .where(eq(socialProjectMilestones.projectId, id))
      .orderBy(asc(socialProjectMilestones.seq)),
    db
      .select({ s: socialProjectSpendings, name: users.displayName })
      .from(socialProjectSpendings)
      .leftJoin(users, eq(users.id, socialProjectSpendings.createdBy))
      .where(eq(socialProjectSpendings.projectId, id))
      .orderBy(asc(socialProjectSpendings.spentOn), asc(socialProjectSpendings.id)),
    db
      .select({ e: socialProjectEvents, name: users.displayName })
      .from(socialProjectEvents)
      .leftJoin(users, eq(users.id, socialProjectEvents.actorId))
      .where(eq(socialProjectEvents.projectId, id))
      .orderBy(asc(socialProjectEvents.at), asc(socialProjectEvents.id)),
  ]);
  const now = today();
  return presentProjectDetail(row, figures, {
    milestoneList: milestones.map((m) => ({
      id: m.id,
      title: m.title,
      dueOn: m.dueOn,
      doneOn: m.doneOn,
      note: m.note,
      fileIds: m.fileIds,
      overdue: m.doneOn === null && m.dueOn < now && row.status === 'inProgress',
    })),
    spendings: spendings.map(({ s, name }) => ({
      id: s.id,
      item: s.item,
      amountFen: s.amountFen,
      spentOn: s.spentOn,
      createdByName: name,
    })),
    events: events.map(({ e, name }) => ({
      action: e.action,
      fromState: e.fromState,
      toState: e.toState,
      actorName: name,
      note: e.note,
      at: e.at.toISOString(),
    })),
    allowedActions: socialProjectAllowedActions(actor, row),
    mayRecord: recordRefusal(actor, row) === null,
  });
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The projects in sight, latest change first. */
export async function listProjects(db: Db, actor: Actor, q: SocialProjectQuery) {
  const cond: (SQL | undefined)[] = [
    q.status ? eq(socialProjects.status, q.status) : undefined,
    q.socialOrgId ? eq(socialProjects.socialOrgId, q.socialOrgId) : undefined,
    q.q ? ilike(socialProjects.title, `%${escapeLike(q.q)}%`) : undefined,
  ];
  if (q.orgUnitId !== undefined)
    cond.push(areaCondition(await resolveArea(db, actor, q.orgUnitId), socialProjects.orgPath));
  const { items, total } = await listScoped(db, actor, socialProjectsScope, {
    where: and(...cond),
    orderBy: [desc(socialProjects.updatedAt), desc(socialProjects.id)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const figures = await projectFigures(db, items);
  return { items: items.map((r) => presentProject(r, figures)), total };
}
