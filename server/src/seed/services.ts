import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { badRatingFrom } from '@civicgrid/core/api/services';
import { isWorkday, localDay, makeCalendar, type WorkCalendar } from '@civicgrid/core/calendar/workCalendar';
import type { ApplicationAction, ApplicationState } from '@civicgrid/core/services/stateMachine';
import { startClock } from '@civicgrid/core/services/timeLimit';
import { and, eq, lt } from 'drizzle-orm';
import { users } from '../modules/accounts/tables.js';
import { calendarDays } from '../modules/cases/tables.js';
import { departments, gridTeamMembers, orgUnits } from '../modules/org/tables.js';
import { agentFor, type CheckedProxy, recordProxy } from '../modules/proxy/intake.js';
import { residents } from '../modules/residents/tables.js';
import {
  applicationEvents,
  applicationRatings,
  applications,
  serviceItems,
} from '../modules/services/tables.js';
import type { FieldCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { seeded } from './geometry.js';
import { mobile, personName } from './people.js';
import { demoServiceItems } from './serviceCatalogue.js';

type ItemRow = typeof serviceItems.$inferSelect;
type Unit = typeof orgUnits.$inferSelect;
type ApplicationInsert = typeof applications.$inferInsert;
type EventInsert = typeof applicationEvents.$inferInsert;
type RatingInsert = typeof applicationRatings.$inferInsert;

const dayMs = 86_400_000;
const hourMs = 3_600_000;

type Senior = Pick<
  typeof residents.$inferSelect,
  'id' | 'name' | 'idNumberEnc' | 'gridId' | 'orgPath' | 'birthDate'
> & {
  managerId: string;
};

/**
 * Who a proxy agent carries matters for in the demo (seed 004: the old and the disabled):
 * residents born before 1966, with their grid's manager — the 帮办代办员 of the grid — by
 * community path.
 */
async function seniorsByCommunity(db: Db): Promise<Map<string, Senior[]>> {
  const rows = await db
    .select({
      id: residents.id,
      name: residents.name,
      idNumberEnc: residents.idNumberEnc,
      gridId: residents.gridId,
      orgPath: residents.orgPath,
      birthDate: residents.birthDate,
      managerId: gridTeamMembers.userId,
    })
    .from(residents)
    .innerJoin(
      gridTeamMembers,
      and(eq(gridTeamMembers.gridId, residents.gridId), eq(gridTeamMembers.role, 'gridManager')),
    )
    .where(lt(residents.birthDate, '1966-01-01'))
    .orderBy(residents.orgPath, residents.id);
  const out = new Map<string, Senior[]>();
  for (const x of rows) {
    const community = `/${x.orgPath.split('/').filter(Boolean).slice(0, 3).join('/')}/`;
    out.set(community, [...(out.get(community) ?? []), x]);
  }
  return out;
}

const consentNotes = [
  '居民行动不便，当面口头同意由网格员代为办理',
  '居民电话中同意由网格员代办，并告知所需材料',
  '入户走访时居民同意代办，家属在场',
];

/** The catalogue of the demo district (serviceCatalogue.ts), version 1 of each item. */
async function seedCatalogue(db: Db): Promise<ItemRow[]> {
  const depts = new Map((await db.select().from(departments)).map((d) => [d.code, d.id]));
  const values = demoServiceItems.map(({ department, ...item }) => ({
    ...item,
    departmentId: department ? (depts.get(department) ?? null) : null,
    version: 1,
    current: true,
  }));
  return db.insert(serviceItems).values(values).returning();
}

/** Where the demo's applications go: its path from the start to the end state, by age. */
function pathFor(item: ItemRow, ageDays: number, r: () => number): ApplicationAction[] {
  const x = r();
  const decide: ApplicationAction[] = item.immediate ? [] : ['approve'];
  if (ageDays < 2) {
    if (x < 0.25) return ['supplement'];
    // 即办件 are issued while the applicant waits; now and then one is left over.
    if (item.immediate) return x < 0.3 ? [] : ['issue'];
    return [];
  }
  if (x < 0.06) return ['withdraw'];
  if (x < 0.12 && !item.immediate) return ['reject'];
  if (x < 0.18 && !item.immediate) return ['requestMaterial'];
  // Still in the back office: within its time limit, or (one in three) past it.
  if (!item.immediate && ageDays < item.timeLimitDays * 2 + 3 && x < 0.6) return x < 0.4 ? [] : decide;
  if (ageDays < 15 && x < 0.45) return [...decide, 'issue'];
  return [...decide, 'issue', 'collect'];
}

const outcomes: Record<ApplicationAction, ApplicationState> = {
  accept: 'accepted',
  requireMaterial: 'incomplete',
  decline: 'rejected',
  supplement: 'accepted',
  approve: 'approved',
  reject: 'rejected',
  transfer: 'accepted',
  requestMaterial: 'incomplete',
  issue: 'issued',
  collect: 'collected',
  withdraw: 'withdrawn',
};

/**
 * 90 days of applications across the demo district (issue 15 §8), in every state: done on
 * time and late, waiting for material, some overdue or due soon, taken in on working days in
 * office hours; the ended ones mostly rated (好差评), a few badly, with their rectifications
 * open or closed. 保利新华社区 — where the demo clerk sits — takes a larger share.
 * Deterministic (`seeded`) but for the clock, so every demo start looks alike.
 */
export async function seedDemoServices(db: Db, opts: { crypto: FieldCrypto }) {
  const items = await seedCatalogue(db);
  const cal: WorkCalendar = makeCalendar(
    await db.select({ day: calendarDays.day, kind: calendarDays.kind }).from(calendarDays),
  );
  const communities = await db.select().from(orgUnits).where(eq(orgUnits.level, 'community'));
  const baoli = communities.find((c) => c.name === '保利新华社区');
  const [clerk] = await db.select().from(users).where(eq(users.username, 'clerk'));
  const staff = await db
    .select({ id: users.id, orgUnitId: users.orgUnitId, username: users.username })
    .from(users);
  const byUnit = new Map(staff.map((u) => [u.orgUnitId, u.id]));
  // The window's staff at 保利新华社区: the demo clerk and the community workstation.
  const baoliStaff = staff
    .filter((u) => u.username === 'community' && u.orgUnitId === baoli?.id)
    .map((u) => u.id);
  if (baoliStaff.length === 0 && clerk) baoliStaff.push(clerk.id);
  if (!clerk || !communities.length) return;
  const r = seeded('service-centre');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const now = Date.now();
  const seniors = await seniorsByCommunity(db);
  const today = localDay(now);
  const bornBy80 = `${Number(today.slice(0, 4)) - 80}${today.slice(4)}`;
  // 帮办代办 (issue 15 item 4): every proxy application carries its proxy record and the
  // resident's consent, written through the proxy module once the applications are in.
  const proxied: { applicationId: string; status: ApplicationState; p: CheckedProxy; at: number }[] = [];
  const apps: ApplicationInsert[] = [];
  const events: EventInsert[] = [];
  const ratings: RatingInsert[] = [];
  for (let age = 90; age >= 0; age--) {
    // The centres open on working days (调休 included), 9:00–12:00 and 13:00–18:00.
    const day = localDay(now - age * dayMs);
    if (!isWorkday(cal, day)) continue;
    const opens = Date.parse(`${day}T09:00:00+08:00`);
    // About forty a day across the district, a third of them at 保利新华社区 (the demo street's busiest window).
    const perDay = 30 + Math.floor(r() * 20);
    for (let k = 0; k < perDay; k++) {
      const unit: Unit = baoli && r() < 0.3 ? baoli : pick(communities);
      const item = r() < 0.45 ? pick(items.filter((i) => i.category === 'certificate')) : pick(items);
      const minute = Math.floor(r() * 480);
      const takenAt = opens + (minute < 180 ? minute : minute + 60) * 60_000;
      if (takenAt > now) continue;
      const path = pathFor(item, age, r);
      const startsIncomplete = path[0] === 'supplement' || (age >= 2 && r() < 0.08);
      const id = randomUUID();
      const seq = `${String(apps.length + 1).padStart(6, '0')}`;
      const first17 = `150203${1940 + Math.floor(r() * 60)}0${1 + Math.floor(r() * 9)}1${Math.floor(r() * 9)}${String(Math.floor(r() * 900) + 100)}`;
      let channel: ApplicationInsert['channel'] = r() < 0.85 ? 'window' : r() < 0.5 ? 'proxy' : 'online';
      // A proxy application is a resident on file carried by an agent who may carry it; where
      // the community has no such pair, the matter came to the window.
      // 高龄津贴 is asked for the community's residents of 80 and over (the elders' files link it).
      const allowance = item.name.includes('高龄津贴');
      const eighty = allowance
        ? (seniors.get(communityPath(unit)) ?? []).filter((x) => x.birthDate <= bornBy80)
        : [];
      const senior =
        channel === 'proxy'
          ? pickSenior(eighty.length ? eighty : seniors.get(communityPath(unit)), r)
          : undefined;
      const agent = senior ? await agentFor(db, senior.managerId, senior) : null;
      if (channel === 'proxy' && !agent) channel = 'window';
      // The applicant on file: the proxied resident, or an elder of 80+ for 高龄津贴 (by turn).
      const onFile =
        senior && agent ? senior : eighty.length ? eighty[apps.length % eighty.length] : undefined;
      const idNumber = onFile
        ? opts.crypto.decrypt(onFile.idNumberEnc)
        : first17 + idNumberCheckChar(first17);
      const ids = unit.path.split('/').filter(Boolean);
      const depth = { district: 1, street: 2, community: 3 }[item.level];
      const handling = ids.slice(0, depth);
      // At 保利新华社区 the demo clerk takes most in, the community's own staff the rest.
      const by =
        unit.id === baoli?.id ? (r() < 0.7 ? clerk.id : pick(baoliStaff)) : (byUnit.get(unit.id) ?? clerk.id);
      const takenBy = agent?.agentId ?? by;
      // Online applications of the last few days still wait for the window's pre-check (预审).
      const waitsPrecheck = channel === 'online' && age < 4 && !startsIncomplete;
      let status: ApplicationState = startsIncomplete
        ? 'incomplete'
        : waitsPrecheck
          ? 'submitted'
          : 'accepted';
      if (senior && agent)
        proxied.push({
          applicationId: id,
          status,
          at: takenAt,
          p: {
            ...agent,
            residentId: senior.id,
            consent: {
              method: 'verbal',
              at: new Date(takenAt - (1 + Math.floor(r() * 47)) * hourMs).toISOString(),
              note: pick(consentNotes),
            },
          },
        });
      let at = takenAt;
      let clock = startsIncomplete || waitsPrecheck ? null : startClock(cal, takenAt, item.timeLimitDays);
      let acceptedAt = startsIncomplete || waitsPrecheck ? null : takenAt;
      let completedAt: number | null = null;
      let pausedAt: number | null = null;
      const missing = startsIncomplete ? [item.materials.find((x) => x.required)?.name ?? '居民身份证'] : [];
      events.push({
        applicationId: id,
        action: 'intake',
        fromState: null,
        toState: status,
        actorId: takenBy,
        at: new Date(at),
      });
      const steps: ApplicationAction[] =
        startsIncomplete && path[0] !== 'supplement' ? ['supplement', ...path] : path;
      for (const step of (startsIncomplete && age < 2) || waitsPrecheck ? [] : steps) {
        // Most steps land within the time limit; one in eight runs late. 即办件 are done
        // while the applicant waits (within the hour), one in twenty later that day.
        const span = item.immediate
          ? hourMs * (r() < 0.05 ? 2.5 : 0.2 + r() * 0.5)
          : Math.max(1, item.timeLimitDays) * dayMs * (r() < 0.12 ? 1.6 : 0.4 + r() * 0.5);
        const next = Math.min(now - hourMs, at + span / Math.max(1, steps.length));
        if (next <= at) break;
        at = next;
        const to = outcomes[step];
        events.push({
          applicationId: id,
          action: step,
          fromState: status,
          toState: to,
          actorId: by,
          at: new Date(at),
        });
        if (step === 'supplement') {
          clock = startClock(cal, at, item.timeLimitDays);
          acceptedAt ??= at;
          missing.length = 0;
        }
        if (step === 'requestMaterial') {
          pausedAt = at;
          missing.push(item.materials[0]?.name ?? '居民身份证');
        }
        if (step === 'issue' || step === 'reject') completedAt = at;
        status = to;
      }
      apps.push({
        id,
        code: `BJ${localDay(takenAt).replaceAll('-', '')}${seq}`,
        serviceItemId: item.id,
        serviceCode: item.code,
        status,
        channel,
        applicantName: onFile ? onFile.name : personName(r),
        residentId: onFile?.id ?? null,
        applicantIdEnc: opts.crypto.encrypt(idNumber),
        applicantIdIdx: opts.crypto.blindIndex(idNumber),
        applicantIdTail: idNumber.slice(-4),
        applicantPhoneEnc: opts.crypto.encrypt(mobile(r)),
        materials: item.materials.map((x) => ({
          name: x.name,
          required: x.required,
          provided: !missing.includes(x.name) && (x.required || r() < 0.6),
          fileId: null,
          promisedDate: null,
        })),
        form: {},
        missing: status === 'incomplete' ? missing : [],
        orgUnitId: unit.id,
        orgPath: unit.path,
        handlingUnitId: Number(handling.at(-1)),
        handlingPath: `/${handling.join('/')}/`,
        departmentId: item.departmentId,
        acceptedAt: acceptedAt === null ? null : new Date(acceptedAt),
        dueAt: clock ? new Date(clock.dueAt) : null,
        warnAt: clock ? new Date(clock.warnAt) : null,
        pausedAt: status === 'incomplete' && pausedAt !== null ? new Date(pausedAt) : null,
        completedAt: completedAt === null ? null : new Date(completedAt),
        createdBy: takenBy,
        idempotencyKey: `seed-${seq}`,
        createdAt: new Date(takenAt),
        updatedAt: new Date(at),
      });
      if (completedAt !== null) {
        const rated = rateOf(r, { id, status, completedAt, by, cal, now });
        if (rated) {
          ratings.push(rated.rating);
          events.push(...rated.events);
        }
      }
    }
  }
  for (let i = 0; i < apps.length; i += 500) await db.insert(applications).values(apps.slice(i, i + 500));
  for (let i = 0; i < events.length; i += 1000)
    await db.insert(applicationEvents).values(events.slice(i, i + 1000));
  for (let i = 0; i < ratings.length; i += 500)
    await db.insert(applicationRatings).values(ratings.slice(i, i + 500));
  await db.transaction(async (tx) => {
    for (const x of proxied) await recordProxy(tx, x.applicationId, x.status, x.p, x.p.agentId, x.at);
  });
}

const communityPath = (unit: Unit) => `/${unit.path.split('/').filter(Boolean).slice(0, 3).join('/')}/`;

function pickSenior(xs: Senior[] | undefined, r: () => number): Senior | undefined {
  return xs?.length ? xs[Math.floor(r() * xs.length)] : undefined;
}

const goodComments = ['办事效率高，一次就办好了', '工作人员很耐心，讲得清楚', '不用跑腿，网格员帮着办的'];
const badComments = [
  '排队等了一个多小时',
  '工作人员态度不好，解释不清楚',
  '材料要求前后不一致，跑了两趟',
  '系统故障，当天没办成',
];
const rectifyNotes = [
  '已电话回访致歉，对窗口人员进行服务规范培训',
  '已梳理材料清单并在大厅和公众号公示，避免群众多跑',
  '已联系区级系统运维单位修复，并为群众预约优先办理',
];

/**
 * 好差评 of an ended application: most are rated at the window's device as it ends, some by
 * the phone follow-up; mostly 非常满意 and 满意, a few 不满意 or 非常不满意 — each of those
 * opening a rectification, closed with a note when it is older than a week (most of them).
 */
function rateOf(
  r: () => number,
  a: {
    id: string;
    status: ApplicationState;
    completedAt: number;
    by: string;
    cal: WorkCalendar;
    now: number;
  },
): { rating: RatingInsert; events: EventInsert[] } | null {
  if (r() > (a.status === 'rejected' ? 0.3 : 0.75)) return null;
  const x = r();
  // 好评率 near what service centres report (~95 %); a refusal is rated lower.
  const level =
    a.status === 'rejected'
      ? x < 0.6
        ? 3
        : x < 0.9
          ? 4
          : 5
      : x < 0.75
        ? 1
        : x < 0.95
          ? 2
          : x < 0.985
            ? 3
            : x < 0.995
              ? 4
              : 5;
  const phone = r() < 0.2;
  const ratedAt = Math.min(a.now - 60_000, a.completedAt + (phone ? 2 * dayMs : 5 * 60_000));
  const bad = level >= badRatingFrom;
  const comment = bad
    ? badComments[Math.floor(r() * badComments.length)]
    : level === 1 && r() < 0.2
      ? goodComments[Math.floor(r() * goodComments.length)]
      : undefined;
  const rectifyBy = bad ? startClock(a.cal, ratedAt, 5).dueAt : null;
  const closed = bad && a.now - ratedAt > 7 * dayMs && r() < 0.8;
  const rectifiedAt = closed ? ratedAt + (2 + Math.floor(r() * 4)) * dayMs : null;
  const note = closed ? rectifyNotes[Math.floor(r() * rectifyNotes.length)] : null;
  const events: EventInsert[] = [
    {
      applicationId: a.id,
      action: 'rate',
      fromState: a.status,
      toState: a.status,
      actorId: a.by,
      note: comment ?? null,
      data: { level, channel: phone ? 'phone' : 'window', rectification: bad },
      at: new Date(ratedAt),
    },
  ];
  if (rectifiedAt !== null)
    events.push({
      applicationId: a.id,
      action: 'closeRectification',
      fromState: a.status,
      toState: a.status,
      actorId: a.by,
      note,
      at: new Date(rectifiedAt),
    });
  return {
    rating: {
      applicationId: a.id,
      level,
      comment: comment ?? null,
      channel: phone ? 'phone' : 'window',
      recordedBy: a.by,
      ratedAt: new Date(ratedAt),
      rectifyBy: rectifyBy === null ? null : new Date(rectifyBy),
      rectifiedAt: rectifiedAt === null ? null : new Date(rectifiedAt),
      rectifiedBy: rectifiedAt === null ? null : a.by,
      rectifyNote: note,
    },
    events,
  };
}
