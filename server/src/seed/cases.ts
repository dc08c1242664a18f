import type { AreaGeometry } from '@civicgrid/core/api/org';
import {
  addTime,
  type Clock,
  deadlineWithWarning,
  makeCalendar,
  type WorkCalendar,
} from '@civicgrid/core/calendar/workCalendar';
import { eq, inArray, sql } from 'drizzle-orm';
import { roles, userRoles, users } from '../modules/accounts/tables.js';
import { calendarDays, caseCategories, caseEvents, cases } from '../modules/cases/tables.js';
import { departments, gridTeamMembers, orgUnits } from '../modules/org/tables.js';
import type { FieldCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { caseTexts, followUpComments, places, rejectReasons, resultTexts, wordingFrom } from './caseTexts.js';
import { pointInAreaFrom, seeded } from './geometry.js';
import { mobile, personName } from './people.js';

type CaseInsert = typeof cases.$inferInsert;
type EventInsert = typeof caseEvents.$inferInsert;
type Category = typeof caseCategories.$inferSelect;
interface Person {
  id: string;
  name: string;
  unit: string;
}

const minute = 60_000;
const hour = 60 * minute;
const chinaOffset = 8 * hour;

const channelWeights: [CaseInsert['channel'], number][] = [
  ['grid_patrol', 40],
  ['hotline_12345', 25],
  ['resident_app', 15],
  ['walk_in', 10],
  ['video', 5],
  ['iot_alert', 3],
  ['department', 2],
];

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)] as T;
}

function weighted<T>(rand: () => number, xs: [T, number][]): T {
  const total = xs.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [x, w] of xs) {
    r -= w;
    if (r <= 0) return x;
  }
  return (xs[xs.length - 1] as [T, number])[0];
}

/**
 * 90 days of cases across the demo district (DESIGN.md §7), each driven along a
 * plausible path through the workflow with its events, so that every list, map and
 * metric has something true-looking to show: most old cases closed and rated, recent ones
 * in every open state, some late (and escalated as the deadline job would have done),
 * some supervised, some waiting for an extension. Deterministic for a given `now`.
 */
