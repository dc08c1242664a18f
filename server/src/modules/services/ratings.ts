import { timingSafeEqual } from 'node:crypto';
import {
  badRatingFrom,
  type ratingInput,
  ratingLevelNames,
  type rectificationListQuery,
} from '@civicgrid/core/api/services';
import type { ApplicationState } from '@civicgrid/core/services/stateMachine';
import { startClock } from '@civicgrid/core/services/timeLimit';
import { and, count, desc, eq, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { loadScoped, pathInScope } from '../../platform/scope.js';
import { workCalendar } from '../cases/calendar.js';
import { applicationsScope } from './policy.js';
import { applicationEvents, applicationRatings, applications, serviceItems } from './tables.js';

type RatingRow = typeof applicationRatings.$inferSelect;
type ApplicationFacts = Pick<typeof applications.$inferSelect, 'id' | 'code' | 'serviceCode'>;

/** The name of the item version an application was taken in under (what the list shows). */
async function itemNameOf(db: Db, a: Pick<typeof applications.$inferSelect, 'serviceItemId'>) {
  const [item] = await db
    .select({ name: serviceItems.name })
    .from(serviceItems)
    .where(eq(serviceItems.id, a.serviceItemId));
  return item?.name ?? '';
}

/** An application is rated once it has ended: its result out, or refused. */
const ratable: readonly ApplicationState[] = ['issued', 'collected', 'rejected'];
/** Working days the unit has to rectify what a bad rating found. */
const rectifyDays = 5;

function presentRectification(r: RatingRow, a: ApplicationFacts, serviceName: string, now = Date.now()) {
  if (r.rectifyBy === null) return null;
  return {
    id: r.id,
    applicationId: a.id,
    applicationCode: a.code,
    serviceCode: a.serviceCode,
    serviceName,
    level: r.level,
    comment: r.comment,
    rectifyBy: r.rectifyBy.toISOString(),
    rectifiedAt: r.rectifiedAt?.toISOString() ?? null,
    rectifyNote: r.rectifyNote,
    overdue: r.rectifiedAt === null && r.rectifyBy.getTime() < now,
  };
}

function presentRating(r: RatingRow, a: ApplicationFacts, serviceName: string) {
  return {
    id: r.id,
    applicationId: a.id,
    level: r.level,
    levelName: ratingLevelNames[r.level - 1] ?? String(r.level),
    comment: r.comment,
    channel: r.channel,
    ratedAt: r.ratedAt.toISOString(),
    rectification: presentRectification(r, a, serviceName),
  };
}

/**
 * 好差评, recorded by the window's staff (from the tablet at the window, or a phone
 * follow-up): once per application, after it ends. 不满意 and 非常不满意 open a
 * rectification due in five working days, in the same transaction.
 */
export async function rateApplication(
  db: Db,
  actor: Actor,
  applicationId: string,
  input: z.infer<typeof ratingInput>,
  meta: RequestMeta,
) {
  const cal = await workCalendar(db);
  return db.transaction(async (tx) => {
    const row = await loadScoped(tx, actor, applicationsScope, applicationId, { forUpdate: true });
    return recordRating(tx, cal, row, input, actor.userId, auditActorOf(actor, meta));
  });
}

/** The rating's row, its trail event and its audit row, in the caller's transaction. */
async function recordRating(
  tx: Db,
  cal: Awaited<ReturnType<typeof workCalendar>>,
  row: typeof applications.$inferSelect,
  input: z.infer<typeof ratingInput>,
  recordedBy: string | null,
  who: ReturnType<typeof auditActorOf>,
) {
  {
    if (!ratable.includes(row.status as ApplicationState))
      throw fieldError('applicationId', 'ended', 'RATING_NOT_ENDED');
    const now = Date.now();
    const bad = input.level >= badRatingFrom;
    const [rating] = await tx
      .insert(applicationRatings)
      .values({
        applicationId: row.id,
        level: input.level,
        comment: input.comment || null,
        channel: input.channel,
        recordedBy,
        ratedAt: new Date(now),
        rectifyBy: bad ? new Date(startClock(cal, now, rectifyDays).dueAt) : null,
      })
      .onConflictDoNothing({ target: applicationRatings.applicationId })
      .returning();
    if (!rating) throw fieldError('level', 'once', 'RATING_EXISTS');
    await tx.insert(applicationEvents).values({
      applicationId: row.id,
      action: 'rate',
      fromState: row.status,
      toState: row.status,
      actorId: recordedBy,
      note: input.comment || null,
      data: { level: input.level, channel: input.channel, rectification: bad },
      at: new Date(now),
    });
    await appendAudit(tx, who, {
      action: 'application.rated',
      targetType: 'application',
      targetId: row.id,
      payload: { level: input.level, channel: input.channel },
    });
    return presentRating(rating, row, await itemNameOf(tx, row));
  }
}

/**
 * The one-time rating token of an application (issue 15): the window's tablet or the
 * resident's phone opens /r/rate/{token} once the application has ended. It is the
 * application's id with a keyed HMAC, so it cannot be guessed or edited, and needs no row;
 * "one time" is the rating's own unique constraint (a second rating is 409).
 */
export function ratingToken(crypto: FieldCrypto, applicationId: string): string {
  return `${applicationId}.${crypto.tokenHash(`rating:${applicationId}`).slice(0, 24)}`;
}

/** 好差评 from /r/rate/{token}: no session, the token is the right to rate this application once. */
export async function rateByToken(
  db: Db,
  crypto: FieldCrypto,
  token: string,
  input: { level: number; comment?: string | undefined },
  meta: RequestMeta,
) {
  const [id = ''] = token.split('.');
  const expected = /^[0-9a-f-]{36}$/i.test(id) ? Buffer.from(ratingToken(crypto, id)) : null;
  const given = Buffer.from(token);
  if (!expected || expected.length !== given.length || !timingSafeEqual(expected, given))
    throw new AppError('NOT_FOUND');
  const cal = await workCalendar(db);
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(applications).where(eq(applications.id, id)).for('update');
    if (!row) throw new AppError('NOT_FOUND');
    return recordRating(tx, cal, row, { ...input, channel: 'window' }, null, auditActorOf(null, meta));
  });
}

