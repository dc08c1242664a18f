import { z } from 'zod';
import { maxActivityRadiusM } from '../participation/volunteers.js';
import { intId, pageQuery } from './common.js';

/**
 * 志愿者 and 志愿活动 (issue 19 item 4). The contract outside checks rely on:
 * `POST /api/volunteer-activities/{id}/check-in {volunteerId, location}` (400 `location` when
 * outside the activity's radius, 409 when already checked in); hours in `GET /api/volunteers/{id}`.
 */
const point = z.object({
  lat: z.number({ error: '请提供纬度' }).min(-90).max(90),
  lng: z.number({ error: '请提供经度' }).min(-180).max(180),
});

export const volunteerInput = z.object({
  name: z.string().trim().min(2, '请填写姓名').max(30),
  phone: z.string().regex(/^1[3-9]\d{9}$/, '请输入 11 位手机号'),
  /** The resident on file, when the volunteer lives in the area. */
  residentId: z.string().uuid().optional(),
  skills: z.array(z.string().trim().min(1).max(20)).max(10).default([]),
  /** The community (or grid) the volunteer serves. */
  orgUnitId: intId,
  /** When the volunteer can serve, in words (周末上午、工作日晚上). */
  availability: z.string().trim().max(100).optional(),
});
export type VolunteerInput = z.infer<typeof volunteerInput>;

export const volunteerListQuery = pageQuery.extend({
  q: z.string().trim().max(30).optional(),
  skill: z.string().trim().max(20).optional(),
  orgUnitId: intId.optional(),
});
export type VolunteerListQuery = z.infer<typeof volunteerListQuery>;

export const volunteer = z.object({
  id: z.string().uuid(),
  name: z.string(),
  /** Always masked (138****5678). */
  phone: z.string(),
  residentLinked: z.boolean(),
  skills: z.array(z.string()),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  availability: z.string().nullable(),
  /** The volunteer signs in himself (an account is linked). */
  hasAccount: z.boolean(),
  /** Credited service hours, one decimal. */
  hours: z.number(),
  createdAt: z.string(),
});
export type Volunteer = z.infer<typeof volunteer>;
export const volunteerList = z.object({ items: z.array(volunteer), total: z.number().int() });

export const volunteerDetail = volunteer.extend({
  /** The service record: one row per check-in, newest first. */
  record: z.array(
    z.object({
      activityId: z.string().uuid(),
      activityTitle: z.string(),
      checkedInAt: z.string(),
      checkedOutAt: z.string().nullable(),
      minutes: z.number().int().nullable(),
      method: z.enum(['gps', 'qr']),
    }),
  ),
});
export type VolunteerDetail = z.infer<typeof volunteerDetail>;

export const activityStatuses = ['open', 'cancelled'] as const;

export const activityInput = z
  .object({
    title: z.string().trim().min(2, '请填写活动名称').max(100),
    description: z.string().trim().max(2000).optional(),
    placeName: z.string().trim().min(2, '请填写活动地点').max(100),
    location: point,
    radiusM: z.number().int().min(20, '签到范围至少 20 米').max(maxActivityRadiusM),
    startsAt: z.string().datetime({ offset: true }),
    endsAt: z.string().datetime({ offset: true }),
    /** The community (or grid) that runs it: its volunteers see it. */
    orgUnitId: intId,
    capacity: z.number().int().min(1).max(10_000).optional(),
    /** The 志愿服务队 that runs it. */
    teamId: z.string().uuid('请选择服务队').optional(),
  })
  .refine((a) => Date.parse(a.endsAt) > Date.parse(a.startsAt), {
    path: ['endsAt'],
    message: '结束时间须晚于开始时间',
  });
export type ActivityInput = z.infer<typeof activityInput>;

export const activityListQuery = pageQuery.extend({
  status: z.enum(activityStatuses).optional(),
  /** upcoming: not ended yet; past: ended. */
  when: z.enum(['upcoming', 'past']).optional(),
  orgUnitId: intId.optional(),
  teamId: z.string().uuid().optional(),
});
export type ActivityListQuery = z.infer<typeof activityListQuery>;

export const activity = z.object({
  id: z.string().uuid(),
  title: z.string(),
  description: z.string().nullable(),
  placeName: z.string(),
  location: point,
  radiusM: z.number().int(),
  startsAt: z.string(),
  endsAt: z.string(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  status: z.enum(activityStatuses),
  capacity: z.number().int().nullable(),
  teamId: z.string().uuid().nullable(),
  teamName: z.string().nullable(),
  signUps: z.number().int(),
  checkedIn: z.number().int(),
  /** Minutes credited so far to all its volunteers, as hours. */
  hours: z.number(),
});
export type Activity = z.infer<typeof activity>;
export const activityList = z.object({ items: z.array(activity), total: z.number().int() });

export const activityDetail = activity.extend({
  participants: z.array(
    z.object({
      volunteerId: z.string().uuid(),
      name: z.string(),
      signedUpAt: z.string(),
      /** Checked in now (since), or not. */
      checkedInAt: z.string().nullable(),
      minutes: z.number().int(),
    }),
  ),
});
export type ActivityDetail = z.infer<typeof activityDetail>;

export const signUpInput = z.object({ volunteerId: z.string().uuid() });
export const checkInInput = z.object({ volunteerId: z.string().uuid(), location: point });
export const checkOutInput = z.object({ volunteerId: z.string().uuid() });
export type CheckInInput = z.infer<typeof checkInInput>;
export type CheckOutInput = z.infer<typeof checkOutInput>;

export const attendance = z.object({
  activityId: z.string().uuid(),
  volunteerId: z.string().uuid(),
  checkedInAt: z.string(),
  checkedOutAt: z.string().nullable(),
  /** Credited for this pair at check-out. */
  minutes: z.number().int().nullable(),
  /** From the activity's place at a GPS check-in, in metres; null when he scanned its code. */
  distanceM: z.number().int().nullable(),
  method: z.enum(['gps', 'qr']),
  /** The volunteer's total after this. */
  hours: z.number(),
});
