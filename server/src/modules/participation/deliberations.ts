import {
  type DeliberationDetail,
  type DeliberationInput,
  type DeliberationListQuery,
  type DeliberationStepBody,
  deliberationStepBodies,
} from '@civicgrid/core/api/deliberations';
import {
  type DeliberationStep,
  defaultVoteRules,
  judgeVote,
  meetingProblem,
  nextDeliberationState,
  voteRulesProblem,
} from '@civicgrid/core/participation/deliberation';
import { publicWishTitle } from '@civicgrid/core/participation/wishes';
import { and, asc, count, desc, eq, ilike, inArray, isNotNull, type SQL, sql } from 'drizzle-orm';
import { type AuditPayload, appendAudit, auditEntry } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { areaCondition, listScoped, loadScoped, pathInScope, resolveArea } from '../../platform/scope.js';
import { users } from '../accounts/tables.js';
import { registerPathFollower } from '../org/service.js';
import { departments, orgUnits } from '../org/tables.js';
import { attendanceOf, councilConvene } from './councils.js';
import {
  type DeliberationRow,
  deliberationAllowedActions,
  deliberationRefusal,
  deliberationsScope,
} from './policy.js';
import { type DeliberationNames, presentDeliberation, presentDeliberationDetail } from './presenter.js';
import { suggestionOf } from './suggestions.js';
import { deliberationEvents, deliberations } from './tables.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

registerPathFollower(async (tx, from, to) => {
  await tx
    .update(deliberations)
    .set({ orgPath: sql`${to} || substr(${deliberations.orgPath}, ${from.length + 1})` })
    .where(sql`${deliberations.orgPath} like ${`${from}%`}`);
});

function audit<A extends 'deliberation.proposed' | 'deliberation.action'>(
  tx: Db | Tx,
  actor: Actor,
  meta: RequestMeta,
  action: A,
  targetId: string,
  payload: AuditPayload<A>,
) {
  return appendAudit(
    tx as Db,
    auditActorOf(actor, meta),
    auditEntry(action, { targetType: 'deliberation', targetId }, payload),
  );
}

/**
 * 党支部提出建议 (POST /api/deliberations): a proposal for a community (居民代表会议) or a
 * street (街道议事会) in the actor's jurisdiction, with its vote rules (the defaults when none).
 */
export async function proposeDeliberation(db: Db, actor: Actor, input: DeliberationInput, meta: RequestMeta) {
  const [unit] = await db.select().from(orgUnits).where(eq(orgUnits.id, input.orgUnitId));
  if (
    !unit ||
    unit.retiredAt ||
    (unit.level !== 'community' && unit.level !== 'street') ||
    !pathInScope(actor, unit.path)
  )
    throw fieldError('orgUnitId', 'inJurisdiction', 'DELIBERATION_UNIT');
  if (input.reviewDepartmentId !== undefined) {
    const [d] = await db
      .select({ id: departments.id })
      .from(departments)
      .where(eq(departments.id, input.reviewDepartmentId));
    if (!d) throw fieldError('reviewDepartmentId', 'exists', 'DELIBERATION_DEPARTMENT_UNKNOWN');
  }
  const rules = input.rules ?? defaultVoteRules;
  const bad = voteRulesProblem(rules);
  if (bad) throw fieldError(`rules.${bad}`, 'share', 'DELIBERATION_RULES');
  const now = new Date();
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(deliberations)
      .values({
        title: input.title,
        proposal: input.proposal,
        orgUnitId: unit.id,
        orgPath: unit.path,
        reviewDepartmentId: input.reviewDepartmentId ?? null,
        rules,
        status: 'proposed',
        proposedBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: deliberations.id });
    const did = (row as { id: string }).id;
    await tx.insert(deliberationEvents).values({
      deliberationId: did,
      action: 'propose',
      fromState: null,
      toState: 'proposed',
      actorId: actor.userId,
      at: now,
    });
    await audit(tx, actor, meta, 'deliberation.proposed', did, { orgUnitId: unit.id });
    return did;
  });
  return { id, status: 'proposed' as const };
}

function parseBody<S extends DeliberationStep>(step: S, raw: unknown): DeliberationStepBody<S> {
  const parsed = deliberationStepBodies[step].safeParse(raw ?? {});
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({
      field: i.path.join('.') || 'body',
      rule: i.code,
      message: i.message,
    }));
    throw new AppError('VALIDATION', errors[0]?.message, errors);
  }
  return parsed.data as DeliberationStepBody<S>;
}

/** What a step writes on the row, the note and counts its trail event keeps, and its outcome. */
interface Effect {
  set: Partial<typeof deliberations.$inferInsert>;
  note: string | null;
  data: Record<string, unknown> | null;
  passed?: boolean;
}

