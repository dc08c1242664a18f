import type { ReportCaseInput } from '@civicgrid/core/api/cases';
import { nextState } from '@civicgrid/core/cases/stateMachine';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { locateGrid } from '../org/locator.js';
import { orgUnits } from '../org/tables.js';
import { afterCommit, applyEffect, type CaseDeps, eventActor } from './actions/apply.js';
import { type CaseRow, stepDeadline } from './actions/effect.js';
import { selfResolve } from './actions/selfResolve.js';
import { workCalendar } from './calendar.js';
import { nameBook } from './names.js';
import { notifyHolders } from './notifications.js';
import { bindFiles } from './photos.js';
import { guardFacts, refusal } from './policy.js';
import { caseEvents, cases } from './tables.js';

export function pathIds(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}

/** Grid, community and street of a grid path `/district/street/community/grid/`. */
function placeOf(path: string) {
  const [, street, community, grid] = pathIds(path);
  return { streetId: street ?? null, communityId: community ?? null, gridId: grid ?? null };
}

async function districtPool(db: Db, actor: Actor): Promise<{ id: number; path: string }> {
  const own = actor.orgPath ? pathIds(actor.orgPath)[0] : undefined;
  const [d] = await db
    .select({ id: orgUnits.id, path: orgUnits.path })
    .from(orgUnits)
    .where(own ? eq(orgUnits.id, own) : and(eq(orgUnits.level, 'district'), isNull(orgUnits.retiredAt)))
    .orderBy(asc(orgUnits.id))
    .limit(1);
  if (!d) throw fieldError('location', 'inDistrict', 'CASE_NO_DISTRICT');
  return d;
}

/** The caller's own case sent with this key on this channel; another user's key is not looked at. */
async function findByKey(db: Db, actor: Actor, channel: string, key: string): Promise<CaseRow | undefined> {
  const [row] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.createdBy, actor.userId), eq(cases.channel, channel), eq(cases.idempotencyKey, key)));
  return row;
}

/**
 * 上报: a new case in the grid holding its point (or where the reporter works, or the
 * district's pool), waiting for acceptance by its community — or, resolved on the spot by a
 * grid worker, waiting for verification. The same key on the same channel makes one case.
 *
 * `within`: another module's open transaction (a dispute or a visit turned into a case). The
 * case is written inside it (a savepoint), so a failure of the caller's other half leaves no
 * case; the notifications wait for the caller, who runs `afterCommit` once it has committed.
 */