export async function seedDemoCases(
  db: Db,
  opts: { crypto: FieldCrypto; now?: Date; days?: number; perDay?: number },
): Promise<{ cases: number; events: number }> {
  const now = (opts.now ?? new Date()).getTime();
  const days = opts.days ?? 90;
  const perDay = opts.perDay ?? 70;
  const rand = seeded('civicgrid-demo-cases');
  const wording = wordingFrom(20_261_202);

  const units = await db
    .select({
      id: orgUnits.id,
      name: orgUnits.name,
      level: orgUnits.level,
      parentId: orgUnits.parentId,
      path: orgUnits.path,
      geometry: orgUnits.geometry,
    })
    .from(orgUnits);
  const unitById = new Map(units.map((u) => [u.id, u]));
  const grids = units.filter((u) => u.level === 'grid' && u.geometry);
  if (grids.length === 0) return { cases: 0, events: 0 };
  const cats = (await db.select().from(caseCategories)).filter((c) => c.parentCode !== null && !c.retiredAt);
  const depts = await db.select({ id: departments.id, name: departments.name }).from(departments);
  const cal: WorkCalendar = makeCalendar(
    await db.select({ day: calendarDays.day, kind: calendarDays.kind }).from(calendarDays),
  );

  const staff = await db
    .select({
      id: users.id,
      name: users.displayName,
      username: users.username,
      orgUnitId: users.orgUnitId,
      departmentId: users.departmentId,
      role: roles.code,
    })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.id, userRoles.roleId));
  const byUnitRole = new Map<string, Person>();
  const deptHandler = new Map<number, Person>();
  for (const s of staff) {
    if (s.orgUnitId !== null) {
      const key = `${s.orgUnitId}:${s.role}`;
      // The named demo accounts act where they work, so their screens have history.
      if (!byUnitRole.has(key) || ['community', 'street', 'district', 'clerk'].includes(s.username))
        byUnitRole.set(key, { id: s.id, name: s.name, unit: unitById.get(s.orgUnitId)?.name ?? '' });
    }
    if (
      s.departmentId !== null &&
      s.role === 'departmentHandler' &&
      (!deptHandler.has(s.departmentId) || s.username === 'dept')
    )
      deptHandler.set(s.departmentId, {
        id: s.id,
        name: s.name,
        unit: depts.find((d) => d.id === s.departmentId)?.name ?? '',
      });
  }
  const team = new Map<number, Person[]>();
  const teamRows = await db
    .select({
      gridId: gridTeamMembers.gridId,
      userId: gridTeamMembers.userId,
      role: gridTeamMembers.role,
      name: users.displayName,
    })
    .from(gridTeamMembers)
    .innerJoin(users, eq(users.id, gridTeamMembers.userId));
  for (const t of teamRows) {
    const list = team.get(t.gridId) ?? [];
    const p = { id: t.userId, name: t.name, unit: unitById.get(t.gridId)?.name ?? '' };
    if (t.role === 'gridManager') list.unshift(p);
    else list.push(p);
    team.set(t.gridId, list);
  }
  const dispatcherOf = (unitId: number): Person => {
    const u = unitById.get(unitId);
    const role =
      u?.level === 'district'
        ? 'districtCommand'
        : u?.level === 'street'
          ? 'streetCentre'
          : 'communityWorkstation';
    return byUnitRole.get(`${unitId}:${role}`) ?? { id: '', name: '系统', unit: u?.name ?? '' };
  };
  // 保利新华社区 gets a larger share: the named demo accounts work there.
  const baoli = units.find((u) => u.name === '保利新华社区');
  const baoliGrids = baoli ? grids.filter((g) => g.parentId === baoli.id) : [];

  const rows: CaseInsert[] = [];
  const lastInGrid = new Map<number, string>();
  const events: EventInsert[] = [];
  const dayMs = 24 * hour;
  const today = Math.floor((now + chinaOffset) / dayMs) * dayMs - chinaOffset;

  /** One case at a random point of the grid, reported through `channel`, walked forward in time. */
  const addCase = (
    grid: (typeof grids)[number],
    cat: Category,
    channel: CaseInsert['channel'],
    reportedAt: number,
    more: { stopAt?: Sim['stopAt']; mergeTarget?: string | undefined } = {},
  ): string => {
    const [, streetId, communityId] = grid.path.split('/').filter(Boolean).map(Number) as [
      number,
      number,
      number,
    ];
    const gridTeam = team.get(grid.id) ?? [];
    const worker = gridTeam[0];
    const byWorker = channel === 'grid_patrol' && worker !== undefined;
    const phone = ['hotline_12345', 'resident_app', 'walk_in'].includes(channel) ? mobile(rand) : null;
    const id = crypto.randomUUID();
    const row: CaseInsert = {
      id,
      code: '',
      status: 'reported',
      categoryCode: cat.code,
      channel,
      priority: cat.priority,
      description: wording(
        pick(rand, caseTexts[cat.code] ?? ['{p}发现问题需要处理']).replace('{p}', pick(rand, places)),
      ),
      address: null,
      // Inside the grid's own polygon: the case is found in the grid it is filed under.
      ...pointInAreaFrom(grid.geometry as AreaGeometry, rand(), rand()),
      gridId: grid.id,
      communityId,
      streetId,
      orgPath: grid.path,
      handlingUnitId: communityId,
      reporterName: phone ? personName(rand) : byWorker ? worker.name : null,
      reporterPhoneEnc: phone ? opts.crypto.encrypt(phone) : null,
      reporterPhoneIdx: phone ? opts.crypto.blindIndex(phone) : null,
      reporterUserId: byWorker ? worker.id : null,
      createdBy: byWorker ? worker.id : null,
      idempotencyKey: `demo-${id}`,
      reportedAt: new Date(reportedAt),
      step: 'none',
      departmentIds: [],
      // Every other resident lets the public map show his words (the report form's consent).
      publicDescription: channel === 'resident_app' && rows.length % 2 === 0,
    };
    const ev: Sim['ev'] = (action, from, to, at, who, extra = {}) =>
      events.push({
        caseId: id,
        action,
        fromState: from,
        toState: to,
        actorId: who.id || null,
        actorName: who.name,
        actorUnit: who.unit,
        at: new Date(at),
        ...extra,
      });
    const reporter: Person = byWorker ? worker : { id: '', name: row.reporterName ?? '来电群众', unit: '' };
    const first = events.length;
    ev('report', null, 'reported', reportedAt, reporter, { data: { channel } });
    // The state the case was in at `at`: transitions are written in the order they happen.
    const stateAt = (at: number) => {
      let state = 'reported';
      for (let i = first; i < events.length; i++) {
        const e = events[i] as EventInsert;
        if ((e.at as Date).getTime() <= at && e.toState) state = e.toState;
      }
      return state;
    };
    simulate(row, cat, {
      stateAt,
      rand,
      cal,
      now,
      reportedAt,
      ev,
      worker,
      mergeTarget: more.mergeTarget,
      ...(more.stopAt ? { stopAt: more.stopAt } : {}),
      dispatcher: dispatcherOf(communityId),
      streetDispatcher: dispatcherOf(streetId),
      deptHandler,
      team: gridTeam,
      gridId: grid.id,
      streetId,
    });
    // The deadline job's and the supervisor's events fall between the transitions: the
    // trail is kept in the order things happened, as the live system writes it.
    const trail = events.splice(first).sort((a, b) => (a.at as Date).getTime() - (b.at as Date).getTime());
    events.push(...trail);
    rows.push(row);
    return id;
  };

  for (let d = days - 1; d >= 0; d--) {
    const n = Math.round(perDay * (0.8 + rand() * 0.4));
    for (let i = 0; i < n; i++) {
      const reportedAt = today - d * dayMs + 7 * hour + Math.floor(rand() * 14 * hour);
      if (reportedAt > now - 5 * minute) continue;
      const grid = baoliGrids.length && rand() < 0.08 ? pick(rand, baoliGrids) : pick(rand, grids);
      const id = addCase(grid, pick(rand, cats), weighted(rand, channelWeights), reportedAt, {
        mergeTarget: lastInGrid.get(grid.id),
      });
      lastInGrid.set(grid.id, id);
    }
  }
  // Fresh work for the named accounts of 保利新华社区 and 城管, reported in the last half hour.
  const freshCats = ['C0103', 'E0505', 'E0102', 'C0301', 'E0503'].flatMap((c) => {
    const cat = cats.find((x) => x.code === c);
    return cat ? [cat] : [];
  });
  const stops = [
    'reported',
    'reported',
    'reported',
    'reported',
    'accepted',
    'accepted',
    'accepted',
    'dispatched',
    'dispatched',
    'dispatched',
    'dispatched',
    'resolved',
    'resolved',
    // Sent back after verification: otherwise only a case whose re-resolution falls after
    // "now" stays in rework, which depends on the hour the demo is seeded.
    'rework',
  ] as const;
  for (const [i, stopAt] of stops.entries()) {
    const grid = baoliGrids[i % Math.max(baoliGrids.length, 1)];
    const cat = freshCats[i % Math.max(freshCats.length, 1)];
    if (!grid || !cat) break;
    // Five steps of 1–3 minutes lead to rework: that case is reported early enough for all.
    const ago = stopAt === 'rework' ? 40 : 12 + rand() * 18;
    addCase(grid, cat, 'hotline_12345', now - ago * minute, { stopAt });
  }
  rows.sort((a, b) => (a.reportedAt as Date).getTime() - (b.reportedAt as Date).getTime());
  const [{ start } = { start: 0 }] = (
    (await db.execute(
      sql`select coalesce((select last_value from case_code_seq where is_called), 0)::int as start`,
    )) as unknown as {
      rows: { start: number }[];
    }
  ).rows;
  rows.forEach((r, i) => {
    const day = new Date((r.reportedAt as Date).getTime() + chinaOffset)
      .toISOString()
      .slice(0, 10)
      .replaceAll('-', '');
    r.code = `SJ${day}${String(start + i + 1).padStart(6, '0')}`;
  });
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 500) await tx.insert(cases).values(rows.slice(i, i + 500));
    for (let i = 0; i < events.length; i += 1500)
      await tx.insert(caseEvents).values(events.slice(i, i + 1500));
    await tx.execute(sql`select setval('case_code_seq', ${start + rows.length})`);
    // The public map shows the categories an admin opened to it: the demo opens a few plain ones.
    await tx
      .update(caseCategories)
      .set({ publicMap: true })
      .where(inArray(caseCategories.code, [...demoPublicMapCategories]));
  });
  return { cases: rows.length, events: events.length };
}

