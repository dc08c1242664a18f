import { z } from 'zod';
import { areaGeometry } from './org.js';

/**
 * The big screen (`/screen`, DESIGN.md §1): what a wall display in a command centre shows.
 * These replies are seen by whoever stands in the room, so they carry no personal data —
 * no reporter, no phone, no description, no address: only where, what and how late.
 */

/** A grid with its shape and its open-case load. */
export const screenGrid = z.object({
  id: z.number().int(),
  name: z.string(),
  communityName: z.string(),
  geometry: areaGeometry,
  open: z.number().int(),
  overdue: z.number().int(),
});
export type ScreenGrid = z.infer<typeof screenGrid>;
export const screenGridList = z.object({ items: z.array(screenGrid) });

/** An open case on the map: a point and the facts its colour and tooltip need. */
export const screenCase = z.object({
  id: z.string().uuid(),
  code: z.string(),
  category: z.string(),
  status: z.string(),
  overdue: z.boolean(),
  lng: z.number(),
  lat: z.number(),
  reportedAt: z.string(),
});
export type ScreenCase = z.infer<typeof screenCase>;
/** The newest open cases with a location, at most `screenCaseCap`; `capped` says more exist. */
export const screenCaseList = z.object({ items: z.array(screenCase), capped: z.boolean() });
export const screenCaseCap = 5000;

/** What the live feed shows: cases coming in and the alerts of the deadline clock. */
export const screenFeedKinds = [
  'reported',
  'warning',
  'overdue',
  'supervised',
  'escalated',
  'closed',
] as const;
export type ScreenFeedKind = (typeof screenFeedKinds)[number];

/** One line of the feed: a trail event (case_events) and the case as it is now. */
export const screenFeedItem = z.object({
  id: z.number().int(),
  kind: z.enum(screenFeedKinds),
  at: z.string(),
  caseId: z.string().uuid(),
  code: z.string(),
  category: z.string(),
  area: z.string(),
  status: z.string(),
  overdue: z.boolean(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
});
export type ScreenFeedItem = z.infer<typeof screenFeedItem>;
export const screenFeedQuery = z.object({
  /** Only events after this one (the newest id the screen has): the screen's cursor. */
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});
/** Newest first (by the time of the event, then by its id), at most `screenFeedCap`. */
export const screenFeed = z.object({ items: z.array(screenFeedItem) });

/**
 * The feed's order, for the server's reply and the screen's merge alike: by the time the
 * event happened, newest first. Ids are the order of writing, which is not the order of
 * time (a trail imported or seeded case by case, a deadline event stamped at the deadline).
 */
export function feedOrder(
  a: Pick<ScreenFeedItem, 'at' | 'id'>,
  b: Pick<ScreenFeedItem, 'at' | 'id'>,
): number {
  const ta = Date.parse(a.at);
  const tb = Date.parse(b.at);
  return ta !== tb ? tb - ta : b.id - a.id;
}
export const screenFeedCap = 50;
