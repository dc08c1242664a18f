import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.js';
import type { AppDeps } from '../../platform/deps.js';
import { fieldError } from '../../platform/errors.js';
import { caseMetrics } from '../cases/metrics.js';
import { nameBook } from '../cases/names.js';

/**
 * 公开 (public disclosure, no login): per street, a month's case counts and the on-time,
 * satisfaction and 小事不出网格 rates. Aggregates only — no case text, no names, no numbers —
 * computed as the whole installation (a read-only stand-in actor) and kept ten minutes.
 */
const reader: Actor = {
  userId: '00000000-0000-0000-0000-000000000000',
  username: 'public',
  displayName: '公开',
  roles: [],
  permissions: new Set(['case:read']),
  orgUnitId: null,
  orgUnitName: null,
  orgLevel: null,
  orgPath: '/',
  departmentId: null,
  departmentName: null,
  global: true,
  via: 'token',
  sessionId: null,
  csrfToken: null,
  display: false,
  readOnly: false,
  restricted: null,
  totpEnabled: false,
  totpRequired: false,
};

const streetRow = z.object({
  street: z.string(),
  cases: z.number().int(),
  closed: z.number().int(),
  onTimeRate: z.number().nullable(),
  satisfactionRate: z.number().nullable(),
  gridResolvedShare: z.number().nullable(),
});
const disclosure = z.object({ month: z.string(), district: z.string(), streets: z.array(streetRow) });

const cache = new Map<string, { at: number; value: z.infer<typeof disclosure> }>();

/** The month before `month` (YYYY-MM). */
function lastFullMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export const disclosureRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    app.get(
      '/api/public/disclosure',
      {
        config: { access: 'public' },
        schema: {
          tags: ['public'],
          querystring: z.object({
            month: z
              .string()
              .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式为 YYYY-MM')
              .optional(),
          }),
          response: { 200: disclosure },
        },
      },
      async (req) => {
        const now = new Date(Date.now() + 8 * 3_600_000);
        const thisMonth = now.toISOString().slice(0, 7);
        // Unasked, the last full month: the current one has only its first days in it.
        const month = req.query.month ?? lastFullMonth(thisMonth);
        if (month > thisMonth) throw fieldError('month', 'notFuture', '不能查询未来月份');
        const hit = cache.get(month);
        if (hit && Date.now() - hit.at < 600_000) return hit.value;
        const from = `${month}-01`;
        const next = new Date(`${from}T00:00:00Z`);
        next.setUTCMonth(next.getUTCMonth() + 1);
        const to = new Date(next.getTime() - 86_400_000).toISOString().slice(0, 10);
        const book = await nameBook(db);
        const district = [...book.units.entries()].find(([, u]) => u.level === 'district');
        const streets = [...book.units.entries()]
          .filter(([, u]) => u.level === 'street')
          .sort((a, b) => a[1].path.localeCompare(b[1].path));
        const rows = [];
        for (const [id, s] of streets) {
          const m = await caseMetrics(db, reader, { orgUnitId: id, from, to }, { rollup: false });
          rows.push({
            street: s.name,
            cases: m.total,
            closed: m.byStatus.closed ?? 0,
            onTimeRate: m.onTimeRate,
            satisfactionRate: m.satisfactionRate,
            gridResolvedShare: m.gridResolvedShare,
          });
        }
        const value = { month, district: district?.[1].name ?? '', streets: rows };
        cache.set(month, { at: Date.now(), value });
        return value;
      },
    );
  };
