import type { DisputeActionBody } from '@civicgrid/core/api/disputes';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import type { DisputeAction } from '@civicgrid/core/disputes/stateMachine';
import { disputeDeadline, extendDeadline } from '@civicgrid/core/disputes/timeLimit';
import { and, eq, isNull } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { fieldError } from '../../platform/errors.js';
import { departments } from '../org/tables.js';
import type { DisputeRow } from './policy.js';
import { type disputes, mediationCommittees, mediators } from './tables.js';

/** What an action is given: the locked dispute, who acts, now. */
export interface ActionContext {
  tx: Db;
  actor: Actor;
  row: DisputeRow;
  now: number;
}

/** What an action decides; the service writes it with the state and the trail event. */
export interface ActionEffect {
  set?: Partial<typeof disputes.$inferInsert>;
  note?: string | null;
  data?: Record<string, unknown> | null;
}

type Handler<A extends DisputeAction> = (
  ctx: ActionContext,
  body: DisputeActionBody<A>,
) => Promise<ActionEffect> | ActionEffect;

/** 受理: the 30-day time limit starts today. */
const accept: Handler<'accept'> = ({ now }, body) => ({
  note: body.note ?? null,
  set: { acceptedAt: new Date(now), deadline: disputeDeadline(now) },
});

/**
 * 指派: to a mediator (of a body of the dispute's area, or a person a department stationed
 * there) or to a body as a whole; a mediator brings the body along.
 */
const assign: Handler<'assign'> = async ({ tx, row }, body) => {
  let committeeId = body.committeeId ?? null;
  let mediator: { id: number; userId: string | null; committeeId: number } | undefined;
  if (body.mediatorId !== undefined) {
    [mediator] = await tx
      .select({ id: mediators.id, userId: mediators.userId, committeeId: mediators.committeeId })
      .from(mediators)
      .where(and(eq(mediators.id, body.mediatorId), isNull(mediators.retiredAt)));
    if (!mediator) throw fieldError('mediatorId', 'exists', 'DISPUTE_MEDIATOR_UNKNOWN');
    if (committeeId !== null && committeeId !== mediator.committeeId)
      throw fieldError('committeeId', 'ofMediator', 'DISPUTE_COMMITTEE_UNKNOWN');
    committeeId = mediator.committeeId;
  }
  const [c] = await tx
    .select({
      id: mediationCommittees.id,
      orgPath: mediationCommittees.orgPath,
      disabledAt: mediationCommittees.disabledAt,
    })
    .from(mediationCommittees)
    .where(eq(mediationCommittees.id, committeeId as number));
  const field = body.mediatorId !== undefined ? 'mediatorId' : 'committeeId';
  // A body of the dispute's area or above it (a street's committee takes a community's dispute).
  if (!c || !row.orgPath.startsWith(c.orgPath))
    throw fieldError(field, 'inArea', 'DISPUTE_COMMITTEE_UNKNOWN');
  // A disabled body takes no new disputes (its running ones stay with it).
  if (c.disabledAt) throw fieldError(field, 'active', 'DISPUTE_COMMITTEE_DISABLED');
  return {
    note: body.note ?? null,
    data: { committeeId: c.id, mediatorId: mediator?.id ?? null },
    set: { committeeId: c.id, mediatorId: mediator?.id ?? null, mediatorUserId: mediator?.userId ?? null },
  };
};

/** 调解: one sitting — when, where, who came, what was said. */
const session: Handler<'session'> = ({ row }, body) => {
  const s = {
    at: new Date(body.at).toISOString(),
    place: body.place,
    attendees: body.attendees ?? [],
    notes: body.notes,
  };
  return { data: { at: s.at, place: s.place }, set: { sessions: [...row.sessions, s] } };
};

/** 达成协议: the terms and the day they are performed by (today or later, China date). */
const agree: Handler<'agree'> = ({ now }, body) => {
  if (body.performBy < localDay(now)) throw fieldError('performBy', 'notPast', 'DISPUTE_PERFORM_BY_PAST');
  return {
    data: { terms: body.terms.length, performBy: body.performBy, oral: body.oral === true },
    set: {
      agreement: {
        terms: body.terms,
        performBy: body.performBy,
        performance: body.performance ?? null,
        oral: body.oral === true,
        at: new Date(now).toISOString(),
      },
    },
  };
};

/** 调解不成: the reason, and where it was referred (诉调/警调/访调对接) with the receiving unit. */
const fail: Handler<'fail'> = async ({ tx }, body) => {
  if (body.referral?.departmentId !== undefined) {
    const [d] = await tx
      .select({ id: departments.id })
      .from(departments)
      .where(and(eq(departments.id, body.referral.departmentId)));
    if (!d) throw fieldError('referral.departmentId', 'exists', 'COMMITTEE_DEPARTMENT_UNKNOWN');
  }
  return {
    note: body.reason,
    data: body.referral ? { referral: body.referral.kind, unit: body.referral.unit } : null,
    set: { failure: { reason: body.reason, referral: body.referral ?? null } },
  };
};

/** 回访: was the agreement performed? In full closes the dispute (the state machine says so). */
const followUp: Handler<'followUp'> = ({ row, now }, body) => ({
  note: body.note ?? null,
  data: { performed: body.performed },
  set: {
    followUps: [
      ...row.followUps,
      { performed: body.performed, note: body.note ?? null, at: new Date(now).toISOString() },
    ],
  },
});

const close: Handler<'close'> = (_ctx, body) => ({ note: body.note ?? null });

/** 延期: more days, with the reason on the trail. */
const extend: Handler<'extend'> = ({ row }, body) => {
  const deadline = extendDeadline(row.deadline, body.days);
  return { note: body.reason, data: { days: body.days, deadline }, set: { deadline } };
};

export const actionHandlers: { [A in DisputeAction]: Handler<A> } = {
  accept,
  assign,
  session,
  agree,
  fail,
  followUp,
  close,
  extend,
};