/** Opened to the public map in the demo: 路灯, 路面破损, 垃圾箱 — nothing about people. */
export const demoPublicMapCategories = ['C0103', 'C0204', 'C0301'] as const;

interface Sim {
  rand: () => number;
  /** An earlier case of the same grid, for the odd duplicate. */
  mergeTarget: string | undefined;
  /** Fresh work for the demo accounts: stop in this state. */
  stopAt?: 'reported' | 'accepted' | 'dispatched' | 'resolved' | 'rework';
  cal: WorkCalendar;
  now: number;
  reportedAt: number;
  /** The case's state at an instant, from the events written so far. */
  stateAt: (at: number) => string;
  ev: (
    action: string,
    from: string | null,
    to: string,
    at: number,
    who: Person,
    extra?: Partial<EventInsert>,
  ) => void;
  worker: Person | undefined;
  dispatcher: Person;
  streetDispatcher: Person;
  deptHandler: Map<number, Person>;
  team: Person[];
  gridId: number;
  streetId: number;
}

/**
 * Walks one case forward in time until its next step would lie in the future, writing
 * the row's state, deadlines and flags exactly as the service and the deadline job would.
 */
function simulate(row: CaseInsert, cat: Category, s: Sim): void {
  const { rand, cal, now, ev } = s;
  const clock: Clock = cat.clock;
  // Fresh cases for the demo accounts move in minutes, so they are not yet late.
  const later = (from: number, minMin: number, maxMin: number) =>
    s.stopAt ? from + (1 + rand() * 2) * minute : from + (minMin + rand() * (maxMin - minMin)) * minute;
  const due = (from: number, minutes: number | null) =>
    minutes ? deadlineWithWarning(cal, from, { value: minutes, unit: 'minutes' }, clock) : null;
  let state = 'reported';
  let t = s.reportedAt;
  const open = (
    step: 'accept' | 'dispatch' | 'resolve',
    start: number,
    minutes: number | null,
    explicit?: number,
  ) => {
    const d = explicit ? { dueAt: explicit, warnAt: start + (explicit - start) * 0.8 } : due(start, minutes);
    row.step = d ? step : 'none';
    row.dueAt = d ? new Date(d.dueAt) : null;
    row.warnAt = d ? new Date(d.warnAt) : null;
    row.warned = d ? d.warnAt <= now : false;
    row.overdue = d ? d.dueAt <= now : false;
    return d;
  };
  const close = () => {
    row.step = 'none';
    row.dueAt = null;
    row.warnAt = null;
    row.warned = false;
    row.overdue = false;
  };

  // 1. Self-resolution on patrol, for the categories that allow it.
  if (cat.selfResolvable && row.channel === 'grid_patrol' && s.worker && rand() < 0.6) {
    const at = later(t, 5, 40);
    if (at > now) {
      open('accept', t, cat.acceptMinutes);
      return;
    }
    ev('selfResolve', state, 'resolved', at, s.worker, { note: pick(rand, resultTexts) });
    Object.assign(row, {
      assigneeKind: 'user',
      assigneeUserId: s.worker.id,
      resolvedAt: new Date(at),
      resolvedAtLevel: 'grid',
      resolvedOnTime: true,
    });
    state = 'resolved';
    t = at;
    close();
    finish(row, s, state, t);
    return;
  }

  // 2. Accept or reject.
  const accept = open('accept', t, cat.acceptMinutes);
  row.acceptBy = accept ? new Date(accept.dueAt) : null;
  const acceptAt = later(t, 5, (cat.acceptMinutes ?? 60) * 1.3);
  if (acceptAt > now || s.stopAt === 'reported') {
    lateStep(row, s, state);
    return;
  }
  if (rand() < 0.03) {
    ev('reject', state, 'rejected', acceptAt, s.dispatcher, { note: pick(rand, rejectReasons) });
    Object.assign(row, { status: 'rejected', closedAt: new Date(acceptAt) });
    close();
    return;
  }
  if (s.mergeTarget && rand() < 0.015) {
    ev('merge', state, 'merged', acceptAt, s.dispatcher, {
      note: '与已登记事件重复',
      data: { intoCaseId: s.mergeTarget },
    });
    Object.assign(row, { status: 'merged', mergedInto: s.mergeTarget, closedAt: new Date(acceptAt) });
    close();
    return;
  }
  if (rand() < 0.02) {
    ev('cancel', state, 'cancelled', acceptAt, s.dispatcher, { note: '重复登记，予以撤销' });
    Object.assign(row, { status: 'cancelled', closedAt: new Date(acceptAt) });
    close();
    return;
  }
  if (accept && acceptAt > accept.dueAt) row.everOverdue = true;
  ev('accept', state, 'accepted', acceptAt, s.dispatcher);
  state = 'accepted';
  t = acceptAt;
  row.acceptedAt = new Date(t);
  const dispatchDue = open('dispatch', t, cat.dispatchMinutes);
  row.dispatchBy = dispatchDue ? new Date(dispatchDue.dueAt) : null;

  // 3. Dispatch: to the category's department, or to the grid for community matters.
  const dispatchAt = later(t, 5, (cat.dispatchMinutes ?? 120) * 1.2);
  if (dispatchAt > now || s.stopAt === 'accepted') {
    lateStep(row, s, state);
    return;
  }
  if (dispatchDue && dispatchAt > dispatchDue.dueAt) row.everOverdue = true;
  const dept = cat.handlerDepartmentId ? s.deptHandler.get(cat.handlerDepartmentId) : undefined;
  const handler: Person | undefined = dept ?? s.team[0];
  if (dept && cat.handlerDepartmentId) {
    Object.assign(row, {
      assigneeKind: 'department',
      assigneeDepartmentId: cat.handlerDepartmentId,
      departmentIds: [cat.handlerDepartmentId],
    });
    ev('dispatch', state, 'dispatched', dispatchAt, s.dispatcher, {
      data: { assignee: { kind: 'department', id: String(cat.handlerDepartmentId), name: dept.unit } },
      note: '请按时限处置并反馈',
    });
  } else {
    Object.assign(row, { assigneeKind: 'orgUnit', assigneeUnitId: s.gridId });
    ev('dispatch', state, 'dispatched', dispatchAt, s.dispatcher, {
      data: { assignee: { kind: 'orgUnit', id: String(s.gridId), name: s.team[0]?.unit ?? '网格' } },
    });
  }
  state = 'dispatched';
  t = dispatchAt;
  row.dispatchedAt = new Date(t);
  const resolveDue = open('resolve', t, cat.resolveMinutes);
  row.resolveBy = resolveDue ? new Date(resolveDue.dueAt) : null;
  const who = handler ?? s.dispatcher;

  // 4. Claim, then resolve — sometimes late, sometimes after an extension.
  const claimAt = later(t, 5, 180);
  if (claimAt > now || s.stopAt === 'dispatched') {
    lateStep(row, s, state);
    return;
  }
  ev('claim', state, 'in_progress', claimAt, who);
  state = 'in_progress';
  t = claimAt;
  row.claimedAt = new Date(t);
  const resolveMinutes = cat.resolveMinutes ?? 480;
  let resolveAt = s.stopAt
    ? later(t, 1, 3)
    : addTime(cal, t, { value: resolveMinutes * (0.15 + rand() * 1.05), unit: 'minutes' }, clock);
  if (resolveAt > now) {
    if (rand() < 0.06) {
      const until = (row.resolveBy as Date).getTime() + 3 * 24 * hour;
      // Asked for while handling: after the claim, before now.
      const askedAt = t + (0.1 + rand() * 0.8) * (now - t);
      row.extension = {
        reason: '需协调多个部门，申请延期',
        until: new Date(until).toISOString(),
        requestedBy: who.name,
        requestedAt: new Date(askedAt).toISOString(),
      };
      ev('requestExtension', state, state, askedAt, who, {
        note: row.extension.reason,
        data: { until: row.extension.until },
      });
    }
    lateStep(row, s, state);
    return;
  }
  let reworked = false;
  for (;;) {
    ev('resolve', state, 'resolved', resolveAt, who, { note: pick(rand, resultTexts) });
    Object.assign(row, {
      resolvedAt: new Date(resolveAt),
      resolvedOnTime: !row.resolveBy || resolveAt <= (row.resolveBy as Date).getTime(),
      resolvedAtLevel: dept ? 'department' : 'grid',
    });
    if (!row.resolvedOnTime) row.everOverdue = true;
    state = 'resolved';
    t = resolveAt;
    close();
    const verifyAt = later(t, 30, 24 * 60);
    if (verifyAt > now || s.stopAt === 'resolved') {
      row.status = state;
      return;
    }
    const verifier = s.team[0] && rand() < 0.5 ? s.team[0] : s.dispatcher;
    if (!reworked && (s.stopAt === 'rework' || rand() < 0.07)) {
      reworked = true;
      ev('verify', state, 'rework', verifyAt, verifier, {
        data: { passed: false },
        note: '现场核查问题仍存在，请返工',
      });
      state = 'rework';
      t = verifyAt;
      row.reworkCount = 1;
      const d = open('resolve', t, cat.resolveMinutes);
      row.resolveBy = d ? new Date(d.dueAt) : null;
      resolveAt = later(t, 60, 48 * 60);
      if (resolveAt > now || s.stopAt === 'rework') {
        lateStep(row, s, state);
        return;
      }
      continue;
    }
    ev('verify', state, 'verified', verifyAt, verifier, { data: { passed: true } });
    state = 'verified';
    t = verifyAt;
    row.verifiedAt = new Date(t);
    break;
  }
  finish(row, s, state, t);
  return;
}

