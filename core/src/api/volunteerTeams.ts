import { z } from 'zod';
import { intId, pageQuery } from './common.js';
import { attendance } from './volunteers.js';

/**
 * 志愿服务队 and 扫码签到 (issue 19 item 4). A team belongs to a community (or a grid), may be
 * formed by a unit (`sponsor`), has a leader among its members and a service focus; its hours are
 * the minutes credited at its activities. An activity's organiser shows a QR code of
 * /m/checkin/{token}: the token is bound to the activity, signed with the server's key and
 * expires two hours after the activity ends.
 */
const focus = z.array(z.string().trim().min(1, '服务方向不能为空').max(20, '服务方向最多 20 字')).max(10);

export const teamInput = z.object({
  name: z.string().trim().min(2, '请填写服务队名称').max(50, '服务队名称最多 50 字'),
  /** The community (or grid) the team serves. */
  orgUnitId: intId,
  /** The unit that formed it (共建单位), when not the community itself. */
  sponsor: z.string().trim().max(50, '共建单位最多 50 字').optional(),
  serviceFocus: focus.default([]),
  /** The leader, who becomes a member if he is not one. */
  leaderVolunteerId: z.string().uuid('请选择队长').optional(),
  memberIds: z.array(z.string().uuid('请选择志愿者')).max(200, '一次最多添加 200 名队员').default([]),
});
export type TeamInput = z.infer<typeof teamInput>;

export const teamPatch = z
  .object({
    name: z.string().trim().min(2, '请填写服务队名称').max(50, '服务队名称最多 50 字'),
    sponsor: z.string().trim().max(50, '共建单位最多 50 字').nullable(),
    serviceFocus: focus,
    /** A member of the team. */
    leaderVolunteerId: z.string().uuid('请选择队长').nullable(),
  })
  .partial();
export type TeamPatch = z.infer<typeof teamPatch>;

export const teamListQuery = pageQuery.extend({
  q: z.string().trim().max(50).optional(),
  orgUnitId: intId.optional(),
});
export type TeamListQuery = z.infer<typeof teamListQuery>;

export const team = z.object({
  id: z.string().uuid(),
  name: z.string(),
  sponsor: z.string().nullable(),
  serviceFocus: z.array(z.string()),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  leader: z.object({ volunteerId: z.string().uuid(), name: z.string() }).nullable(),
  memberCount: z.number().int(),
  activityCount: z.number().int(),
  /** Credited at the team's activities, in hours (one decimal). */
  hours: z.number(),
  createdAt: z.string(),
});
export type Team = z.infer<typeof team>;
export const teamList = z.object({ items: z.array(team), total: z.number().int() });

export const teamDetail = team.extend({
  members: z.array(
    z.object({
      volunteerId: z.string().uuid(),
      name: z.string(),
      /** Masked (138****5678). */
      phone: z.string(),
      skills: z.array(z.string()),
      joinedAt: z.string(),
      /** His credited hours, all activities. */
      hours: z.number(),
      leader: z.boolean(),
    }),
  ),
  /** The team's latest activities (twenty at most). */
  activities: z.array(
    z.object({
      id: z.string().uuid(),
      title: z.string(),
      startsAt: z.string(),
      endsAt: z.string(),
      hours: z.number(),
    }),
  ),
});
export type TeamDetail = z.infer<typeof teamDetail>;

export const teamMemberInput = z.object({ volunteerId: z.string().uuid('请选择志愿者') });
export const teamMemberParam = z.object({ id: z.string().uuid(), volunteerId: z.string().uuid() });

/** The activity's check-in code, for its organiser to show or print. */
export const checkInCode = z.object({
  token: z.string(),
  /** Relative address the QR code encodes (the console prefixes its origin): /m/checkin/{token}. */
  path: z.string(),
  /** The QR code as an SVG document. */
  svg: z.string(),
  expiresAt: z.string(),
});
export type CheckInCode = z.infer<typeof checkInCode>;

export const checkInTokenParam = z.object({ token: z.string().min(1).max(200) });

/** What the volunteer's phone shows after scanning: the activity and where he stands. */
export const checkInCodeState = z.object({
  activity: z.object({
    id: z.string().uuid(),
    title: z.string(),
    placeName: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    teamName: z.string().nullable(),
  }),
  /** early: more than an hour before the start; open; ended. */
  window: z.enum(['early', 'open', 'ended']),
  volunteer: z
    .object({
      id: z.string().uuid(),
      name: z.string(),
      signedUp: z.boolean(),
      /** Checked in now (since), or not. */
      checkedInAt: z.string().nullable(),
      /** Credited at this activity so far. */
      minutes: z.number().int(),
    })
    .nullable(),
});
export type CheckInCodeState = z.infer<typeof checkInCodeState>;

/** The outcome of a scan: checked in (or already in: the same attendance), or checked out. */
export const codeAttendance = attendance.extend({
  outcome: z.enum(['checkedIn', 'alreadyIn', 'checkedOut']),
});
export type CodeAttendance = z.infer<typeof codeAttendance>;
