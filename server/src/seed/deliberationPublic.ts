import type { CouncilMemberCategory } from '@civicgrid/core/participation/councils';
import { and, eq, inArray } from 'drizzle-orm';
import { roles, userRoles, users } from '../modules/accounts/tables.js';
import { orgUnits } from '../modules/org/tables.js';
import {
  deliberationComments,
  deliberationSuggestions,
  deliberationSupports,
  streetCouncilMembers,
  streetCouncils,
} from '../modules/participation/deliberationPublicTables.js';
import { deliberations } from '../modules/participation/tables.js';
import type { FieldCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';

const members: [string, CouncilMemberCategory, string][] = [
  ['王建华', 'npc', '区人大代表'],
  ['刘淑芬', 'npc', '区人大代表'],
  ['赵志刚', 'cppcc', '区政协委员'],
  ['孙丽娟', 'cppcc', '区政协委员'],
  ['李桂兰', 'resident', '保利新华社区'],
  ['张德明', 'resident', '保利新华社区'],
  ['陈玉梅', 'resident', '黄河西路社区'],
  ['周国强', 'resident', '辖区居民'],
  ['吴秀英', 'resident', '辖区居民'],
  ['郑海军', 'unit', '包钢第三小学'],
  ['冯晓东', 'unit', '昆区供电分公司'],
  ['何春燕', 'unit', '辖区商户联合会'],
  ['韩雪', 'socialOrg', '“家长里短”调解工作室'],
  ['杨帆', 'socialOrg', '夕阳红助老服务中心'],
  ['马文彬', 'other', '社区法律顾问'],
];

const suggestions = [
  { title: '小区东门加装遮雨棚', body: '东门等校车的孩子和老人下雨天无处避雨，建议加装一段遮雨棚。' },
  { title: '增设智能快递柜', body: '快递堆在门岗经常丢件，建议在 3 号楼旁增设智能快递柜。' },
  { title: '楼道加装声控灯', body: '6 号楼、7 号楼楼道没有灯，老人晚上上下楼不安全，建议加装声控灯。' },
  { title: '健身器材维修', body: '小区中心花园的健身器材有几件松动生锈，建议尽快维修或更换。' },
];

/**
 * 议事协商 around the five steps, in the demo: the street council of 黄河西路街道 (fifteen
 * members by category), residents' suggestions in 保利新华社区 supported by the demo's resident
 * accounts, and residents' comments on the community's published deliberation.
 */
export async function seedDemoDeliberationPublic(db: Db, opts: { crypto: FieldCrypto }): Promise<void> {
  const [street] = await db.select().from(orgUnits).where(eq(orgUnits.name, '黄河西路街道'));
  const [baoli] = await db.select().from(orgUnits).where(eq(orgUnits.name, '保利新华社区'));
  if (!street || !baoli) return;
  const residentAccounts = await db
    .select({ id: users.id })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(eq(roles.code, 'resident'));
  const posterId = residentAccounts[0]?.id;
  await db.transaction(async (tx) => {
    const [council] = await tx
      .insert(streetCouncils)
      .values({
        streetId: street.id,
        orgPath: street.path,
        name: '黄河西路街道议事会',
        termStart: '2024-01-01',
        termEnd: '2026-12-31',
      })
      .returning({ id: streetCouncils.id });
    await tx.insert(streetCouncilMembers).values(
      members.map(([name, category, affiliation], i) => {
        const phone = `1394721${String(3000 + i * 7)}`;
        return {
          councilId: (council as { id: number }).id,
          name,
          category,
          affiliation,
          phoneEnc: opts.crypto.encrypt(phone),
          phoneTail: phone.slice(-4),
          joinedOn: '2024-01-01',
        };
      }),
    );
    if (!posterId) return;
    for (const [i, s] of suggestions.entries()) {
      const [row] = await tx
        .insert(deliberationSuggestions)
        .values({
          orgUnitId: baoli.id,
          orgPath: baoli.path,
          title: s.title,
          body: s.body,
          postedBy: posterId,
          idempotencyKey: `demo-suggestion-${i}`,
          createdAt: new Date(Date.now() - (10 - i) * 86_400_000),
        })
        .returning({ id: deliberationSuggestions.id });
      // Supports only from real resident accounts, so the count is their number.
      const supporters = residentAccounts.slice(0, Math.max(0, residentAccounts.length - i));
      if (supporters.length) {
        await tx
          .insert(deliberationSupports)
          .values(supporters.map((u) => ({ suggestionId: (row as { id: string }).id, userId: u.id })));
        await tx
          .update(deliberationSuggestions)
          .set({ supportCount: supporters.length })
          .where(eq(deliberationSuggestions.id, (row as { id: string }).id));
      }
    }
    const published = await tx
      .select({ id: deliberations.id })
      .from(deliberations)
      .where(
        and(
          eq(deliberations.orgUnitId, baoli.id),
          inArray(deliberations.status, ['published', 'implemented']),
        ),
      );
    const texts = [
      '充电棚建好了，楼道里再也没有电动车充电了，点赞！',
      '希望充电棚晚上也有照明。',
      '费用分摊情况能否再公示一下？',
    ];
    for (const d of published)
      await tx.insert(deliberationComments).values(
        texts.map((body, k) => ({
          deliberationId: d.id,
          authorId: posterId,
          body,
          idempotencyKey: `demo-comment-${d.id}-${k}`,
        })),
      );
  });
}
