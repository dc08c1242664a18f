import type { AreaGeometry } from '@civicgrid/core/api/org';
import { addDays } from '@civicgrid/core/calendar/weeks';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import {
  acknowledgeDeadline,
  answerDeadline,
  reviewAnswerDeadline,
  reviewRequestDeadline,
} from '@civicgrid/core/grievances/clock';
import type { GrievanceChannel, GrievanceState } from '@civicgrid/core/grievances/stateMachine';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { users } from '../modules/accounts/tables.js';
import { briefings, briefingTasks } from '../modules/briefings/tables.js';
import { cameras } from '../modules/cameras/tables.js';
import { workCalendar } from '../modules/cases/calendar.js';
import { grievanceEvents, grievances } from '../modules/grievances/tables.js';
import {
  incidentLogs,
  incidentNotifications,
  incidents,
  incidentTasks,
  onCallRosters,
} from '../modules/incidents/tables.js';
import { departments, orgUnits } from '../modules/org/tables.js';
import type { FieldCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { pointInAreaFrom, seeded } from './geometry.js';
import { personName } from './people.js';

const dayMs = 86_400_000;
const subjects: [string, string][] = [
  ['小区供暖温度不达标', '室内温度长期低于 18 度，物业答复不及时。'],
  ['老旧小区加装电梯意见分歧', '一楼住户反对加装电梯，希望街道协调。'],
  ['拆迁安置补偿标准', '对安置房面积认定有异议，请求书面答复。'],
  ['工地夜间施工噪音', '工地每晚 11 点后仍在施工，影响休息。'],
  ['企业拖欠工资', '务工人员反映企业拖欠三个月工资。'],
  ['低保资格认定', '家庭收入已变化，申请重新认定低保资格。'],
  ['小区物业费上涨', '物业未经业主大会同意上调物业费。'],
  ['道路积水', '雨后路段积水严重，请求改造排水。'],
];
const channels: GrievanceChannel[] = ['letter', 'visit', 'phone', 'online'];

/**
 * The governance centre's demo (issue 16 item 9): a quarter of grievances in every state on
 * the 条例's clock, on-call rosters for the coming days, one closed emergency with its log and
 * tasks, a briefing of 黄河西路街道 with its decisions, and about 40 cameras in its grids.
 */
export async function seedDemoGovernance(db: Db, opts: { crypto: FieldCrypto }) {
  const rand = seeded('civicgrid-demo-governance');
  const [street] = await db.select().from(orgUnits).where(eq(orgUnits.name, '黄河西路街道'));
  if (!street) return;
  const communities = await db
    .select()
    .from(orgUnits)
    .where(and(eq(orgUnits.parentId, street.id), isNull(orgUnits.retiredAt)))
    .orderBy(asc(orgUnits.code));
  const grids = await db
    .select()
    .from(orgUnits)
    .where(
      and(
        inArray(
          orgUnits.parentId,
          communities.map((c) => c.id),
        ),
        isNull(orgUnits.retiredAt),
      ),
    )
    .orderBy(asc(orgUnits.code));
  const staff = await db
    .select({ id: users.id, username: users.username, orgUnitId: users.orgUnitId })
    .from(users)
    .where(inArray(users.username, ['street', 'community', 'district', 'gridworker', 'clerk']));
  const idOf = (u: string) => staff.find((s) => s.username === u)?.id as string;
  const baoli = communities.find((c) => c.name === '保利新华社区') ?? communities[0];
  if (!baoli || !grids.length) return;
  const cal = await workCalendar(db);
  const now = Date.now();
  const today = localDay(now);
  const depts = await db.select().from(departments).orderBy(asc(departments.id));

  await db.transaction(async (tx) => {
    // ——— grievances: a quarter, ~2 a week, the states their age allows.
    for (let i = 0; i < 26; i++) {
      const ageDays = Math.floor((i / 26) * 90 + rand() * 3);
      const receivedOn = localDay(now - ageDays * dayMs);
      const unit = communities[i % communities.length] ?? baoli;
      const [subject, content] = subjects[i % subjects.length] as [string, string];
      const ack = acknowledgeDeadline(cal, receivedOn);
      // Every step's day lies between the receipt and today: a share of the time since the last.
      const acceptedAfter = i === 16 ? 2 : Math.min(ageDays, 2 + Math.floor(rand() * 10));
      const acceptedOn = addDays(receivedOn, acceptedAfter);
      // Two are left waiting so the deadlines show: one near its answer (past 80 %), one not yet told.
      const waiting = i === 16 || i === 5;
      const answered = !waiting && (ageDays > 40 || (ageDays > 20 && rand() < 0.5));
      const answeredAfter = acceptedAfter + Math.floor((ageDays - acceptedAfter) * (0.4 + rand() * 0.3));
      const answeredOn = answered ? addDays(receivedOn, answeredAfter) : null;
      const reviewed = answered && i % 7 === 0;
      let status: GrievanceState = ageDays < 3 || i === 5 ? 'registered' : 'accepted';
      if (i % 13 === 5 && ageDays >= 3 && i !== 5) status = 'declined';
      else if (answered)
        status = reviewed
          ? ageDays > 70
            ? 'closed'
            : 'reviewRequested'
          : ageDays > 55
            ? 'closed'
            : 'answered';
      const accepted = status !== 'registered' && status !== 'declined';
      const answer = accepted ? answerDeadline(cal, acceptedOn) : null;
      const requestedAfter = answeredAfter + Math.floor((ageDays - answeredAfter) * 0.3);
      const requestedOn = reviewed && answeredOn ? addDays(receivedOn, requestedAfter) : null;
      const reviewedOn =
        status === 'closed' && requestedOn
          ? addDays(receivedOn, requestedAfter + Math.floor((ageDays - requestedAfter) * 0.6))
          : null;
      const running =
        status === 'registered'
          ? { dueStep: 'acknowledge' as const, dueOn: ack.due, warnOn: ack.warn }
          : status === 'accepted' && answer
            ? { dueStep: 'answer' as const, dueOn: answer.due, warnOn: answer.warn }
            : status === 'reviewRequested' && requestedOn
              ? (() => {
                  const d = reviewAnswerDeadline(cal, requestedOn);
                  return { dueStep: 'reviewAnswer' as const, dueOn: d.due, warnOn: d.warn };
                })()
              : { dueStep: null, dueOn: null, warnOn: null };
      const [g] = await tx
        .insert(grievances)
        .values({
          code: `XF${receivedOn.replaceAll('-', '')}${String(100000 + i * 7919).slice(-6)}`,
          channel: channels[i % channels.length] as GrievanceChannel,
          subject,
          content,
          personName: personName(rand),
          personPhoneEnc: opts.crypto.encrypt(`139${String(10_000_000 + i * 7_321).slice(-8)}`),
          status,
          orgUnitId: unit.id,
          orgPath: unit.path,
          handlingUnitId: unit.id,
          handlingPath: unit.path,
          departmentId: i % 5 === 2 ? (depts[i % depts.length]?.id ?? null) : null,
          receivedOn,
          acknowledgeBy: ack.due,
          acknowledgedOn: status === 'registered' ? null : acceptedOn,
          answerBy: answer?.due ?? null,
          answeredOn: accepted ? answeredOn : null,
          opinion: accepted && answeredOn ? `经调查核实，已责成相关单位于限期内整改：${subject}。` : null,
          reviewRequestBy: accepted && answeredOn ? reviewRequestDeadline(cal, answeredOn).due : null,
          reviewRequestedOn: requestedOn,
          reviewReason: requestedOn ? '对处理意见不服' : null,
          reviewAnswerBy: requestedOn ? reviewAnswerDeadline(cal, requestedOn).due : null,
          reviewedOn,
          reviewOpinion: reviewedOn ? '维持原处理意见。' : null,
          reviewUpheld: reviewedOn ? true : null,
          satisfaction:
            status === 'closed'
              ? (['satisfied', 'basicallySatisfied', 'dissatisfied'] as const)[i % 3]
              : null,
          closedOn: status === 'closed' ? (reviewedOn ?? answeredOn) : null,
          ...running,
          createdBy: idOf('community'),
          idempotencyKey: `demo-grievance-${i}`,
          createdAt: new Date(Date.parse(`${receivedOn}T09:00:00+08:00`)),
        })
        .returning({ id: grievances.id });
      await tx.insert(grievanceEvents).values({
        grievanceId: (g as { id: string }).id,
        action: 'register',
        fromState: null,
        toState: 'registered',
        actorId: idOf('community'),
        at: new Date(Date.parse(`${receivedOn}T09:00:00+08:00`)),
      });
    }

    // ——— 值班表: the community and the street, today and the next week.
    for (let d = 0; d < 7; d++) {
      const day = addDays(today, d);
      await tx.insert(onCallRosters).values([
        { orgUnitId: baoli.id, day, userId: idOf('community'), role: 'onCall' },
        { orgUnitId: baoli.id, day, userId: idOf('clerk'), role: 'leader' },
        { orgUnitId: street.id, day, userId: idOf('street'), role: 'leader' },
      ]);
    }

    // ——— one closed emergency, 12 days ago, with its log and tasks.
    const at = (h: number, m: number) =>
      new Date(
        Date.parse(
          `${localDay(now - 12 * dayMs)}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00+08:00`,
        ),
      );
    const grid = grids.find((g) => g.parentId === baoli.id) ?? grids[0];
    const point = pointInAreaFrom(grid?.geometry as AreaGeometry, 7, 11);
    const [inc] = await tx
      .insert(incidents)
      .values({
        code: `YJ${localDay(now - 12 * dayMs).replaceAll('-', '')}000001`,
        type: 'accidentDisaster',
        level: 'IV',
        description: '保利新华社区 12 号楼地下室燃气管道泄漏，已疏散 36 户居民',
        lat: point.lat,
        lng: point.lng,
        gridId: grid?.id ?? null,
        orgUnitId: baoli.id,
        orgPath: baoli.path,
        status: 'closed',
        summary:
          '接报后 3 分钟内通知值班人员及街道带班领导，燃气公司 25 分钟到场关阀抢修，疏散居民 36 户，无人员伤亡；次日完成管网检测，恢复供气。',
        reportedBy: idOf('gridworker'),
        reportedAt: at(19, 42),
        closedAt: at(23, 50),
      })
      .returning({ id: incidents.id });
    const incidentId = (inc as { id: string }).id;
    await tx.insert(incidentNotifications).values([
      {
        incidentId,
        userId: idOf('community'),
        notifiedAs: 'onCall',
        orgUnitId: baoli.id,
        notifiedAt: at(19, 42),
        acknowledgedAt: at(19, 44),
      },
      {
        incidentId,
        userId: idOf('clerk'),
        notifiedAs: 'leader',
        orgUnitId: baoli.id,
        notifiedAt: at(19, 42),
        acknowledgedAt: at(19, 47),
      },
      {
        incidentId,
        userId: idOf('street'),
        notifiedAs: 'upperLeader',
        orgUnitId: street.id,
        notifiedAt: at(19, 42),
        acknowledgedAt: at(19, 45),
      },
    ]);
    await tx.insert(incidentLogs).values([
      {
        incidentId,
        kind: 'report',
        text: '网格员巡查发现地下室燃气味浓，已报告',
        actorId: idOf('gridworker'),
        at: at(19, 42),
      },
      {
        incidentId,
        kind: 'order',
        text: '立即疏散 12 号楼居民，设置警戒线，禁止明火',
        actorId: idOf('street'),
        at: at(19, 48),
      },
      {
        incidentId,
        kind: 'resource',
        text: '燃气公司抢修队、消防救援站各 1 队到场',
        actorId: idOf('street'),
        at: at(20, 7),
      },
      {
        incidentId,
        kind: 'report',
        text: '已关阀止漏，现场检测浓度归零',
        actorId: idOf('community'),
        at: at(21, 30),
      },
      { incidentId, kind: 'note', text: '处置结束', actorId: idOf('street'), at: at(23, 50) },
    ]);
    if (depts[0])
      await tx.insert(incidentTasks).values({
        incidentId,
        departmentId: depts[0].id,
        title: '次日完成 12 号楼燃气管网检测',
        dueAt: new Date(at(23, 50).getTime() + dayMs),
        doneAt: new Date(at(23, 50).getTime() + 14 * 3_600_000),
        note: '检测合格，已恢复供气',
        createdBy: idOf('street'),
      });

    // ——— a briefing of the street, last week, with its decisions.
    const [b] = await tx
      .insert(briefings)
      .values({
        orgUnitId: street.id,
        orgPath: street.path,
        title: `${street.name}矛盾纠纷与信访形势会商研判`,
        heldOn: addDays(today, -6),
        attendees: '街道综治中心、派出所、司法所、信访办、各社区书记',
        minutes: '研判近期供暖投诉集中、燃气泄漏事件后续及两起红色纠纷，明确责任单位和时限。',
        agenda: [],
        createdBy: idOf('street'),
      })
      .returning({ id: briefings.id });
    const briefingId = (b as { id: string }).id;
    await tx.insert(briefingTasks).values([
      {
        briefingId,
        text: '约谈供热公司，一周内解决保利新华社区供暖不达标问题',
        ownerUserId: idOf('community'),
        dueOn: addDays(today, 1),
      },
      {
        briefingId,
        text: '开展辖区老旧小区燃气管网隐患排查',
        departmentId: depts[1]?.id ?? depts[0]?.id ?? null,
        dueOn: addDays(today, 8),
      },
      {
        briefingId,
        text: '红色纠纷包案化解，街道领导逐件包联',
        ownerUserId: idOf('street'),
        dueOn: addDays(today, -1),
        doneAt: new Date(now - dayMs),
        doneNote: '已包案到人',
        doneBy: idOf('street'),
      },
    ]);

    // ——— about 40 cameras in the street's grids (GB/T 28181 codes of Kundulun, 150203).
    const types = ['bullet', 'dome', 'ptz', 'panoramic'] as const;
    for (let i = 0; i < 40; i++) {
      const g = grids[i % grids.length];
      if (!g?.geometry) continue;
      const p = pointInAreaFrom(g.geometry as AreaGeometry, i, 28181);
      const type = types[i % types.length] as (typeof types)[number];
      await tx.insert(cameras).values({
        code: `15020300001${type === 'bullet' ? '31' : '32'}1${String(i + 1).padStart(6, '0')}`,
        name: `${g.name}${['东门', '西门', '主路口', '广场', '停车场'][i % 5]}`,
        type,
        owner: i % 3 === 0 ? '昆都仑公安分局' : `${street.name}综治中心`,
        lat: p.lat,
        lng: p.lng,
        gridId: g.id,
        orgPath: g.path,
        // Public demo streams stand in for the video network (any HLS address plays).
        streamUrl: i % 4 === 0 ? 'https://test-streams.mux.dev/x36xhzz/x36xhzz.m3u8' : null,
      });
    }
  });
}
