import { localDay } from './workCalendar.js';

/**
 * The one definition of a week (周讲评, work logs, scorecards): Monday to Sunday in China
 * time (UTC+8, whatever the browser's or the server's zone), numbered as ISO 8601 numbers
 * weeks — week 1 holds the year's first Thursday, so a week belongs to one year.
 */
export interface Week {
  /** Monday, YYYY-MM-DD. */
  from: string;
  /** Sunday, YYYY-MM-DD. */
  to: string;
  /** The ISO week-numbering year, which differs from the calendar year around 1 January. */
  year: number;
  week: number;
}

const dayMs = 86_400_000;

/** A China date `n` days after `day`. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * dayMs).toISOString().slice(0, 10);
}

/** The week holding a China date (YYYY-MM-DD). */
export function weekOfDay(day: string): Week {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  const from = addDays(day, -((dow + 6) % 7));
  const thursday = addDays(from, 3);
  const year = Number(thursday.slice(0, 4));
  const week =
    Math.floor((Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${year}-01-01T00:00:00Z`)) / dayMs / 7) + 1;
  return { from, to: addDays(from, 6), year, week };
}

/** The week holding an instant, by its China date: Sunday 23:59 and Monday 00:00 in Beijing are two weeks. */
export function weekOf(at: Date | number): Week {
  return weekOfDay(localDay(typeof at === 'number' ? at : at.getTime()));
}

/** The China dates of a week, Monday first. */
export function daysOfWeek(w: Pick<Week, 'from'>): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(w.from, i));
}
