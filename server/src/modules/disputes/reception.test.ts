import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '@civicgrid/core';
import { weekOf } from '@civicgrid/core/calendar/weeks';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { ensureCaseDefaults } from '../cases/defaults.js';
import { cases } from '../cases/tables.js';
import { grievances } from '../grievances/tables.js';
import { receptions } from './tables.js';

let ctx: TestContext;
let t: Awaited<ReturnType<typeof makeTerritory>>;
let street: Session;
let worker: Session;
let community: Session;
let otherStreet: Session;

const idNumber = (seq: number) => {
  const first17 = `15020319900101${String(seq).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
};

beforeAll(async () => {
  ctx = await createTestApp();
  t = await makeTerritory(ctx.deps.db);
  await ensureCaseDefaults(ctx.deps.db);
  await makeUser(ctx.deps, { username: 'street', roles: ['streetCentre'], orgUnit: t.streets[0] });
  await makeUser(ctx.deps, { username: 'street2', roles: ['streetCentre'], orgUnit: t.streets[1] });
  await makeUser(ctx.deps, { username: 'worker', roles: ['gridWorker'], orgUnit: t.grids[0] });
  await makeUser(ctx.deps, {
    username: 'community',
    roles: ['communityWorkstation'],
    orgUnit: t.communities[0],
  });
  street = await login(ctx.app, 'street');
  worker = await login(ctx.app, 'worker');
  community = await login(ctx.app, 'community');
  otherStreet = await login(ctx.app, 'street2');
}, 120_000);

afterAll(async () => {
  await ctx?.close();
});

describe('mediation bodies', () => {
  it('registers a studio and a stationed unit with mediators; lists those of the area and above', async () => {
    const studio = await street.post('/api/mediation-committees', {
      name: '"家长里短"调解工作室',
      kind: 'studio',
      orgUnitId: t.streets[0]?.id,
      mediators: [{ name: '刘丽梅', title: '社会组织调解员' }],
    });
    expect(studio.statusCode, studio.body).toBe(201);
    const police = await street.post('/api/mediation-committees', {
      name: '派出所驻综治中心警务室',
      kind: 'stationed',
      orgUnitId: t.streets[0]?.id,
      departmentId: t.departments[0]?.id,
    });
    expect(police.json()).toMatchObject({ kind: 'stationed', departmentName: '城管', mediators: [] });
    const added = await street.post(`/api/mediation-committees/${police.json().id}/mediators`, {
      name: '张警官',
    });
    expect(added.statusCode).toBe(201);
    expect(added.json().mediators.map((m: { name: string }) => m.name)).toEqual(['张警官']);
    const seen = (await community.get('/api/mediation-committees'))
      .json()
      .items.map((c: { name: string }) => c.name);
    expect(seen).toEqual(expect.arrayContaining(['"家长里短"调解工作室', '派出所驻综治中心警务室']));
    expect((await otherStreet.get('/api/mediation-committees')).json().items).toHaveLength(0);
  });

  it('refuses a body outside the jurisdiction and an unknown department, naming the field', async () => {
    const out = await street.post('/api/mediation-committees', {
      name: '外街道调委会',
      kind: 'people',
      orgUnitId: t.streets[1]?.id,
    });
    expect(out.statusCode).toBe(400);
    expect(out.json().errors[0].field).toBe('orgUnitId');
    const dept = await street.post('/api/mediation-committees', {
      name: '某派驻单位',
      kind: 'stationed',
      orgUnitId: t.streets[0]?.id,
      departmentId: 99999,
    });
    expect(dept.json().errors[0].field).toBe('departmentId');
    expect(
      (
        await worker.post('/api/mediation-committees', {
          name: 'x调委会',
          kind: 'people',
          orgUnitId: t.grids[0]?.id,
        })
      ).statusCode,
    ).toBe(403);
  });
});

describe('weekly screening (排查)', () => {
  it('takes a zero report and a report of the grid’s disputes; shows the grids still missing', async () => {
    const grid = t.grids[0];
    const zero = await worker.post('/api/dispute-screenings', { gridId: grid?.id });
    expect(zero.statusCode, zero.body).toBe(201);
    expect(zero.json()).toMatchObject({ zero: true, disputeCount: 0, weekFrom: weekOf(Date.now()).from });
    expect((await worker.post('/api/dispute-screenings', { gridId: grid?.id })).statusCode).toBe(409);
    const status = (await street.get('/api/dispute-screenings')).json();
    expect(status.week.from).toBe(weekOf(Date.now()).from);
    expect(status.reported.map((r: { gridId: number }) => r.gridId)).toEqual([grid?.id]);
    // Street 1 has 2 communities × 2 grids; one reported.
    expect(status.missing).toHaveLength(3);
    expect(status.missing[0]).toMatchObject({ communityName: '测试1-1社区' });
  });

  it('takes the disputes found in the grid, and refuses another grid’s', async () => {
    const d = await community.post('/api/disputes', {
      type: 'property',
      description: '物业费纠纷',
      parties: [
        { kind: 'person', name: '甲', role: 'applicant' },
        { kind: 'organization', name: '某物业公司', role: 'respondent' },
      ],
      location: { lat: 40.605, lng: 109.885 },
      riskLevel: 'green',
      source: 'screening',
      idempotencyKey: randomUUID(),
    });
    expect(d.statusCode, d.body).toBe(201);
    const wrong = await community.post('/api/dispute-screenings', {
      gridId: t.grids[2]?.id,
      disputeIds: [d.json().id],
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].field).toBe('gridId');
    const own = await community.post('/api/dispute-screenings', {
      gridId: t.grids[1]?.id,
      disputeIds: [d.json().id],
    });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json()).toMatchObject({ zero: false, disputeCount: 1 });
    expect((await worker.post('/api/dispute-screenings', { gridId: t.grids[4]?.id })).statusCode).toBe(400);
  });
});

describe('reception (群众接待)', () => {
  it('registers visitors in a numbered queue, done at once when answered; the day’s summary counts routes', async () => {
    const a = await community.post('/api/receptions', {
      visitor: { name: '王建国', idNumber: idNumber(1), phone: '13904721234' },
      matter: '楼上漏水，协商不成',
      route: 'dispute',
      idempotencyKey: randomUUID(),
    });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ number: 1, status: 'waiting', phone: '139****1234', route: 'dispute' });
    expect(a.json().idNumber).toMatch(/^150203\*{8}/);
    const b = await community.post('/api/receptions', {
      visitor: { name: '赵敏' },
      matter: '咨询劳动合同解除的经济补偿',
      route: 'legalConsultation',
      answer: '依劳动合同法第四十七条，按工作年限每满一年支付一个月工资',
      idempotencyKey: randomUUID(),
    });
    expect(b.json()).toMatchObject({ number: 2, status: 'done' });
    const [row] = await ctx.deps.db.select().from(receptions).where(eq(receptions.id, a.json().id));
    expect(row?.idEnc).not.toContain('150203');

    // The dispute registered from the visit links it and ends the wait.
    const d = await community.post('/api/disputes', {
      type: 'neighbour',
      description: '楼上漏水',
      parties: [
        { kind: 'person', name: '王建国', role: 'applicant' },
        { kind: 'person', name: '李秀英', role: 'respondent' },
      ],
      riskLevel: 'yellow',
      source: 'reception',
      receptionId: a.json().id,
      idempotencyKey: randomUUID(),
    });
    expect(d.statusCode, d.body).toBe(201);
    const queue = (await community.get('/api/receptions')).json();
    expect(queue.items.map((x: { number: number }) => x.number)).toEqual([1, 2]);
    expect(queue.items[0]).toMatchObject({ status: 'done', disputeId: d.json().id });

    const c = await community.post('/api/receptions', {
      visitor: { name: '孙丽' },
      matter: '小区路灯不亮',
      route: 'case',
      idempotencyKey: randomUUID(),
    });
    expect(
      (await community.post(`/api/receptions/${c.json().id}/finish`, { answer: '已转事件办理' })).json()
        .status,
    ).toBe('done');
    expect((await community.post(`/api/receptions/${c.json().id}/finish`, {})).statusCode).toBe(409);
    expect((await otherStreet.post(`/api/receptions/${c.json().id}/finish`, {})).statusCode).toBe(404);

    const sum = (await street.get('/api/receptions/summary')).json();
    expect(sum).toMatchObject({
      total: 3,
      waiting: 0,
      byRoute: { dispute: 1, legalConsultation: 1, case: 1, grievance: 0 },
    });
    expect((await otherStreet.get('/api/receptions/summary')).json().total).toBe(0);
  });

  it('refuses a bad ID number naming the field, writing nothing; a retry makes one visit', async () => {
    const before = (await community.get('/api/receptions')).json().total;
    const bad = await community.post('/api/receptions', {
      visitor: { name: '某人', idNumber: '150203199001010011' },
      matter: '咨询',
      route: 'answered',
      idempotencyKey: randomUUID(),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('visitor.idNumber');
    const body = {
      visitor: { name: '某人' },
      matter: '咨询',
      route: 'answered',
      answer: '已答复',
      idempotencyKey: randomUUID(),
    };
    const first = await community.post('/api/receptions', body);
    const again = await community.post('/api/receptions', body);
    expect(again.json().id).toBe(first.json().id);
    expect((await community.get('/api/receptions')).json().total).toBe(before + 1);
    expect((await worker.post('/api/receptions', body)).statusCode).toBe(403);
  });

  it('turns a waiting visit into a grievance in one call: the visitor is the person, the visit links it', async () => {
    const v = await community.post('/api/receptions', {
      visitor: { name: '钱伟', idNumber: idNumber(7), phone: '13904729876' },
      matter: '反映小区物业长期不公开维修基金使用情况',
      route: 'grievance',
      idempotencyKey: randomUUID(),
    });
    expect(v.statusCode, v.body).toBe(201);
    const id = v.json().id;
    expect(
      (await community.post(`/api/receptions/${id}/grievance`, { subject: '' })).json().errors[0].field,
    ).toBe('subject');
    expect(
      (await otherStreet.post(`/api/receptions/${id}/grievance`, { subject: '维修基金' })).statusCode,
    ).toBe(404);
    const done = await community.post(`/api/receptions/${id}/grievance`, { subject: '维修基金使用不公开' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', route: 'grievance' });
    const g = await community.get(`/api/grievances/${done.json().grievanceId}`);
    expect(g.statusCode, g.body).toBe(200);
    expect(g.json()).toMatchObject({
      channel: 'visit',
      subject: '维修基金使用不公开',
      content: '反映小区物业长期不公开维修基金使用情况',
    });
    expect(g.json()).toMatchObject({ personName: '钱伟', personPhone: '139****9876' });
    expect(g.json().personIdNumber).toMatch(/^150203\*+/);
    expect(
      (await community.post(`/api/receptions/${id}/grievance`, { subject: '再来一次' })).statusCode,
    ).toBe(409);
    const made = await ctx.deps.db
      .select()
      .from(grievances)
      .where(eq(grievances.idempotencyKey, `reception-${id}`));
    expect(made).toHaveLength(1);
  });

  it('leaves the visit waiting and no grievance when the visit half fails', async () => {
    const { db } = ctx.deps;
    const v = await community.post('/api/receptions', {
      visitor: { name: '周强' },
      matter: '反映征地补偿款未发放',
      route: 'grievance',
      idempotencyKey: randomUUID(),
    });
    const id = v.json().id;
    await db.execute(sql`create or replace function test_refuse_visit_done() returns trigger as $$
      begin if new.status = 'done' then raise exception 'refused by test'; end if; return new; end $$
      language plpgsql`);
    await db.execute(sql`create trigger test_refuse_visit_done before update on receptions
      for each row execute function test_refuse_visit_done()`);
    try {
      expect(
        (await community.post(`/api/receptions/${id}/grievance`, { subject: '征地补偿' })).statusCode,
      ).toBe(500);
      expect(
        (await community.post(`/api/receptions/${id}/case`, { categoryCode: 'C0103', address: '某村' }))
          .statusCode,
      ).toBe(500);
    } finally {
      await db.execute(sql`drop trigger test_refuse_visit_done on receptions`);
    }
    expect(
      await db
        .select()
        .from(grievances)
        .where(eq(grievances.idempotencyKey, `reception-${id}`)),
    ).toEqual([]);
    expect(
      await db
        .select()
        .from(cases)
        .where(eq(cases.idempotencyKey, `reception-${id}`)),
    ).toEqual([]);
    const [row] = await db.select().from(receptions).where(eq(receptions.id, id));
    expect(row).toMatchObject({ status: 'waiting', grievanceId: null, caseId: null });
  });

  it('turns a waiting visit into a walk-in case in one call, the visitor as reporter', async () => {
    const v = await community.post('/api/receptions', {
      visitor: { name: '吴芳', phone: '13904720001' },
      matter: '楼道声控灯坏了一个月',
      route: 'case',
      idempotencyKey: randomUUID(),
    });
    const id = v.json().id;
    const noPlace = await community.post(`/api/receptions/${id}/case`, { categoryCode: 'C0103' });
    expect(noPlace.statusCode).toBe(400);
    expect(noPlace.json().errors[0].field).toBe('location');
    const done = await community.post(`/api/receptions/${id}/case`, {
      categoryCode: 'C0103',
      address: '测试小区 5 号楼 2 单元',
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', route: 'case' });
    const c = (await community.get(`/api/cases/${done.json().caseId}`)).json();
    expect(c).toMatchObject({ channel: 'walk_in', address: '测试小区 5 号楼 2 单元' });
    expect(c.description).toContain('楼道声控灯坏了一个月');
    expect(
      (await community.post(`/api/receptions/${id}/case`, { categoryCode: 'C0103', address: 'x' }))
        .statusCode,
    ).toBe(409);
  });
});
