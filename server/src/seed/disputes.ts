import { idNumberCheckChar } from '@civicgrid/core';
import type { DisputeType, disputeSources, RiskLevel } from '@civicgrid/core/api/disputes';
import { addDays, weekOf } from '@civicgrid/core/calendar/weeks';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import type { DisputeState } from '@civicgrid/core/disputes/stateMachine';
import { disputeDeadline } from '@civicgrid/core/disputes/timeLimit';
import { and, asc, eq, inArray, like } from 'drizzle-orm';
import { users } from '../modules/accounts/tables.js';
import {
  disputeEvents,
  disputeParties,
  disputeScreenings,
  disputes,
  mediationCommittees,
  mediators,
  receptions,
} from '../modules/disputes/tables.js';
import { departments, orgUnits } from '../modules/org/tables.js';
import type { FieldCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { seeded } from './geometry.js';
import { personName } from './people.js';

const dayMs = 86_400_000;

/** Facts of demo disputes by type, with the terms a settlement of each would hold. */
const stories: [DisputeType, string, string[]][] = [
  [
    'neighbour',
    '楼上卫生间漏水渗到楼下天花板，双方就维修和赔偿协商不成。',
    ['楼上住户于 7 日内修复卫生间防水层', '楼上住户赔偿楼下天花板修缮费 1500 元'],
  ],
  ['neighbour', '邻居在楼道堆放杂物并饲养犬只，夜间吠叫影响休息。', ['清理楼道杂物', '夜间将犬只关养在室内']],
  [
    'property',
    '业主以电梯长期故障为由拒交物业费，物业公司催缴引发争执。',
    ['物业公司于 15 日内完成电梯维修', '业主补缴拖欠物业费'],
  ],
  ['labour', '装修工人反映包工头拖欠两个月工资共 9000 元。', ['包工头于月底前支付拖欠工资 9000 元']],
  [
    'maritalFamily',
    '子女就老人赡养费用分担发生争执。',
    ['三名子女每月各支付赡养费 600 元', '轮流照料老人起居'],
  ],
  [
    'housingLand',
    '相邻平房翻建占用公共通道，邻里对宅基地界线有异议。',
    ['拆除占用通道部分', '双方按原界线砌墙'],
  ],
  ['damages', '电动车在小区内碰撞行人致轻微受伤，双方对赔偿金额有分歧。', ['电动车车主赔偿医疗费 2300 元']],
  ['consumer', '居民在社区超市购买过期食品，要求十倍赔偿。', ['超市退还货款并赔偿 500 元']],
  ['medical', '社区卫生服务站输液后出现过敏反应，家属要求赔偿。', ['卫生服务站承担后续治疗费用']],
  ['other', '小区停车位分配引发业主之间的争执。', ['按业主大会决议重新分配车位']],
];
const sources: (typeof disputeSources)[number][] = [
  'walk_in',
  'grid_patrol',
  'screening',
  'reception',
  'hotline_12345',
];
const risks: RiskLevel[] = ['green', 'yellow', 'yellow', 'yellow', 'orange', 'green', 'red'];

function demoIdNumber(rand: () => number): string {
  const birth = new Date(
    Date.UTC(1950 + Math.floor(rand() * 50), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28)),
  );
  const first = `150203${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(Math.floor(rand() * 1000)).padStart(3, '0')}`;
  return `${first}${idNumberCheckChar(first)}`;
}

/** How far a dispute of that age has got: the older, the more likely settled. */
function stateFor(ageDays: number, rand: () => number): DisputeState {
  if (ageDays < 4) return rand() < 0.7 ? 'registered' : 'accepted';
  if (ageDays < 7)
    return (['accepted', 'assigned', 'mediating'] as const)[Math.floor(rand() * 3)] as DisputeState;
  if (ageDays < 25)
    return (['mediating', 'agreed', 'failed', 'agreed'] as const)[Math.floor(rand() * 4)] as DisputeState;
  return rand() < 0.85 ? 'closed' : 'agreed';
}

/** The trail's steps to reach `state`. */
const path: Record<DisputeState, string[]> = {
  registered: [],
  accepted: ['accept'],
  assigned: ['accept', 'assign'],
  mediating: ['accept', 'assign', 'session'],
  agreed: ['accept', 'assign', 'session', 'agree'],
  failed: ['accept', 'assign', 'session', 'fail'],
  closed: ['accept', 'assign', 'session', 'agree', 'followUp'],
};
const after: Record<string, DisputeState> = {
  accept: 'accepted',
  assign: 'assigned',
  session: 'mediating',
  agree: 'agreed',
  fail: 'failed',
  followUp: 'closed',
};

/**
 * The mediation demo of 黄河西路街道 (issue 16): its people's mediation committee with the
 * `mediator` account, a studio run by a social organization ("家长里短"调解工作室), a trade
 * committee for property disputes and the units departments station at the centre; a quarter
 * of disputes in its grids in every state; this week's screening with some grids still
 * missing; today's reception queue.
 */
