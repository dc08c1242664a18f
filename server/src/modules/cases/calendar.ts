import { makeCalendar, type WorkCalendar } from '@civicgrid/core/calendar/workCalendar';
import type { Db } from '../../platform/db.js';
import { calendarDays } from './tables.js';

/**
 * The working calendar, read from its table and kept in memory: deadlines are computed on
 * every report and action. An edit here rebuilds it at once; another process's edit is
 * picked up within a minute.
 */
let cached: { calendar: WorkCalendar; at: number } | null = null;
const maxAgeMs = 60_000;

export function invalidateCalendar(): void {
  cached = null;
}

export async function workCalendar(db: Db): Promise<WorkCalendar> {
  if (cached && Date.now() - cached.at < maxAgeMs) return cached.calendar;
  const rows = await db.select({ day: calendarDays.day, kind: calendarDays.kind }).from(calendarDays);
  const calendar = makeCalendar(rows);
  cached = { calendar, at: Date.now() };
  return calendar;
}
