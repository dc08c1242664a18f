import { z } from 'zod';
import { caseStates } from '../cases/stateMachine.js';
import { pageQuery } from './common.js';

/**
 * The resident portal (/r): sign-in by phone and SMS code, the resident's own account
 * (privacy consent, optional real-name binding, deletion) and "my matters".
 */

/** The privacy notice a resident consents to; a new text gets a new version, asked again. */
export const privacyNoticeVersion = '2026-12-01';

/** A mainland mobile number (the one kind of number a code can be texted to). */
export const mobilePhone = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, '请输入 11 位手机号');

export const residentCodeBody = z.object({ phone: mobilePhone });
export const residentLoginBody = z.object({
  phone: mobilePhone,
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, '验证码为 6 位数字'),
});
export const residentCodeSent = z.object({
  /** Seconds the code stays valid. */
  expiresIn: z.number().int(),
});

export const residentProfile = z.object({
  /** Masked (`138****5678`); null for an account without a phone (the demo password account). */
  phone: z.string().nullable(),
  consent: z.object({ version: z.string(), at: z.string() }).nullable(),
  /** The notice's version now in force: consent to an older one is asked again. */
  privacyNoticeVersion: z.string(),
  realName: z.object({ name: z.string(), idNumber: z.string(), at: z.string() }).nullable(),
  /** Only an account that is a resident and nothing else may delete itself here. */
  deletable: z.boolean(),
});
export type ResidentProfile = z.infer<typeof residentProfile>;

export const residentConsentBody = z.object({ version: z.string().min(1).max(20) });
export const residentRealNameBody = z.object({
  name: z.string().trim().min(2, '请输入姓名').max(40),
  idNumber: z.string().trim().min(1, '请输入身份证号').max(18),
});

/** The public steps of a case, in a resident's words (no staff names, no internal notes). */
export const publicSteps = [
  'received',
  'accepted',
  'dispatched',
  'inProgress',
  'resolved',
  'closed',
  'reopened',
  'rejected',
  'cancelled',
] as const;
export type PublicStep = (typeof publicSteps)[number];

export const publicPhoto = z.object({ url: z.string(), thumbUrl: z.string() });
export const publicTimelineEntry = z.object({
  step: z.enum(publicSteps),
  at: z.string(),
  /** Who has it now — a department or a unit, never a person. */
  unitName: z.string().nullable(),
  /** The result (resolved), the reason (rejected), the resident's own words (reopened). */
  text: z.string().nullable(),
  photos: z.array(publicPhoto),
});
export type PublicTimelineEntry = z.infer<typeof publicTimelineEntry>;

export const myCase = z.object({
  id: z.string().uuid(),
  code: z.string(),
  status: z.enum(caseStates),
  /** Where it stands, in the timeline's words. */
  step: z.enum(publicSteps),
  categoryName: z.string(),
  description: z.string(),
  address: z.string().nullable(),
  location: z.object({ lat: z.number(), lng: z.number() }).nullable(),
  anonymous: z.boolean(),
  reportedAt: z.string(),
  closedAt: z.string().nullable(),
  photos: z.array(publicPhoto),
  rating: z.string().nullable(),
  canRate: z.boolean(),
  /** Until when "没修好" may send it back; null when it may not. */
  reopenUntil: z.string().nullable(),
  timeline: z.array(publicTimelineEntry),
});
export type MyCase = z.infer<typeof myCase>;
export const myCaseList = z.object({ items: z.array(myCase), total: z.number().int() });
export const myCaseQuery = pageQuery;