export async function reportCase(
  deps: CaseDeps,
  actor: Actor,
  input: ReportCaseInput,
  meta: RequestMeta,
  within?: Db,
): Promise<{ row: CaseRow; created: boolean; afterCommit?: () => Promise<void> }> {
  const { crypto } = deps;
  const db = within ?? deps.db;
  const book = await nameBook(db);
  const cat = book.categories.get(input.categoryCode);
  if (!cat || cat.retiredAt) throw fieldError('categoryCode', 'exists', 'CATEGORY_UNKNOWN');
  const hasChildren = [...book.categories.values()].some((c) => c.parentCode === cat.code && !c.retiredAt);
  if (hasChildren) throw fieldError('categoryCode', 'leaf', 'CASE_CATEGORY_NOT_LEAF');
  if (!input.location && !input.address) throw fieldError('location', 'required', 'CASE_LOCATION_REQUIRED');
  if (input.selfResolve && !cat.selfResolvable)
    throw fieldError('selfResolve', 'selfResolvable', 'CASE_NOT_SELF_RESOLVABLE');
  if (input.selfResolve && !actor.permissions.has('case:selfResolve')) throw new AppError('FORBIDDEN');

  const hit = input.location ? await locateGrid(db, input.location.lat, input.location.lng) : null;
  // Without a point (an address only), the case belongs where the reporter works; a point
  // outside every grid goes to the district's pool.
  const orgPath =
    hit?.path ?? (!input.location && actor.orgPath ? actor.orgPath : (await districtPool(db, actor)).path);
  const place = placeOf(orgPath);
  const [districtId] = pathIds(orgPath);
  // The community's workstation accepts and dispatches what happens in its grids.
  const handlingUnitId = place.communityId ?? place.streetId ?? (districtId as number);
  const cal = await workCalendar(db);
  const now = Date.now();
  const accept = stepDeadline(cal, cat, cat.acceptMinutes, now);
  const isResident = !actor.permissions.has('case:read');
  // Anonymous: staff see no name and no phone; the reporter still follows the case as theirs.
  const anonymous = input.anonymous === true;
  const phone = anonymous ? undefined : input.reporter?.phone;

  const result = await db.transaction(async (tx) => {
    const day = new Date(now + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
    // SJ, the China date, the sequence's next number in at least six digits — in the insert itself.
    const code = sql`(select ${`SJ${day}`} || lpad(n::text, greatest(6, length(n::text)), '0')
      from nextval('case_code_seq') as n)`;
    // The same key on the same channel (a phone sending again) inserts nothing: the case it
    // made is looked up after, so the usual first send costs no lookup.
    const inserted = await tx
      .insert(cases)
      .values({
        code,
        status: 'reported',
        categoryCode: cat.code,
        channel: input.channel,
        priority: cat.priority,
        description: input.description,
        address: input.address ?? null,
        lat: input.location?.lat ?? null,
        lng: input.location?.lng ?? null,
        ...place,
        orgPath,
        handlingUnitId,
        reporterName: anonymous ? null : (input.reporter?.name ?? (isResident ? actor.displayName : null)),
        reporterPhoneEnc: phone ? crypto.encrypt(phone) : null,
        reporterPhoneIdx: phone ? crypto.blindIndex(phone) : null,
        publicDescription: input.publicDescription === true,
        reporterUserId: isResident || input.channel === 'grid_patrol' ? actor.userId : null,
        createdBy: actor.userId,
        idempotencyKey: input.idempotencyKey,
        step: accept.dueAt ? 'accept' : 'none',
        dueAt: accept.dueAt,
        warnAt: accept.warnAt,
        acceptBy: accept.dueAt,
        reportedAt: new Date(now),
      })
      .onConflictDoNothing({ target: [cases.createdBy, cases.channel, cases.idempotencyKey] })
      .returning();
    let row = inserted[0];
    // This key made a case already (a request sent again, or two at once): that case is the answer.
    if (!row) return null;
    const photoIds = await bindFiles(tx, actor, row.id, input.attachmentIds, 'attachmentIds');
    await tx.insert(caseEvents).values({
      caseId: row.id,
      action: 'report',
      fromState: null,
      toState: 'reported',
      ...eventActor(actor),
      note: null,
      data: { channel: input.channel },
      attachmentIds: photoIds.length ? photoIds : null,
    });
    if (input.selfResolve) {
      // The same action as on a reported case, written with the report: one audit row for both.
      const facts = await guardFacts(tx, actor, row, book);
      const refused = refusal(actor, row, 'selfResolve', facts);
      if (refused) throw refused;
      const to = nextState('selfResolve', 'reported') ?? 'resolved';
      const ctx = { tx, actor, row, to, facts, book, cat, cal, now };
      const effect = await selfResolve(ctx, input.selfResolve);
      row = await applyEffect(tx, actor, row, { action: 'selfResolve', to, clientKey: null, now }, effect);
    }
    const told = await notifyHolders(tx, { unitId: handlingUnitId }, 'case:accept', {
      kind: row.status === 'resolved' ? 'case.toVerify' : 'case.reported',
      title: `${row.status === 'resolved' ? '待核查' : '新事件待受理'}：${cat.name}`,
      body: input.description.slice(0, 80),
      caseId: row.id,
    });
    // Last: the audit chain's lock is held from here to the commit, so concurrent writers queue briefly.
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'case.reported',
      targetType: 'case',
      targetId: row.id,
      payload: { code: row.code, categoryCode: cat.code, channel: input.channel },
    });
    return { row, told };
  });
  if (!result) {
    const again = await findByKey(db, actor, input.channel, input.idempotencyKey);
    if (!again) throw new AppError('CONFLICT');
    return { row: again, created: false };
  }
  if (within) {
    const { row, told } = result;
    return { row, created: true, afterCommit: () => afterCommit(deps, row, told) };
  }
  await afterCommit(deps, result.row, result.told);
  return { row: result.row, created: true };
}