/** One function per step: each checks its own rule and says what it writes. */
const stepEffects: {
  [S in DeliberationStep]: (row: DeliberationRow, body: DeliberationStepBody<S>, now: Date) => Effect;
} = {
  convene: (row, b) => {
    const meeting = { representatives: b.representatives, attendees: b.attendees };
    const problem = meetingProblem(meeting);
    if (problem) throw fieldError(problem.field, problem.rule, 'DELIBERATION_ATTENDANCE');
    const verdict = judgeVote(row.rules, meeting, { for: 0, against: 0, abstain: 0 });
    return {
      set: {
        meetingAt: new Date(b.at),
        meetingPlace: b.place ?? null,
        ...meeting,
      },
      note: b.note ?? null,
      data: { ...meeting, quorate: verdict.kind === 'decided' },
    };
  },
  vote: (row, b) => {
    const meeting = { representatives: row.representatives ?? 0, attendees: row.attendees ?? 0 };
    const votes = { for: b.for, against: b.against, abstain: b.abstain };
    const verdict = judgeVote(row.rules, meeting, votes);
    if (verdict.kind === 'overCount')
      throw fieldError(verdict.field, 'sumAtMostAttendees', 'DELIBERATION_OVER_COUNT', {
        cast: verdict.cast,
        attendees: verdict.attendees,
      });
    if (verdict.kind === 'belowQuorum')
      throw fieldError('attendees', 'quorum', 'DELIBERATION_BELOW_QUORUM', {
        attendees: verdict.attendees,
        quorum: verdict.quorum,
      });
    return {
      set: { votesFor: b.for, votesAgainst: b.against, votesAbstain: b.abstain, decision: b.note ?? null },
      note: b.note ?? null,
      data: { ...votes, needed: verdict.needed, passed: verdict.passed },
      passed: verdict.passed,
    };
  },
  implement: (_row, b) => ({ set: { implementation: b.note }, note: b.note, data: null }),
  review: (_row, b) => ({
    set: { reviewPassed: b.passed, reviewNote: b.note },
    note: b.note,
    data: { passed: b.passed },
    passed: b.passed,
  }),
  publish: (_row, b, now) => ({ set: { publishedAt: now }, note: b.note ?? null, data: null }),
};

/**
 * One step of a deliberation, in one transaction: lock it (404 outside sight), refuse what
 * the policy refuses (403, then 409), parse and judge the body (400, or 409 below quorum),
 * write the step with its trail event and audit row.
 */
export async function deliberationStep<S extends DeliberationStep>(
  db: Db,
  actor: Actor,
  id: string,
  step: S,
  rawBody: unknown,
  meta: RequestMeta,
): Promise<DeliberationDetail> {
  const now = new Date();
  await db.transaction(async (tx) => {
    const row = await loadScoped(tx, actor, deliberationsScope, id, { forUpdate: true });
    const refused = deliberationRefusal(actor, row, step);
    if (refused) throw refused;
    const body = parseBody(step, rawBody);
    const attendance =
      step === 'convene' ? await councilConvene(tx, row, body as DeliberationStepBody<'convene'>) : null;
    const effect = (stepEffects[step] as (r: DeliberationRow, b: unknown, n: Date) => Effect)(row, body, now);
    const to = nextDeliberationState(step, row.status, effect.passed ?? true) ?? row.status;
    await tx
      .update(deliberations)
      .set({ ...effect.set, status: to, updatedAt: now })
      .where(eq(deliberations.id, row.id));
    await tx.insert(deliberationEvents).values({
      deliberationId: row.id,
      action: step,
      fromState: row.status,
      toState: to,
      actorId: actor.userId,
      note: effect.note,
      data: effect.data,
      at: now,
    });
    if (attendance) await attendance(tx);
    await audit(tx, actor, meta, 'deliberation.action', row.id, { action: step, from: row.status, to });
  });
  return deliberationDetail(db, actor, id);
}

async function namesOf(db: Db, rows: DeliberationRow[]): Promise<DeliberationNames> {
  const unitIds = [...new Set(rows.map((r) => r.orgUnitId))];
  const deptIds = [...new Set(rows.map((r) => r.reviewDepartmentId).filter((x): x is number => x !== null))];
  const userIds = [...new Set(rows.map((r) => r.proposedBy))];
  const [units, depts, people] = await Promise.all([
    unitIds.length
      ? db
          .select({ id: orgUnits.id, name: orgUnits.name })
          .from(orgUnits)
          .where(inArray(orgUnits.id, unitIds))
      : [],
    deptIds.length
      ? db
          .select({ id: departments.id, name: departments.name })
          .from(departments)
          .where(inArray(departments.id, deptIds))
      : [],
    userIds.length
      ? db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, userIds))
      : [],
  ]);
  return {
    unit: new Map(units.map((u) => [u.id, u.name])),
    department: new Map(depts.map((d) => [d.id, d.name])),
    user: new Map(people.map((p) => [p.id, p.name])),
  };
}