export async function ratingOf(db: Db, actor: Actor, applicationId: string) {
  const row = await loadScoped(db, actor, applicationsScope, applicationId);
  const [rating] = await db
    .select()
    .from(applicationRatings)
    .where(eq(applicationRatings.applicationId, row.id));
  if (!rating) throw new AppError('NOT_FOUND');
  return presentRating(rating, row, await itemNameOf(db, row));
}

/** Rectifications of the applications the actor sees, the most urgent open ones first. */
export async function listRectifications(db: Db, actor: Actor, q: z.infer<typeof rectificationListQuery>) {
  const cond: (SQL | undefined)[] = [
    isNotNull(applicationRatings.rectifyBy),
    applicationsScope.where(actor),
    q.open === undefined
      ? undefined
      : q.open
        ? isNull(applicationRatings.rectifiedAt)
        : isNotNull(applicationRatings.rectifiedAt),
  ];
  const where = and(...cond);
  const [rows, [total]] = await Promise.all([
    db
      .select({ r: applicationRatings, a: applications, serviceName: serviceItems.name })
      .from(applicationRatings)
      .innerJoin(applications, eq(applications.id, applicationRatings.applicationId))
      .innerJoin(serviceItems, eq(serviceItems.id, applications.serviceItemId))
      .where(where)
      .orderBy(
        sql`${applicationRatings.rectifiedAt} is not null`,
        applicationRatings.rectifyBy,
        desc(applicationRatings.ratedAt),
      )
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db
      .select({ n: count() })
      .from(applicationRatings)
      .innerJoin(applications, eq(applications.id, applicationRatings.applicationId))
      .where(where),
  ]);
  const now = Date.now();
  return {
    items: rows.flatMap((x) => presentRectification(x.r, x.a, x.serviceName, now) ?? []),
    total: total?.n ?? 0,
  };
}

/**
 * 整改办结: the back office of the unit that took the application in (or a level above it)
 * reviews what was done and closes the rectification with a note.
 */
export async function closeRectification(db: Db, actor: Actor, id: string, note: string, meta: RequestMeta) {
  const [found] = await db.select().from(applicationRatings).where(eq(applicationRatings.id, id));
  if (!found || found.rectifyBy === null) throw new AppError('NOT_FOUND');
  return db.transaction(async (tx) => {
    const row = await loadScoped(tx, actor, applicationsScope, found.applicationId, { forUpdate: true });
    if (!actor.global && !pathInScope(actor, row.orgPath)) throw new AppError('APPLICATION_NOT_YOURS');
    const now = new Date();
    const [closed] = await tx
      .update(applicationRatings)
      .set({ rectifiedAt: now, rectifiedBy: actor.userId, rectifyNote: note })
      .where(and(eq(applicationRatings.id, id), isNull(applicationRatings.rectifiedAt)))
      .returning();
    if (!closed) throw fieldError('id', 'closed', 'RECTIFICATION_CLOSED');
    await tx.insert(applicationEvents).values({
      applicationId: row.id,
      action: 'closeRectification',
      fromState: row.status,
      toState: row.status,
      actorId: actor.userId,
      note,
      at: now,
    });
    await appendAudit(tx, auditActorOf(actor, meta), {
      action: 'rectification.closed',
      targetType: 'application',
      targetId: row.id,
      payload: { applicationId: row.id },
    });
    const presented = presentRectification(closed, row, await itemNameOf(tx, row));
    if (!presented) throw new AppError('NOT_FOUND');
    return presented;
  });
}
