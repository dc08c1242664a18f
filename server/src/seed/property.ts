import { bboxOf, type Geometry, pointInGeometry } from '@civicgrid/core/geo';
import { propertyDeadlines } from '@civicgrid/core/participation/property';
import { and, asc, eq, like, sql } from 'drizzle-orm';
import { roles, userRoles, users } from '../modules/accounts/tables.js';
import { caseCategories, caseEvents, cases } from '../modules/cases/tables.js';
import { departments, orgUnits } from '../modules/org/tables.js';
import {
  propertyCompanies,
  propertyDispatches,
  propertyEstates,
} from '../modules/participation/propertyTables.js';
import { hashPassword } from '../platform/auth/password.js';
import type { FieldCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { seeded } from './geometry.js';
import type { DemoAccount } from './kundulun.js';
import { mobile, personName } from './people.js';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const chinaOffset = 8 * hour;

/** The demo's 红管家: two companies of 保利新华社区 and one of its neighbour, with their estates. */
const plans = [
  {
    name: '内蒙古保利物业服务有限公司包头分公司',
    creditCode: '91150203MA0NBL0X1K',
    community: '保利新华社区',
    estates: [
      { name: '保利新华城一期', grid: 0 },
      { name: '保利新华城二期', grid: 1 },
    ],
    staff: [{ username: 'property', displayName: '张建国' }],
    cases: 16,
  },
  {
    name: '包头市华诚物业管理有限公司',
    creditCode: '91150203MA0NHC2P4E',
    community: '保利新华社区',
    estates: [{ name: '华诚家园', grid: 2 }],
    staff: [{ username: 'property2', displayName: '王丽' }],
    cases: 10,
  },
  {
    name: '包头市绿城物业有限公司',
    creditCode: '91150203MA0NLC3Q5F',
    community: null,
    estates: [{ name: '绿城花园', grid: 0 }],
    staff: [{ username: 'property3', displayName: '赵强' }],
    cases: 8,
  },
];

const problems = [
  '单元门禁损坏，刷卡打不开',
  '楼道声控灯不亮',
  '地下车库积水',
  '电梯运行异响',
  '小区垃圾桶满溢未清运',
  '绿化带杂草丛生',
  '楼顶漏水，顶层住户屋内渗水',
  '消防通道被车辆占用',
  '单元门口下水道堵塞',
  '小区路面破损',
];
const replies = ['已联系维修班组，正在赶往现场', '已到现场查看，正在处理', '已安排保洁人员处理'];
const results = ['已修复，恢复正常', '已清理完毕', '已更换损坏部件', '已协调车主挪车，通道畅通'];

/** A rectangle in the middle of the grid, half its size, inside its outline. */
function estateIn(grid: Geometry): { type: 'Polygon'; coordinates: number[][][] } {
  const b = bboxOf(grid);
  const cx = (b.minX + b.maxX) / 2;
  const cy = (b.minY + b.maxY) / 2;
  for (const f of [0.25, 0.15, 0.08, 0.04]) {
    const dx = (b.maxX - b.minX) * f;
    const dy = (b.maxY - b.minY) * f;
    const ring = [
      [cx - dx, cy - dy],
      [cx + dx, cy - dy],
      [cx + dx, cy + dy],
      [cx - dx, cy + dy],
    ];
    if (ring.every(([x, y]) => pointInGeometry(x as number, y as number, grid)))
      return { type: 'Polygon', coordinates: [[...ring, ring[0] as number[]]] };
  }
  const d = 0.0005;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [cx - d, cy - d],
        [cx + d, cy - d],
        [cx + d, cy + d],
        [cx - d, cy + d],
        [cx - d, cy - d],
      ],
    ],
  };
}

/**
 * 红管家 in the demo: the companies, their estates and staff accounts (`property` is 保利物业's
 * 物管员, password as every demo account), and the last 90 days of cases in their estates that
 * the community dispatched to them — most answered in 15 minutes, replied in 30 and resolved in
 * 24 hours, some late; one dispatched a moment ago and waiting for `property` to respond.
 */
