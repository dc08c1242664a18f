import { distanceM } from '../geo.js';

/**
 * 志愿服务 time (issue 19 item 4): a volunteer checks in at the activity's place and checks out
 * when done; the hours credited are the time between, within the activity's own hours. The
 * rules are pure so the server, the UI and the tests read the same ones.
 */

/** How early before the start a volunteer may check in (to set up). */
export const checkInEarlyMinutes = 60;

/** The largest radius an activity may set: a check-in "at the place" means near it. */
export const maxActivityRadiusM = 5_000;

export interface ActivityPlace {
  lat: number;
  lng: number;
  radiusM: number;
}

/** Whether a point lies within the activity's radius (great-circle distance), and how far it is. */
export function atPlace(activity: ActivityPlace, at: { lat: number; lng: number }) {
  const distance = distanceM(activity, at);
  return { inside: distance <= activity.radiusM, distance: Math.round(distance) };
}

export type CheckInWindow = 'early' | 'open' | 'ended';

/** Where `now` stands for checking in: too early, open (an hour before the start until the end), ended. */
export function checkInWindow(activity: { startsAt: Date; endsAt: Date }, now: Date): CheckInWindow {
  if (now.getTime() < activity.startsAt.getTime() - checkInEarlyMinutes * 60_000) return 'early';
  if (now.getTime() > activity.endsAt.getTime()) return 'ended';
  return 'open';
}

/**
 * The whole minutes credited for one check-in/out pair: the overlap of [in, out] with the
 * activity's [start, end] — setting up early or staying on after the end is not service time.
 */
export function creditedMinutes(
  activity: { startsAt: Date; endsAt: Date },
  checkedInAt: Date,
  checkedOutAt: Date,
): number {
  const from = Math.max(activity.startsAt.getTime(), checkedInAt.getTime());
  const to = Math.min(activity.endsAt.getTime(), checkedOutAt.getTime());
  return to > from ? Math.floor((to - from) / 60_000) : 0;
}

/** Hours as the statement shows them: minutes to hours, one decimal. */
export function hoursOf(minutes: number): number {
  return Math.round((minutes / 60) * 10) / 10;
}
