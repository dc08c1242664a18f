import type { ElderListQuery, ElderSummary } from '@civicgrid/core/api/elders';
import { and, asc, ilike, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { type Db, queryRows } from '../../platform/db.js';
import { areaCondition, listScoped, resolveArea } from '../../platform/scope.js';
import { orgUnits } from '../org/tables.js';
import { residentScope } from '../residents/policy.js';
import { residents } from '../residents/tables.js';
import { ageOn } from './presenter.js';
import { devices, elderProfiles } from './tables.js';

/** 高龄津贴 is for those of 80 and over. */
export const allowanceAge = 80;

/** The latest birth date of someone `age` or older today (Beijing), as YYYY-MM-DD. */
function bornBy(age: number, now = new Date()): string {
  const today = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  return `${String(Number(today.slice(0, 4)) - age).padStart(4, '0')}${today.slice(4)}`;
}

const profile = (column: SQL) =>
  sql`(select ${column} from ${elderProfiles} p where p.resident_id = ${residents.id})`;
/** An application for the elder of the service-centre item named 高龄津贴 (whatever its code). */
const allowanceApplied = sql`exists (select 1 from applications a
  where a.resident_id = ${residents.id}
    and a.service_code in (select si.code from service_items si where si.name like '%高龄津贴%'))`;

/**
 * 老年人档案: the residents of the actor's area (or a unit of it) aged 60 and over — oldest first —
 * with their care profile flags, whether a wearable is bound, and 高龄津贴 (eligible at 80, and
 * the latest application). The residents' scope decides who is seen; no health data is read.
 */
export async function listElders(db: Db, actor: Actor, q: ElderListQuery) {
  const cond: (SQL | undefined)[] = [lte(residents.birthDate, bornBy(q.minAge ?? 60))];
  if (q.q) cond.push(ilike(residents.name, `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (q.orgUnitId !== undefined)
    cond.push(areaCondition(await resolveArea(db, actor, q.orgUnitId), residents.orgPath));
  if (q.livingAlone)
    cond.push(sql`coalesce(${profile(sql`p.living_alone`)}, false) = ${q.livingAlone === 'true'}`);
  if (q.emptyNest) cond.push(sql`coalesce(${profile(sql`p.empty_nest`)}, false) = ${q.emptyNest === 'true'}`);
  if (q.careLevel) cond.push(sql`coalesce(${profile(sql`p.care_level`)}, 'selfCare') = ${q.careLevel}`);
  if (q.allowance) {
    cond.push(lte(residents.birthDate, bornBy(allowanceAge)));
    cond.push(q.allowance === 'applied' ? allowanceApplied : sql`not ${allowanceApplied}`);
  }
  const { items, total } = await listScoped(db, actor, residentScope, {
    where: and(...cond),
    orderBy: [asc(residents.birthDate), asc(residents.id)],
    page: q.page,
    pageSize: q.pageSize,
  });
  const ids = items.map((r) => r.id);
  const gridIds = [...new Set(items.map((r) => r.gridId))];
  const [profiles, bound, grids, allowances] = ids.length
    ? await Promise.all([
        db.select().from(elderProfiles).where(inArray(elderProfiles.residentId, ids)),
        db
          .selectDistinct({ residentId: devices.residentId })
          .from(devices)
          .where(inArray(devices.residentId, ids)),
        db
          .select({ id: orgUnits.id, name: orgUnits.name, parentId: orgUnits.parentId })
          .from(orgUnits)
          .where(inArray(orgUnits.id, gridIds)),
        queryRows<{ resident_id: string; id: string; status: string }>(
          db,
          sql`select distinct on (a.resident_id) a.resident_id, a.id, a.status from applications a
            where a.resident_id in (${sql.join(
              ids.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})
              and a.service_code in (select si.code from service_items si where si.name like '%高龄津贴%')
            order by a.resident_id, a.created_at desc`,
        ),
      ])
    : [[], [], [], []];
  const parents = [...new Set(grids.map((g) => g.parentId).filter((x): x is number => x !== null))];
  const communities = parents.length
    ? await db
        .select({ id: orgUnits.id, name: orgUnits.name })
        .from(orgUnits)
        .where(inArray(orgUnits.id, parents))
    : [];
  const now = new Date();
  return {
    items: items.map((r): ElderSummary => {
      const p = profiles.find((x) => x.residentId === r.id);
      const g = grids.find((x) => x.id === r.gridId);
      const a = allowances.find((x) => x.resident_id === r.id);
      const age = ageOn(r.birthDate, now);
      return {
        id: r.id,
        name: r.name,
        sex: r.sex,
        age,
        gridName: g?.name ?? '',
        communityName: communities.find((c) => c.id === g?.parentId)?.name ?? null,
        livingAlone: p?.livingAlone ?? false,
        emptyNest: p?.emptyNest ?? false,
        disability: p?.disability ?? false,
        careLevel: (p?.careLevel ?? 'selfCare') as ElderSummary['careLevel'],
        hasDevice: bound.some((d) => d.residentId === r.id),
        allowance: { eligible: age >= allowanceAge, applicationId: a?.id ?? null, status: a?.status ?? null },
      };
    }),
    total,
  };
}
