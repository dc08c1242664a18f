import type { WishState } from '@civicgrid/core/participation/wishes';
import { and, eq, inArray } from 'drizzle-orm';
import { users } from '../modules/accounts/tables.js';
import { orgUnits } from '../modules/org/tables.js';
import { wishEvents, wishes } from '../modules/participation/tables.js';
import type { Db } from '../platform/db.js';

/** The demo's micro-wishes (微心愿) in 保利新华社区: a few in each state, with their trails. */
const demoWishes: {
  title: string;
  description: string;
  state: WishState;
  daysAgo: number;
  rating?: number;
}[] = [
  {
    title: '想要一台收音机',
    description: '家里老人眼睛不好，想听广播解闷。',
    state: 'submitted',
    daysAgo: 1,
  },
  {
    title: '请人帮忙换个灯泡',
    description: '卫生间灯泡坏了，够不着，想请人帮忙换一下。',
    state: 'submitted',
    daysAgo: 0,
  },
  {
    title: '孩子想要几本课外书',
    description: '孩子上三年级，想看科普类的课外书。',
    state: 'published',
    daysAgo: 2,
  },
  { title: '冬天想要一副护膝', description: '腿脚怕冷，想要一副保暖护膝。', state: 'published', daysAgo: 5 },
  {
    title: '陪老人去医院复查',
    description: '独居老人下周二要去医院复查，需要有人陪同。',
    state: 'claimed',
    daysAgo: 3,
  },
  {
    title: '教老人用智能手机挂号',
    description: '想学会用手机挂号和视频通话。',
    state: 'fulfilled',
    daysAgo: 6,
  },
  {
    title: '楼道里装个扶手',
    description: '楼道台阶陡，老人上下楼不方便，想装个扶手。',
    state: 'rated',
    daysAgo: 12,
    rating: 5,
  },
  {
    title: '帮忙修一下轮椅',
    description: '轮椅刹车不灵，想请人帮忙修理。',
    state: 'rated',
    daysAgo: 15,
    rating: 4,
  },
  { title: '想要一盆绿植', description: '家里想添点绿色。', state: 'withdrawn', daysAgo: 9 },
];

const steps: Record<WishState, string[]> = {
  submitted: [],
  published: ['publish'],
  claimed: ['publish', 'claim'],
  fulfilled: ['publish', 'claim', 'fulfil'],
  rated: ['publish', 'claim', 'fulfil', 'rate'],
  withdrawn: ['withdraw'],
};
const after: Record<string, WishState> = {
  post: 'submitted',
  publish: 'published',
  claim: 'claimed',
  fulfil: 'fulfilled',
  rate: 'rated',
  withdraw: 'withdrawn',
};

export async function seedDemoWishes(db: Db): Promise<void> {
  const people = await db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(inArray(users.username, ['resident', 'gridworker', 'volunteer']));
  const idOf = (u: string) => people.find((p) => p.username === u)?.id;
  const resident = idOf('resident');
  const worker = idOf('gridworker');
  const volunteer = idOf('volunteer');
  const [baoli] = await db.select().from(orgUnits).where(eq(orgUnits.name, '保利新华社区'));
  if (!resident || !worker || !volunteer || !baoli) return;
  const grids = await db
    .select()
    .from(orgUnits)
    .where(and(eq(orgUnits.parentId, baoli.id), eq(orgUnits.level, 'grid')))
    .orderBy(orgUnits.code);
  const grid = grids[0];
  if (!grid) return;
  const day = 86_400_000;
  const now = Date.now();
  await db.transaction(async (tx) => {
    for (const [i, w] of demoWishes.entries()) {
      const g = grids[i % Math.min(grids.length, 2)] ?? grid;
      const at = (step: number) => new Date(now - w.daysAgo * day + step * 3 * 3_600_000);
      const trail = ['post', ...steps[w.state]];
      const when = (action: string) => (trail.includes(action) ? at(trail.indexOf(action)) : null);
      const [row] = await tx
        .insert(wishes)
        .values({
          title: w.title,
          description: w.description,
          gridId: g.id,
          orgPath: g.path,
          status: w.state,
          postedBy: resident,
          idempotencyKey: `demo-wish-${i}`,
          publishedAt: when('publish'),
          claimedBy: when('claim') ? volunteer : null,
          claimedAt: when('claim'),
          fulfilledAt: when('fulfil'),
          fulfilNote: when('fulfil') ? '已上门完成，居民表示感谢。' : null,
          rating: w.rating ?? null,
          ratingComment: w.rating ? '党员同志很热心，谢谢！' : null,
          ratedAt: when('rate'),
          createdAt: at(0),
          updatedAt: at(trail.length - 1),
        })
        .returning({ id: wishes.id });
      const id = (row as { id: string }).id;
      const actorOf = (a: string) =>
        a === 'post' || a === 'rate' ? resident : a === 'claim' || a === 'fulfil' ? volunteer : worker;
      await tx.insert(wishEvents).values(
        trail.map((a, k) => ({
          wishId: id,
          action: a,
          fromState: k === 0 ? null : after[trail[k - 1] as string],
          toState: after[a] as WishState,
          actorId: actorOf(a),
          note: a === 'fulfil' ? '已上门完成，居民表示感谢。' : null,
          at: at(k),
        })),
      );
    }
  });
}
