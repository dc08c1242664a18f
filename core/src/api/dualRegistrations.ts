import { z } from 'zod';
import { intId, pageQuery } from './common.js';

/**
 * 双报到 (issue 19 item 2): units (机关事业单位) and in-service party members register with the
 * community where they serve; the community lists them, what they offer and their hours, and
 * records its quarterly joint meetings (联席会议) with the service items agreed there.
 */
export const dualRegistrationKinds = ['unit', 'member'] as const;
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

export const dualRegistrationInput = z.object({
  kind: z.enum(dualRegistrationKinds),
  /** The unit's name, or the party member's. */
  name: z.string().trim().min(2, '请填写名称（至少 2 个字）').max(60),
  /** A member's employer (在职党员的工作单位). */
  employer: z.string().trim().max(60).optional(),
  /** A unit's contact person. */
  contactName: z.string().trim().max(30).optional(),
  phone: z.string().regex(/^1[3-9]\d{9}$/, '请输入 11 位手机号'),
  /** What it offers the community (义诊、法律咨询、助学 …). */
  services: z.array(z.string().trim().min(1).max(30)).min(1, '至少填写一项服务内容').max(10),
  /** The community it reports to. */
  orgUnitId: intId,
  /** A member's volunteer registration, whose credited hours the list shows. */
  volunteerId: z.string().uuid().optional(),
  /** The day it reported; today when absent. */
  registeredOn: day.optional(),
});
export type DualRegistrationInput = z.infer<typeof dualRegistrationInput>;

export const dualRegistrationQuery = pageQuery.extend({
  kind: z.enum(dualRegistrationKinds).optional(),
  q: z.string().trim().max(30).optional(),
  orgUnitId: intId.optional(),
});
export type DualRegistrationQuery = z.infer<typeof dualRegistrationQuery>;

export const dualRegistration = z.object({
  id: z.string().uuid(),
  kind: z.enum(dualRegistrationKinds),
  name: z.string(),
  employer: z.string().nullable(),
  contactName: z.string().nullable(),
  /** Always masked (138****5678). */
  phone: z.string(),
  services: z.array(z.string()),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  registeredOn: z.string(),
  volunteerId: z.string().uuid().nullable(),
  /** A member's credited volunteer hours, one decimal; null for a unit or an unlinked member. */
  hours: z.number().nullable(),
  /** Joint meetings it attended. */
  meetings: z.number().int(),
});
export type DualRegistration = z.infer<typeof dualRegistration>;
export const dualRegistrationList = z.object({ items: z.array(dualRegistration), total: z.number().int() });

export const jointMeetingInput = z.object({
  orgUnitId: intId,
  heldOn: day,
  place: z.string().trim().max(60).optional(),
  /** The registrations that attended (of the same community). */
  attendeeIds: z.array(z.string().uuid()).min(1, '请选择参会的报到单位或党员').max(100),
  /** The service items agreed, each taken on by one attendee. */
  items: z
    .array(
      z.object({
        registrationId: z.string().uuid(),
        item: z.string().trim().min(2, '请填写服务项目（至少 2 个字）').max(100),
      }),
    )
    .min(1, '请至少填写一项商定的服务项目')
    .max(50),
  note: z.string().trim().max(2000).optional(),
});
export type JointMeetingInput = z.infer<typeof jointMeetingInput>;

export const jointMeetingQuery = pageQuery.extend({ orgUnitId: intId.optional() });
export const jointMeeting = z.object({
  id: z.string().uuid(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  heldOn: z.string(),
  /** 2026-Q4. */
  quarter: z.string(),
  place: z.string().nullable(),
  attendees: z.array(z.object({ id: z.string().uuid(), name: z.string() })),
  items: z.array(z.object({ registrationId: z.string().uuid(), name: z.string(), item: z.string() })),
  note: z.string().nullable(),
  createdAt: z.string(),
});
export type JointMeeting = z.infer<typeof jointMeeting>;
export const jointMeetingList = z.object({ items: z.array(jointMeeting), total: z.number().int() });
