/**
 * Public holidays and adjusted working days (调休) as published by the General Office of
 * the State Council for 2025 (国办发明电〔2024〕12号) and 2026 (published November 2025).
 * 2027: only the statutory holidays are listed (元旦, 春节 from 除夕, 清明, 劳动节, 端午,
 * 中秋, 国庆 by the 2024 revision of 《全国年节及纪念日放假办法》) without 调休, because its
 * notice is not in our sources; admins complete it in the calendar page when it appears.
 */
type Entry = { day: string; kind: 'holiday' | 'workday' };

function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

const off = (from: string, to = from): Entry[] => range(from, to).map((day) => ({ day, kind: 'holiday' }));
const work = (...days: string[]): Entry[] => days.map((day) => ({ day, kind: 'workday' }));

export const chinaHolidays: Record<number, { entries: Entry[]; provisional: boolean }> = {
  2025: {
    provisional: false,
    entries: [
      ...off('2025-01-01'),
      ...off('2025-01-28', '2025-02-04'),
      ...work('2025-01-26', '2025-02-08'),
      ...off('2025-04-04', '2025-04-06'),
      ...off('2025-05-01', '2025-05-05'),
      ...work('2025-04-27'),
      ...off('2025-05-31', '2025-06-02'),
      ...off('2025-10-01', '2025-10-08'),
      ...work('2025-09-28', '2025-10-11'),
    ],
  },
  2026: {
    provisional: false,
    entries: [
      ...off('2026-01-01', '2026-01-03'),
      ...work('2026-01-04'),
      ...off('2026-02-15', '2026-02-23'),
      ...work('2026-02-14', '2026-02-28'),
      ...off('2026-04-04', '2026-04-06'),
      ...off('2026-05-01', '2026-05-05'),
      ...work('2026-05-09'),
      ...off('2026-06-19', '2026-06-21'),
      ...off('2026-09-25', '2026-09-27'),
      ...off('2026-10-01', '2026-10-07'),
      ...work('2026-09-20', '2026-10-10'),
    ],
  },
  2027: {
    provisional: true,
    entries: [
      ...off('2027-01-01'),
      ...off('2027-02-05', '2027-02-08'),
      ...off('2027-04-05'),
      ...off('2027-05-01', '2027-05-02'),
      ...off('2027-06-09'),
      ...off('2027-09-15'),
      ...off('2027-10-01', '2027-10-03'),
    ],
  },
};