export async function seedDemoProperty(
  db: Db,
  opts: { crypto: FieldCrypto; demoPassword: string },
): Promise<DemoAccount[]> {
  const rand = seeded('property');
  const [baoli] = await db.select().from(orgUnits).where(eq(orgUnits.name, '保利新华社区'));
  if (!baoli?.parentId) return [];
  // The neighbour: another community of the same street.
  const [neighbour] = await db
    .select()
    .from(orgUnits)
    .where(
      and(
        eq(orgUnits.parentId, baoli.parentId),
        eq(orgUnits.level, 'community'),
        sql`${orgUnits.id} <> ${baoli.id}`,
      ),
    )
    .orderBy(asc(orgUnits.code))
    .limit(1);
  const [staffRole] = await db.select().from(roles).where(eq(roles.code, 'propertyStaff'));
  const [dispatcher] = await db.select().from(users).where(eq(users.username, 'community'));
  const [gridworker] = await db.select().from(users).where(eq(users.username, 'gridworker'));
  const [cat] = await db.select().from(caseCategories).where(eq(caseCategories.code, 'S1306'));
  if (!staffRole || !dispatcher || !gridworker || !cat) return [];
  const passwordHash = await hashPassword(opts.demoPassword);
  const now = Date.now();
  const accounts: DemoAccount[] = [];

  await db.transaction(async (tx) => {
    for (const plan of plans) {
      const community = plan.community ? baoli : neighbour;
      if (!community) continue;
      const grids = await tx
        .select()
        .from(orgUnits)
        .where(and(eq(orgUnits.level, 'grid'), like(orgUnits.path, `${community.path}%`)))
        .orderBy(asc(orgUnits.code));
      const [dept] = await tx
        .insert(departments)
        .values({ code: `property-${plan.creditCode}`, name: plan.name })
        .returning();
      if (!dept) continue;
      const phone = mobile(rand);
      const [company] = await tx
        .insert(propertyCompanies)
        .values({
          departmentId: dept.id,
          name: plan.name,
          creditCode: plan.creditCode,
          contactName: personName(rand),
          phoneEnc: opts.crypto.encrypt(phone),
          phoneTail: phone.slice(-4),
          orgUnitId: community.id,
          orgPath: community.path,
        })
        .returning();
      if (!company) continue;
      const estates: { id: number; name: string; grid: (typeof grids)[number]; geometry: Geometry }[] = [];
      for (const e of plan.estates) {
        const grid = grids[e.grid] ?? grids[0];
        if (!grid?.geometry) continue;
        const geometry = estateIn(grid.geometry as Geometry);
        const [row] = await tx
          .insert(propertyEstates)
          .values({ companyId: company.id, name: e.name, geometry })
          .returning();
        if (row) estates.push({ id: row.id, name: e.name, grid, geometry });
      }
      const staffIds: { id: string; name: string }[] = [];
      for (const s of plan.staff) {
        const [u] = await tx
          .insert(users)
          .values({
            username: s.username,
            displayName: s.displayName,
            phoneEnc: opts.crypto.encrypt(mobile(rand)),
            passwordHash,
            mustChangePassword: false,
            orgUnitId: null,
            orgPath: null,
            departmentId: dept.id,
          })
          .returning();
        if (!u) continue;
        await tx.insert(userRoles).values({ userId: u.id, roleId: staffRole.id });
        staffIds.push({ id: u.id, name: s.displayName });
        accounts.push({
          username: s.username,
          displayName: s.displayName,
          role: staffRole.name,
          unit: plan.name,
        });
      }
      const handler = staffIds[0];
      if (!handler || estates.length === 0) continue;

      for (let i = 0; i < plan.cases; i++) {
        const estate = estates[i % estates.length] as (typeof estates)[number];
        const box = bboxOf(estate.geometry);
        const lng = box.minX + (box.maxX - box.minX) * (0.1 + 0.8 * rand());
        const lat = box.minY + (box.maxY - box.minY) * (0.1 + 0.8 * rand());
        // The first of 保利物业's cases was dispatched a moment ago and waits for its response.
        const waiting = i === 0 && plan.staff[0]?.username === 'property';
        const reportedAt = waiting ? now - 25 * minute : now - (2 + rand() * 86) * day;
        const acceptedAt = reportedAt + (5 + rand() * 10) * minute;
        const dispatchedAt = waiting ? now - 3 * minute : acceptedAt + (3 + rand() * 8) * minute;
        // About one in four answers late, one in five replies late, one in six resolves late.
        const respondAt = dispatchedAt + (rand() < 0.25 ? 16 + rand() * 40 : 2 + rand() * 12) * minute;
        const replyAt = Math.max(
          respondAt + 3 * minute,
          dispatchedAt + (rand() < 0.2 ? 32 + rand() * 60 : 10 + rand() * 19) * minute,
        );
        const resolveAt = Math.max(
          replyAt + 20 * minute,
          dispatchedAt + (rand() < 0.17 ? 25 + rand() * 20 : 1 + rand() * 20) * hour,
        );
        const verifiedAt = resolveAt + (1 + rand() * 3) * hour;
        const closedAt = verifiedAt + (0.5 + rand()) * hour;
        const d = propertyDeadlines(dispatchedAt);
        const [{ n } = { n: 0 }] = (
          (await tx.execute(sql`select nextval('case_code_seq')::int as n`)) as unknown as {
            rows: { n: number }[];
          }
        ).rows;
        const ymd = new Date(reportedAt + chinaOffset).toISOString().slice(0, 10).replaceAll('-', '');
        const [, streetId, communityId] = estate.grid.path.split('/').filter(Boolean).map(Number);
        const late = {
          respond: respondAt > d.respond.getTime(),
          reply: replyAt > d.reply.getTime(),
          resolve: resolveAt > d.resolve.getTime(),
        };
        const id = crypto.randomUUID();
        await tx.insert(cases).values({
          id,
          code: `SJ${ymd}${String(n).padStart(6, '0')}`,
          status: waiting ? 'dispatched' : 'closed',
          categoryCode: cat.code,
          channel: 'hotline_12345',
          priority: cat.priority,
          description: `${estate.name}${problems[Math.floor(rand() * problems.length)]}`,
          address: estate.name,
          lat,
          lng,
          gridId: estate.grid.id,
          communityId: communityId ?? community.id,
          streetId: streetId ?? null,
          orgPath: estate.grid.path,
          handlingUnitId: community.id,
          assigneeKind: 'department',
          assigneeDepartmentId: dept.id,
          departmentIds: [dept.id],
          reporterName: personName(rand),
          idempotencyKey: `demo-${id}`,
          step: waiting ? 'resolve' : 'none',
          dueAt: waiting ? d.resolve : null,
          warnAt: waiting ? new Date(dispatchedAt + 0.8 * day) : null,
          everOverdue: !waiting && (late.respond || late.reply || late.resolve),
          resolveBy: d.resolve,
          resolvedAtLevel: waiting ? null : 'department',
          resolvedOnTime: waiting ? null : !late.resolve,
          reportedAt: new Date(reportedAt),
          acceptedAt: new Date(acceptedAt),
          dispatchedAt: new Date(dispatchedAt),
          claimedAt: waiting ? null : new Date(respondAt),
          resolvedAt: waiting ? null : new Date(resolveAt),
          verifiedAt: waiting ? null : new Date(verifiedAt),
          closedAt: waiting ? null : new Date(closedAt),
          updatedAt: new Date(waiting ? dispatchedAt : closedAt),
        });
        await tx.insert(propertyDispatches).values({
          caseId: id,
          companyId: company.id,
          estateId: estate.id,
          dispatchedAt: new Date(dispatchedAt),
          respondBy: d.respond,
          replyBy: d.reply,
          resolveBy: d.resolve,
          respondLate: !waiting && late.respond,
          replyLate: !waiting && late.reply,
        });
        const by = (u: { id: string; displayName?: string; name?: string }, unit: string) => ({
          actorId: u.id,
          actorName: u.displayName ?? u.name ?? '',
          actorUnit: unit,
        });
        const office = by(dispatcher, community.name);
        const staff = by(handler, plan.name);
        const trail: (typeof caseEvents.$inferInsert)[] = [
          {
            caseId: id,
            action: 'report',
            fromState: null,
            toState: 'reported',
            actorName: '来电群众',
            at: new Date(reportedAt),
            data: { channel: 'hotline_12345' },
          },
          {
            caseId: id,
            action: 'accept',
            fromState: 'reported',
            toState: 'accepted',
            ...office,
            at: new Date(acceptedAt),
          },
          {
            caseId: id,
            action: 'dispatch',
            fromState: 'accepted',
            toState: 'dispatched',
            ...office,
            at: new Date(dispatchedAt),
            note: '请物业按“15 分钟响应、30 分钟回复、24 小时解决”处置',
            data: { assignee: { kind: 'department', id: String(dept.id), name: plan.name } },
          },
        ];
        if (!waiting) {
          const overdue = (step: string, due: Date) => ({
            caseId: id,
            action: 'overdue',
            fromState: 'dispatched',
            toState: 'dispatched',
            actorName: '系统',
            at: due,
            data: { step, property: true, dueAt: due.toISOString() },
          });
          if (late.respond) trail.push(overdue('respond', d.respond));
          trail.push({
            caseId: id,
            action: 'claim',
            fromState: 'dispatched',
            toState: 'in_progress',
            ...staff,
            at: new Date(respondAt),
            data: { claimedBy: handler.name },
          });
          if (late.reply)
            trail.push({ ...overdue('reply', d.reply), fromState: 'in_progress', toState: 'in_progress' });
          trail.push({
            caseId: id,
            action: 'note',
            fromState: 'in_progress',
            toState: 'in_progress',
            ...staff,
            at: new Date(replyAt),
            note: replies[i % replies.length] as string,
          });
          trail.push({
            caseId: id,
            action: 'resolve',
            fromState: 'in_progress',
            toState: 'resolved',
            ...staff,
            at: new Date(resolveAt),
            note: results[i % results.length] as string,
          });
          trail.push({
            caseId: id,
            action: 'verify',
            fromState: 'resolved',
            toState: 'verified',
            ...by(gridworker, estate.grid.name),
            at: new Date(verifiedAt),
            data: { passed: true },
          });
          trail.push({
            caseId: id,
            action: 'followUp',
            fromState: 'verified',
            toState: 'closed',
            ...office,
            at: new Date(closedAt),
            note: '回访群众满意',
          });
        }
        trail.sort((a, b) => (a.at as Date).getTime() - (b.at as Date).getTime());
        // A deadline mark changes no state: it stands in the state the case was in at that time
        // (a reply deadline can pass before a late response claims the case).
        let state: string | null = null;
        for (const e of trail) {
          if (e.action === 'overdue') Object.assign(e, { fromState: state, toState: state });
          state = e.toState ?? state;
        }
        await tx.insert(caseEvents).values(trail);
      }
    }
  });
  return accounts;
}
