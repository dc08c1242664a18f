import { randomUUID } from 'node:crypto';
import { minTrainingCases } from '@civicgrid/core/routing/classifier';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Session } from '../../test/factories.js';
import type { TestContext } from '../../test/harness.js';
import { cases } from '../cases/tables.js';
import { casesWorld, report } from '../cases/testWorld.js';
import { caseRoutingSuggestions, routingModels } from './tables.js';
import { tokenize } from './tokenizer.js';

/* 智能派单: the jieba tokenizer, training on closed cases, the suggestion stored on arrival, its route's scope. */

let ctx: TestContext;
let w: Awaited<ReturnType<typeof casesWorld>>;
let community: Session;

beforeAll(async () => {
  w = await casesWorld();
  ({ ctx, community } = w);
}, 60_000);

afterAll(async () => {
  await ctx?.close();
});

/** Closed cases written directly (their history does not matter here, only text and category). */
async function closedCases(texts: Record<string, string[]>, times: number) {
  const grid = w.t.grids[0];
  const community0 = w.t.communities[0];
  if (!grid || !community0) throw new Error('territory');
  const rows = Object.entries(texts).flatMap(([categoryCode, list]) =>
    Array.from({ length: times }, (_, i) => ({
      code: `RT${randomUUID().slice(0, 12)}`,
      status: 'closed',
      categoryCode,
      channel: 'grid_patrol',
      description: `${['3号楼', '小区北门', '菜市场旁', '幼儿园门口'][i % 4]}${list[i % list.length]}`,
      orgPath: grid.path,
      gridId: grid.id,
      communityId: community0.id,
      handlingUnitId: community0.id,
      idempotencyKey: randomUUID(),
      step: 'none' as const,
      closedAt: new Date(),
    })),
  );
  await ctx.deps.db.insert(cases).values(rows);
}

const suggestion = (s: Session, id: string) => s.get(`/api/cases/${id}/routing-suggestion`);

describe('smart routing', () => {
  it('segments Chinese text into content words with jieba', () => {
    const words = tokenize('小区门口的路灯坏了好几天，晚上很黑！');
    expect(words).toContain('路灯');
    expect(words).toContain('门口');
    expect(words).not.toContain('的');
    expect(words).not.toContain('，');
  });

  it('says so and suggests nothing on a fresh installation (too few closed cases)', async () => {
    const r = await report(community);
    expect(r.statusCode).toBe(201);
    const res = await suggestion(community, r.json().id);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'insufficientData',
      closedCases: 0,
      needed: minTrainingCases,
      candidates: [],
      department: null,
    });
    const run = await ctx.app.jobs.runNow('routing-train');
    expect(run).toMatchObject({ outcome: 'ran', ok: true, counts: { trained: 0, tooFewCases: 1 } });
    expect(await ctx.deps.db.select().from(routingModels)).toHaveLength(0);
  });

  it('trains on closed cases, stores the suggestion as a case arrives, and names the department', async () => {
    await closedCases(
      {
        C0103: ['路灯不亮，夜间出行不便', '多盏路灯白天常亮', '路灯灯杆倾斜，灯罩脱落'],
        E0102: ['路边有一堆生活垃圾无人清理', '垃圾桶旁散落大量垃圾袋', '垃圾堆放多日气味很大'],
        C0101: ['井盖破损，存在安全隐患', '雨水井盖缺失', '井盖松动，车辆经过响声很大'],
      },
      20,
    );
    const run = await ctx.app.jobs.runNow('routing-train');
    expect(run).toMatchObject({ outcome: 'ran', ok: true, counts: { trained: 1, cases: 60, categories: 3 } });
    const [model] = await ctx.deps.db.select().from(routingModels);
    expect(model?.holdoutN).toBe(12);
    expect(model?.holdoutTop1).toBeGreaterThan(0.9);

    // Reported as another category on purpose: the suggestion reads the text, not the form.
    const r = await report(community, {
      description: '5号楼前面的井盖坏了，有人差点掉下去',
      categoryCode: 'C0103',
    });
    expect(r.statusCode).toBe(201);
    const id = r.json().id as string;
    const stored = await vi.waitFor(
      async () => {
        const [row] = await ctx.deps.db
          .select()
          .from(caseRoutingSuggestions)
          .where(eq(caseRoutingSuggestions.caseId, id));
        if (!row) throw new Error('not yet');
        return row;
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(stored.modelId).toBe(model?.id);
    expect(stored.candidates[0]?.[0]).toBe('C0101');
    const zhujian = w.t.departments.find((d) => d.name === '住建');
    expect(stored.departmentId).toBe(zhujian?.id);

    const res = await suggestion(community, id);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      status: 'suggested',
      stored: true,
      closedCases: 60,
      department: { id: zhujian?.id, name: '住建' },
    });
    expect(body.candidates.map((c: { categoryCode: string }) => c.categoryCode)).toEqual([
      'C0101',
      expect.any(String),
      expect.any(String),
    ]);
    expect(body.candidates[0].categoryName).toBe('井盖破损或缺失');
    expect(body.candidates[0].confidence).toBeGreaterThan(body.candidates[1].confidence);

    // A case that arrived before the model is ranked on request, and marked as not stored.
    const early = (
      await ctx.deps.db
        .select({ id: cases.id })
        .from(cases)
        .where(eq(cases.description, '小区门口路灯不亮，晚上出行不便'))
    )[0];
    const late = (await suggestion(community, early?.id as string)).json();
    expect(late).toMatchObject({ status: 'suggested', stored: false, suggestedAt: null });
    expect(late.candidates[0].categoryCode).toBe('C0103');
    expect(
      await ctx.deps.db
        .select()
        .from(caseRoutingSuggestions)
        .where(eq(caseRoutingSuggestions.caseId, early?.id as string)),
    ).toHaveLength(0);
  });

  it('retrains only when cases were closed since the last model', async () => {
    const again = await ctx.app.jobs.runNow('routing-train');
    expect(again).toMatchObject({ outcome: 'ran', counts: { trained: 0, upToDate: 1 } });
    await closedCases({ C0103: ['路灯闪烁'] }, 1);
    const more = await ctx.app.jobs.runNow('routing-train');
    expect(more).toMatchObject({ outcome: 'ran', counts: { trained: 1, cases: 61 } });
  });

  it('shows the suggestion only to dispatchers who see the case, and the model figures to configurers', async () => {
    const r = await report(community);
    const id = r.json().id as string;
    expect((await suggestion(w.otherCommunity, id)).statusCode).toBe(404);
    expect((await suggestion(w.gridWorker, id)).statusCode).toBe(403);
    expect((await suggestion(w.resident, id)).statusCode).toBe(403);
    expect((await suggestion(community, 'not-a-uuid')).statusCode).toBe(400);
    expect((await suggestion(community, randomUUID())).statusCode).toBe(404);
    expect((await w.street.get('/api/routing/model')).statusCode).toBe(403);
  });
});