/** Verified (or self-resolved) cases are followed up and closed once their time comes. */
function finish(row: CaseInsert, s: Sim, state: string, t: number): void {
  const { rand, now, ev } = s;
  row.status = state;
  if (state === 'resolved') {
    const verifyAt = t + (30 + rand() * 600) * minute;
    if (verifyAt > now) return;
    const verifier = s.dispatcher;
    ev('verify', 'resolved', 'verified', verifyAt, verifier, { data: { passed: true } });
    row.verifiedAt = new Date(verifyAt);
    state = 'verified';
    t = verifyAt;
  }
  const closeAt = t + (60 + rand() * 36 * 60) * minute;
  row.status = state;
  if (closeAt > now) return;
  if (rand() < 0.1) {
    ev('close', state, 'closed', closeAt, s.dispatcher, { note: '反映人未留联系方式，直接结案' });
  } else {
    const r = rand();
    const rating = r < 0.85 ? 'satisfied' : r < 0.95 ? 'basicallySatisfied' : 'dissatisfied';
    const comment = pick(rand, followUpComments);
    ev('followUp', state, 'closed', closeAt, s.dispatcher, { data: { rating }, note: comment });
    Object.assign(row, { rating, ratingComment: comment });
  }
  Object.assign(row, { status: 'closed', closedAt: new Date(closeAt) });
}