export async function seedDemoDisputes(db: Db, opts: { crypto: FieldCrypto }) {
  const { crypto } = opts;
  const rand = seeded('civicgrid-demo-disputes');
  const [street] = await db.select().from(orgUnits).where(eq(orgUnits.name, '黄河西路街道'));
  const [mediatorUser] = await db.select().from(users).where(eq(users.username, 'mediator'));
  if (!street || !mediatorUser) return;
  const [streetUser] = await db.select().from(users).where(eq(users.username, 'street'));
  const depts = await db
    .select()
    .from(departments)
    .where(inArray(departments.code, ['gongan', 'sifa', 'renshe']));
  const dept = (code: string) => depts.find((d) => d.code === code)?.id ?? null;

  const bodies: {
    name: string;
    kind: 'people' | 'trade' | 'studio' | 'stationed';
    departmentId?: number | null;
    people: [string, string | null, string | null][];
  }[] = [
    {
      name: '黄河西路街道人民调解委员会',
      kind: 'people',
      people: [
        [mediatorUser.displayName, '专职调解员', mediatorUser.id],
        ['王淑芬', '兼职调解员', null],
      ],
    },
    {
      name: '"家长里短"调解工作室',
      kind: 'studio',
      people: [
        ['刘丽梅', '工作室负责人', null],
        ['郭孝红', '志愿调解员', null],
      ],
    },
    { name: '黄河西路街道物业纠纷调解委员会', kind: 'trade', people: [['段志强', '行业调解员', null]] },
    {
      name: '黄河西路派出所驻中心警务室',
      kind: 'stationed',
      departmentId: dept('gongan'),
      people: [['赵警官', '社区民警', null]],
    },
    {
      name: '黄河西路司法所',
      kind: 'stationed',
      departmentId: dept('sifa'),
      people: [['孙明', '司法助理员', null]],
    },
    {
      name: '区人社局劳动争议调解工作站',
      kind: 'stationed',
      departmentId: dept('renshe'),
      people: [['钱红', '劳动保障监察员', null]],
    },
  ];
  const made: { committeeId: number; mediatorId: number; userId: string | null; name: string }[] = [];
  for (const b of bodies) {
    const [c] = await db
      .insert(mediationCommittees)
      .values({
        name: b.name,
        kind: b.kind,
        orgUnitId: street.id,
        orgPath: street.path,
        departmentId: b.departmentId ?? null,
      })
      .returning();
    if (!c) continue;
    const ms = await db
      .insert(mediators)
      .values(b.people.map(([name, title, userId]) => ({ committeeId: c.id, name, title, userId })))
      .returning();
    for (const m of ms) made.push({ committeeId: c.id, mediatorId: m.id, userId: m.userId, name: m.name });
  }

  const grids = await db
    .select()
    .from(orgUnits)
    .where(and(eq(orgUnits.level, 'grid'), like(orgUnits.path, `${street.path}%`)))
    .orderBy(asc(orgUnits.path));
  if (grids.length === 0) return;
  const now = Date.now();
  const today = localDay(now);
  let seq = 0;
  const disputeIds: { id: string; gridId: number; createdAt: number }[] = [];
  for (let ageDays = 90; ageDays >= 0; ageDays -= 1 + Math.floor(rand() * 2)) {
    const grid = grids[Math.floor(rand() * grids.length)] as (typeof grids)[number];
    const [type, facts, terms] = stories[Math.floor(rand() * stories.length)] as (typeof stories)[number];
    const created = now - ageDays * dayMs - Math.floor(rand() * 8) * 3_600_000;
    const state = stateFor(ageDays, rand);
    // Most disputes go to the street's committee and its `mediator`; some to the others.
    const who = rand() < 0.6 ? made[0] : made[Math.floor(rand() * made.length)];
    const steps = path[state];
    const accepted = steps.includes('accept') ? created + 3_600_000 : null;
    const agreedAt = created + 4 * dayMs;
    const agreement = steps.includes('agree')
      ? {
          terms,
          performBy: addDays(localDay(agreedAt), 10),
          performance: '当面履行，调解员见证',
          oral: rand() < 0.15,
          at: new Date(agreedAt).toISOString(),
        }
      : null;
    seq++;
    const [row] = await db
      .insert(disputes)
      .values({
        code: `TJ${localDay(created).replaceAll('-', '')}${String(900000 + seq).padStart(6, '0')}`,
        type,
        description: facts,
        riskLevel: risks[Math.floor(rand() * risks.length)] as RiskLevel,
        source: sources[Math.floor(rand() * sources.length)] as (typeof disputeSources)[number],
        status: state,
        gridId: grid.id,
        orgUnitId: grid.id,
        orgPath: grid.path,
        committeeId: steps.includes('assign') ? (who?.committeeId ?? null) : null,
        mediatorId: steps.includes('assign') ? (who?.mediatorId ?? null) : null,
        mediatorUserId: steps.includes('assign') ? (who?.userId ?? null) : null,
        acceptedAt: accepted ? new Date(accepted) : null,
        deadline: disputeDeadline(accepted ?? created),
        sessions: steps.includes('session')
          ? [
              {
                at: new Date(created + 2 * dayMs).toISOString(),
                place: '黄河西路街道综治中心矛盾纠纷调处室',
                attendees: [],
                notes: '双方到场陈述，调解员释法说理，明确争议焦点。',
              },
            ]
          : [],
        agreement,
        failure: steps.includes('fail')
          ? { reason: '双方分歧较大，调解不成', referral: { kind: 'court', unit: '昆都仑区人民法院' } }
          : null,
        followUps: steps.includes('followUp')
          ? [{ performed: 'yes', note: '回访确认已履行', at: new Date(agreedAt + 12 * dayMs).toISOString() }]
          : [],
        closedAt: state === 'closed' ? new Date(agreedAt + 12 * dayMs) : null,
        createdBy: mediatorUser.id,
        idempotencyKey: `demo-${seq}`,
        createdAt: new Date(created),
        updatedAt: new Date(created),
      })
      .returning({ id: disputes.id });
    if (!row) continue;
    disputeIds.push({ id: row.id, gridId: grid.id, createdAt: created });
    const parties = [personName(rand), type === 'property' ? '某物业服务有限公司' : personName(rand)];
    await db.insert(disputeParties).values(
      parties.map((name, i) => {
        const org = i === 1 && type === 'property';
        const id = org ? null : demoIdNumber(rand);
        return {
          disputeId: row.id,
          position: i,
          kind: org ? ('organization' as const) : ('person' as const),
          role: i === 0 ? ('applicant' as const) : ('respondent' as const),
          name,
          idEnc: id ? crypto.encrypt(id) : null,
          idIdx: id ? crypto.blindIndex(id) : null,
          phoneEnc: crypto.encrypt(`139${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`),
        };
      }),
    );
    let from: DisputeState = 'registered';
    const events: (typeof disputeEvents.$inferInsert)[] = [
      {
        disputeId: row.id,
        action: 'register',
        fromState: null,
        toState: 'registered',
        actorId: mediatorUser.id,
        at: new Date(created),
      },
    ];
    steps.forEach((a, i) => {
      const to = after[a] as DisputeState;
      events.push({
        disputeId: row.id,
        action: a,
        fromState: from,
        toState: to,
        actorId: mediatorUser.id,
        at: new Date(a === 'followUp' ? agreedAt + 12 * dayMs : created + (i + 1) * dayMs),
      });
      from = to;
    });
    await db.insert(disputeEvents).values(events);
  }

  // 排查: every past week reported by every grid; this week, all but a few.
  const thisWeek = weekOf(now).from;
  const reporter = streetUser?.id ?? mediatorUser.id;
  for (let w = 8; w >= 0; w--) {
    const weekFrom = addDays(thisWeek, -7 * w);
    const rows = grids
      .filter((_, i) => w > 0 || i % 4 !== 0)
      .map((g) => {
        const found = disputeIds
          .filter((d) => d.gridId === g.id && weekOf(d.createdAt).from === weekFrom)
          .map((d) => d.id);
        return {
          gridId: g.id,
          orgPath: g.path,
          weekFrom,
          disputeIds: found,
          zero: found.length === 0,
          reportedBy: reporter,
        };
      });
    if (rows.length) await db.insert(disputeScreenings).values(rows);
  }

  // 群众接待: this morning's visitors at the street's centre.
  const visits: [string, 'dispute' | 'legalConsultation' | 'answered' | 'case', string | null][] = [
    ['邻居装修噪音扰民，协商无果', 'dispute', null],
    [
      '咨询离婚后子女抚养权问题',
      'legalConsultation',
      '依民法典第一千零八十四条，不满两周岁的子女以由母亲直接抚养为原则。',
    ],
    ['询问居住证办理需要的材料', 'answered', '携带身份证和租房合同到社区便民服务站办理。'],
    ['小区门口路灯损坏', 'case', null],
  ];
  await db.insert(receptions).values(
    visits.map(([matter, route, answer], i) => ({
      orgUnitId: street.id,
      orgPath: street.path,
      visitDay: today,
      number: i + 1,
      visitorName: personName(rand),
      matter,
      route,
      answer,
      status: answer ? ('done' as const) : ('waiting' as const),
      receivedBy: mediatorUser.id,
      idempotencyKey: `demo-visit-${i}`,
      visitedAt: new Date(now - (visits.length - i) * 1_200_000),
      doneAt: answer ? new Date(now - (visits.length - i) * 1_000_000) : null,
    })),
  );
}
