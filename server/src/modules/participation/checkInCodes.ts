import { timingSafeEqual } from 'node:crypto';
import type { CheckInCode, CheckInCodeState, CodeAttendance } from '@civicgrid/core/api/volunteerTeams';
import { checkInWindow } from '@civicgrid/core/participation/volunteers';
import { and, count, eq, isNull, sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { Db } from '../../platform/db.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { loadScoped } from '../../platform/scope.js';
import { type ActivityRow, activitiesScope } from './policy.js';
import { volunteerActivities, volunteerAttendances, volunteerSignUps, volunteers } from './tables.js';
import { attendanceReply, audit, closeOpenPair, type Tx } from './volunteers.js';
import { teamNames } from './volunteerTeams.js';

/**
 * 扫码签到 (issue 19 item 4): the organiser shows (or prints) a QR code of /m/checkin/{token};
 * the volunteer scans it with his phone, signs in on /m and is checked in, or out when he is in.
 * The token is `{activityId}.{expiry}.{mac}`: a keyed HMAC (the server's index key, as the
 * rating tokens of /r/rate) over the activity and the expiry, so it needs no row, cannot be
 * edited to another activity or a later time, and is worthless once it expires.
 */

/** A printed code serves the whole activity and a late check-out: it expires this long after the end. */
export const codeGraceMs = 2 * 3600_000;

function mac(crypto: FieldCrypto, activityId: string, exp: string) {
  return crypto.tokenHash(`volunteer-checkin:${activityId}:${exp}`).slice(0, 24);
}

export function checkInToken(crypto: FieldCrypto, activityId: string, expiresAt: Date): string {
  const exp = Math.floor(expiresAt.getTime() / 1000).toString(36);
  return `${activityId}.${exp}.${mac(crypto, activityId, exp)}`;
}

/**
 * The activity a token names, or 404 (not a token we signed: forged, edited, another activity's
 * mac) — checked before the expiry so a forged token learns nothing — and 410 once it expired.
 */
export function readCheckInToken(crypto: FieldCrypto, token: string, now: Date): string {
  const [activityId = '', exp = '', given = ''] = token.split('.');
  if (!/^[0-9a-f-]{36}$/i.test(activityId) || !/^[0-9a-z]{1,10}$/.test(exp)) throw new AppError('NOT_FOUND');
  const expected = Buffer.from(mac(crypto, activityId, exp));
  const got = Buffer.from(given);
  if (expected.length !== got.length || !timingSafeEqual(expected, got)) throw new AppError('NOT_FOUND');
  if (Number.parseInt(exp, 36) * 1000 < now.getTime()) throw new AppError('VOLUNTEER_CODE_EXPIRED');
  return activityId;
}

export const checkInPath = (token: string) => `/m/checkin/${token}`;

/**
 * The code of an activity for its organiser (volunteer:manage, the activity in his sight): valid
 * until two hours after its end; a cancelled or long-ended activity has none (409).
 */
export async function issueCheckInCode(
  deps: AppDeps,
  actor: Actor,
  activityId: string,
  origin: string,
  meta: RequestMeta,
): Promise<CheckInCode> {
  const { db, crypto } = deps;
  const a = await loadScoped(db, actor, activitiesScope, activityId);
  const expiresAt = new Date(a.endsAt.getTime() + codeGraceMs);
  if (a.status !== 'open' || expiresAt.getTime() <= Date.now())
    throw new AppError('VOLUNTEER_ACTIVITY_CLOSED');
  const token = checkInToken(crypto, a.id, expiresAt);
  const path = checkInPath(token);
  const svg = await QRCode.toString(`${origin}${path}`, {
    type: 'svg',
    margin: 1,
    errorCorrectionLevel: 'M',
  });
  await audit(
    db,
    actor,
    meta,
    'volunteerActivity.codeIssued',
    { targetType: 'volunteerActivity', targetId: a.id },
    { activityId: a.id, expiresAt: expiresAt.toISOString() },
  );
  return { token, path, svg, expiresAt: expiresAt.toISOString() };
}

/** The scanning volunteer's own registration: 403 to an account that serves as none. */
async function ownVolunteer(db: Db | Tx, actor: Actor) {
  if (!actor.permissions.has('volunteer:serve')) throw new AppError('FORBIDDEN');
  const [v] = await db.select().from(volunteers).where(eq(volunteers.userId, actor.userId));
  if (!v) throw new AppError('VOLUNTEER_NOT_REGISTERED');
  return v;
}

/** The activity of a token, in the volunteer's sight (his community's: 404 otherwise). */
async function activityOfToken(deps: AppDeps, tx: Db | Tx, actor: Actor, token: string, now: Date) {
  const id = readCheckInToken(deps.crypto, token, now);
  return loadScoped(tx as Db, actor, activitiesScope, id);
}

/** What the phone shows after the scan: the activity, whether check-in is open, where he stands. */
export async function checkInCodeState(
  deps: AppDeps,
  actor: Actor,
  token: string,
): Promise<CheckInCodeState> {
  const { db } = deps;
  const now = new Date();
  const a = await activityOfToken(deps, db, actor, token, now);
  const [teams, [v]] = await Promise.all([
    teamNames(db, [a.teamId]),
    db.select().from(volunteers).where(eq(volunteers.userId, actor.userId)),
  ]);
  let volunteer: CheckInCodeState['volunteer'] = null;
  if (v) {
    const [[signed], [open], [credited]] = await Promise.all([
      db
        .select({ id: volunteerSignUps.volunteerId })
        .from(volunteerSignUps)
        .where(and(eq(volunteerSignUps.activityId, a.id), eq(volunteerSignUps.volunteerId, v.id))),
      db
        .select({ at: volunteerAttendances.checkedInAt })
        .from(volunteerAttendances)
        .where(
          and(
            eq(volunteerAttendances.activityId, a.id),
            eq(volunteerAttendances.volunteerId, v.id),
            isNull(volunteerAttendances.checkedOutAt),
          ),
        ),
      db
        .select({ minutes: sql<number>`coalesce(sum(${volunteerAttendances.minutes}), 0)::int` })
        .from(volunteerAttendances)
        .where(and(eq(volunteerAttendances.activityId, a.id), eq(volunteerAttendances.volunteerId, v.id))),
    ]);
    volunteer = {
      id: v.id,
      name: v.name,
      signedUp: signed !== undefined,
      checkedInAt: open?.at.toISOString() ?? null,
      minutes: credited?.minutes ?? 0,
    };
  }
  return {
    activity: {
      id: a.id,
      title: a.title,
      placeName: a.placeName,
      startsAt: a.startsAt.toISOString(),
      endsAt: a.endsAt.toISOString(),
      teamName: a.teamId ? (teams.get(a.teamId) ?? null) : null,
    },
    window: checkInWindow(a, now),
    volunteer,
  };
}

/**
 * Signs him up on the spot when he had not (he is at the place; the capacity still holds, with
 * the activity row locked as a sign-up does).
 */
async function signUpOnTheSpot(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  a: ActivityRow,
  volunteerId: string,
  now: Date,
) {
  const [signed] = await tx
    .select({ id: volunteerSignUps.volunteerId })
    .from(volunteerSignUps)
    .where(and(eq(volunteerSignUps.activityId, a.id), eq(volunteerSignUps.volunteerId, volunteerId)));
  if (signed) return;
  await tx
    .select({ id: volunteerActivities.id })
    .from(volunteerActivities)
    .where(eq(volunteerActivities.id, a.id))
    .for('update');
  if (a.capacity !== null) {
    const [n] = await tx
      .select({ n: count() })
      .from(volunteerSignUps)
      .where(eq(volunteerSignUps.activityId, a.id));
    if (Number(n?.n ?? 0) >= a.capacity) throw new AppError('VOLUNTEER_ACTIVITY_FULL');
  }
  const [row] = await tx
    .insert(volunteerSignUps)
    .values({ activityId: a.id, volunteerId, signedUpBy: actor.userId, at: now })
    .onConflictDoNothing()
    .returning({ id: volunteerSignUps.volunteerId });
  if (row)
    await audit(
      tx,
      actor,
      meta,
      'volunteer.signedUp',
      { targetType: 'volunteerActivity', targetId: a.id },
      { volunteerId, activityId: a.id },
    );
}

/**
 * 扫码签到: while the activity is open for check-in. Scanning again while checked in is the
 * same attendance (200, `alreadyIn`), so a double tap or a reload never makes a second one —
 * the partial unique index on the open pair decides between two at once.
 */
export async function checkInByCode(
  deps: AppDeps,
  actor: Actor,
  token: string,
  meta: RequestMeta,
): Promise<CodeAttendance> {
  const { db } = deps;
  const now = new Date();
  const { row, outcome } = await db.transaction(async (tx) => {
    const a = await activityOfToken(deps, tx, actor, token, now);
    const v = await ownVolunteer(tx, actor);
    if (a.status !== 'open' || checkInWindow(a, now) !== 'open')
      throw new AppError('VOLUNTEER_ACTIVITY_CLOSED');
    await signUpOnTheSpot(tx, actor, meta, a, v.id, now);
    const [att] = await tx
      .insert(volunteerAttendances)
      .values({
        activityId: a.id,
        volunteerId: v.id,
        checkedInAt: now,
        checkInDistanceM: null,
        method: 'qr',
        checkedInBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning();
    if (!att) {
      const [open] = await tx
        .select()
        .from(volunteerAttendances)
        .where(
          and(
            eq(volunteerAttendances.activityId, a.id),
            eq(volunteerAttendances.volunteerId, v.id),
            isNull(volunteerAttendances.checkedOutAt),
          ),
        );
      // The open pair that stopped the insert was closed in between: a check-out won the race.
      if (!open) throw new AppError('VOLUNTEER_NOT_CHECKED_IN');
      return { row: open, outcome: 'alreadyIn' as const };
    }
    await audit(
      tx,
      actor,
      meta,
      'volunteer.checkedInByCode',
      { targetType: 'volunteerActivity', targetId: a.id },
      { volunteerId: v.id, activityId: a.id },
    );
    return { row: att, outcome: 'checkedIn' as const };
  });
  return { ...(await attendanceReply(db, row)), outcome };
}

/** 扫码签退: closes his open pair and credits it once (as the GPS check-out does); none open: 409. */
export async function checkOutByCode(
  deps: AppDeps,
  actor: Actor,
  token: string,
  meta: RequestMeta,
): Promise<CodeAttendance> {
  const { db } = deps;
  const now = new Date();
  const row = await db.transaction(async (tx) => {
    const a = await activityOfToken(deps, tx, actor, token, now);
    const v = await ownVolunteer(tx, actor);
    return closeOpenPair(tx, actor, meta, a, v.id, now);
  });
  return { ...(await attendanceReply(db, row)), outcome: 'checkedOut' };
}
