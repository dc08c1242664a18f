import { z } from 'zod';
import { intId } from './common.js';

/** 周讲评 and 月通报: the two reports of the assessment module, as PDF or Excel. */
export const reportKinds = ['weeklyReview', 'monthlyBulletin'] as const;
export type ReportKind = (typeof reportKinds)[number];
export const reportKindNames: Record<ReportKind, string> = {
  weeklyReview: '周讲评',
  monthlyBulletin: '月通报',
};

export const reportFormat = z.enum(['pdf', 'xlsx'], { message: '格式只能是 pdf 或 xlsx' });
export type ReportFormat = z.infer<typeof reportFormat>;

export const weeklyReviewQuery = z.object({
  /** The area reported on; the viewer's own unit when left out. */
  orgUnitId: intId.optional(),
  /** Any day of the week (Monday-based, China time). */
  week: z.string().date('周次请填写该周任意一天，格式为 YYYY-MM-DD'),
  format: reportFormat.default('pdf'),
});

export const monthlyBulletinQuery = z.object({
  orgUnitId: intId.optional(),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式为 YYYY-MM'),
  format: reportFormat.default('pdf'),
});

/** Case indicators of one period (GLOSSARY.md); a rate is null when its denominator is 0. */
export const reportFigures = z.object({
  reported: z.number().int(),
  closed: z.number().int(),
  /** Open at the end of the period with the current step's deadline passed. */
  overdue: z.number().int(),
  onTimeRate: z.number().nullable(),
  fulfilmentRate: z.number().nullable(),
  satisfactionRate: z.number().nullable(),
  gridResolvedShare: z.number().nullable(),
});
export type ReportFigures = z.infer<typeof reportFigures>;

const period = z.object({ from: z.string(), to: z.string(), label: z.string() });

/** Everything a report shows, assembled once and drawn as PDF or Excel. */
export const reportContent = z.object({
  kind: z.enum(reportKinds),
  title: z.string(),
  area: z.object({ id: z.number(), name: z.string(), level: z.string() }),
  period,
  previous: period,
  generatedAt: z.string(),
  figures: reportFigures,
  previousFigures: reportFigures,
  /** The level below the area: streets of a district, communities of a street, grids of a community. */
  subAreaLabel: z.string(),
  subAreas: z.array(reportFigures.extend({ id: z.number(), name: z.string() })),
  categories: z.array(
    z.object({ code: z.string(), name: z.string(), count: z.number().int(), previous: z.number().int() }),
  ),
  /** Bulletin only. */
  departments: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      cases: z.number().int(),
      closed: z.number().int(),
      onTimeRate: z.number().nullable(),
      fulfilmentRate: z.number().nullable(),
      satisfactionRate: z.number().nullable(),
      score: z.number().nullable(),
      rank: z.number().nullable(),
    }),
  ),
  /** Scorecards of the assessment module; null when it could not be computed. */
  ranking: z
    .object({
      total: z.number().int(),
      items: z.array(z.object({ key: z.string(), label: z.string() })),
      top: z.array(
        z.object({
          rank: z.number(),
          name: z.string(),
          areaName: z.string(),
          score: z.number(),
          points: z.record(z.string(), z.number()),
        }),
      ),
      bottom: z.array(
        z.object({
          rank: z.number(),
          name: z.string(),
          areaName: z.string(),
          score: z.number(),
          points: z.record(z.string(), z.number()),
        }),
      ),
    })
    .nullable(),
  missingLogs: z.object({
    workdays: z.number().int(),
    workers: z.number().int(),
    items: z.array(
      z.object({
        name: z.string(),
        areaName: z.string(),
        expected: z.number().int(),
        missing: z.number().int(),
        days: z.array(z.string()),
      }),
    ),
  }),
  overdueCases: z.object({
    total: z.number().int(),
    items: z.array(
      z.object({
        code: z.string(),
        categoryName: z.string(),
        areaName: z.string(),
        status: z.string(),
        dueAt: z.string(),
        daysOverdue: z.number().int(),
      }),
    ),
  }),
});
export type ReportContent = z.infer<typeof reportContent>;