/**
 * The case stops at an open step. If that step is already late, it is marked as the
 * deadline job would have marked it — overdue, escalated one level — and older open cases
 * are sometimes supervised by the street.
 */
function lateStep(row: CaseInsert, s: Sim, state: string): void {
  const { rand, now, ev, stateAt } = s;
  row.status = state;
  // Each event carries the state of its moment: a step's deadline may pass before a claim.
  if (row.overdue && row.dueAt) {
    row.everOverdue = true;
    const at = (row.dueAt as Date).getTime();
    const then = stateAt(at);
    ev('overdue', then, then, at, { id: '', name: '系统', unit: '' }, { data: { step: row.step } });
    ev(
      'escalate',
      then,
      then,
      at,
      { id: '', name: '系统', unit: '' },
      {
        note: '超期自动上报上级',
        data: {
          automatic: true,
          fromUnitId: row.handlingUnitId,
          toUnitId: s.streetId,
          toUnitName: s.streetDispatcher.unit,
        },
      },
    );
    Object.assign(row, { handlingUnitId: s.streetId, escalations: 1 });
  } else if (row.warned && row.warnAt) {
    const at = (row.warnAt as Date).getTime();
    ev(
      'warning',
      stateAt(at),
      stateAt(at),
      at,
      { id: '', name: '系统', unit: '' },
      { data: { step: row.step } },
    );
  }
  if (now - s.reportedAt > 2 * 24 * hour && rand() < 0.15) {
    const at = now - Math.floor(rand() * 24) * hour;
    const deadline = new Date(now + (1 + Math.floor(rand() * 3)) * 24 * hour).toISOString();
    const order = '请加快办理进度，按时反馈结果';
    ev('supervise', stateAt(at), stateAt(at), at, s.streetDispatcher, { note: order, data: { deadline } });
    Object.assign(row, {
      supervised: true,
      supervision: { order, deadline, by: s.streetDispatcher.name },
      supervisionDueAt: new Date(deadline),
    });
  }
}