/** One deliberation, its trail and the steps the actor may take now. */
export async function deliberationDetail(db: Db, actor: Actor, id: string): Promise<DeliberationDetail> {
  const row = await loadScoped(db, actor, deliberationsScope, id);
  const events = await db
    .select({ e: deliberationEvents, actorName: users.displayName })
    .from(deliberationEvents)
    .leftJoin(users, eq(users.id, deliberationEvents.actorId))
    .where(eq(deliberationEvents.deliberationId, id))
    .orderBy(asc(deliberationEvents.at), asc(deliberationEvents.id));
  const [suggestion, attendance] = await Promise.all([suggestionOf(db, id), attendanceOf(db, id)]);
  const detail = presentDeliberationDetail(
    row,
    await namesOf(db, [row]),
    events.map(({ e, actorName }) => ({
      action: e.action,
      fromState: e.fromState,
      toState: e.toState,
      actorName,
      note: e.note,
      data: e.data ?? null,
      at: e.at.toISOString(),
    })),
    deliberationAllowedActions(actor, row),
  );
  return { ...detail, suggestion, attendance };
}

/** The deliberations in sight, latest step first. */
export async function listDeliberations(db: Db, actor: Actor, q: DeliberationListQuery) {
  const cond: (SQL | undefined)[] = [
    q.status ? eq(deliberations.status, q.status) : undefined,
    q.q ? ilike(deliberations.title, `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
  ];
  if (q.orgUnitId !== undefined)
    cond.push(areaCondition(await resolveArea(db, actor, q.orgUnitId), deliberations.orgPath));
  const { items, total } = await listScoped(db, actor, deliberationsScope, {
    where: and(...cond),
    orderBy: [desc(deliberations.updatedAt), desc(deliberations.id)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const names = await namesOf(db, items);
  return { items: items.map((r) => presentDeliberation(r, names)), total };
}

/** Published texts leave with long digit runs masked (a phone or an ID number typed in a note). */
const publicText = (s: string | null) => (s === null ? null : publicWishTitle(s));

/**
 * 居民群众全程监督 (GET /api/public/deliberations): the published deliberations — the texts the
 * committee published, the meeting's and the vote's counts and when each step was taken. No
 * person's name: not the proposer's, not the reviewer's, not who took a step.
 */
export async function publicDeliberations(
  db: Db,
  q: { page: number; pageSize: number; orgUnitId?: number | undefined },
) {
  const where = and(
    isNotNull(deliberations.publishedAt),
    eq(deliberations.status, 'published'),
    q.orgUnitId !== undefined ? eq(deliberations.orgUnitId, q.orgUnitId) : undefined,
  );
  const [rows, [t]] = await Promise.all([
    db
      .select({ d: deliberations, unitName: orgUnits.name })
      .from(deliberations)
      .innerJoin(orgUnits, eq(orgUnits.id, deliberations.orgUnitId))
      .where(where)
      .orderBy(desc(deliberations.publishedAt), desc(deliberations.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(deliberations).where(where),
  ]);
  const ids = rows.map((r) => r.d.id);
  const steps = ids.length
    ? await db
        .select({
          id: deliberationEvents.deliberationId,
          action: deliberationEvents.action,
          at: deliberationEvents.at,
        })
        .from(deliberationEvents)
        .where(inArray(deliberationEvents.deliberationId, ids))
        .orderBy(asc(deliberationEvents.at), asc(deliberationEvents.id))
    : [];
  return {
    items: rows.map(({ d, unitName }) => ({
      id: d.id,
      title: publicWishTitle(d.title),
      proposal: publicWishTitle(d.proposal),
      orgUnitName: unitName,
      // Published from `reviewed` (adopted, carried out and reviewed) or from `rejected`.
      outcome: d.votesFor !== null && d.reviewPassed !== null ? ('adopted' as const) : ('rejected' as const),
      meeting:
        d.meetingAt && d.representatives !== null && d.attendees !== null
          ? { at: d.meetingAt.toISOString(), representatives: d.representatives, attendees: d.attendees }
          : null,
      vote:
        d.votesFor !== null
          ? { for: d.votesFor, against: d.votesAgainst ?? 0, abstain: d.votesAbstain ?? 0 }
          : null,
      decision: publicText(d.decision),
      implementation: publicText(d.implementation),
      reviewNote: publicText(d.reviewNote),
      publishedAt: (d.publishedAt as Date).toISOString(),
      steps: steps.filter((s) => s.id === d.id).map((s) => ({ step: s.action, at: s.at.toISOString() })),
    })),
    total: Number(t?.n ?? 0),
  };
}
