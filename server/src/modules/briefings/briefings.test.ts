import { randomUUID } from 'node:crypto';
import { addDays } from '@civicgrid/core/calendar/weeks';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeUser, type Session } from '../../test/factories.js';
import { pdfText } from '../../test/pdfText.js';
import { casesWorld, report } from '../cases/testWorld.js';
import { grievances } from '../grievances/tables.js';
import { buildings } from '../places/tables.js';

let w: Awaited<ReturnType<typeof casesWorld>>;
let owner: Session;
let ownerId: string;
const today = () => localDay(Date.now());
type Item = { kind: string; refId: string; title: string; reason: string };

beforeAll(async () => {
  w = await casesWorld();
  const u = await makeUser(w.ctx.deps, { username: 'owner', roles: ['gridWorker'], orgUnit: w.t.grids[0] });
  ownerId = u.id;
  owner = await login(w.ctx.app, 'owner');
}, 180_000);
afterAll(() => w.ctx.close());

const hotspotsOf = async (s: Session) =>
  (await s.get(`/api/hotspots?orgUnitId=${w.t.streets[0]?.id}&days=30`)).json().items as {
    categoryCode: string;
    gridId: number;
    count: number;
    caseIds: string[];
  }[];

describe('hot spots (专项治理)', () => {
  it('appear after the third case of one category in one grid within the days asked', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await report(w.community);
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
      const spots = (await hotspotsOf(w.street)).filter((h) => h.categoryCode === 'C0103');
      if (i < 2) expect(spots).toEqual([]);
      else
        expect(spots).toEqual([
          {
            categoryCode: 'C0103',
            gridId: w.t.grids[0]?.id,
            count: 3,
            caseIds: ids,
            categoryName: expect.any(String),
            gridName: expect.any(String),
          },
        ]);
    }
    // Another category in the grid, or the same one elsewhere, does not add to it.
    await report(w.community, { categoryCode: 'C0101' });
    expect((await hotspotsOf(w.street)).find((h) => h.categoryCode === 'C0103')?.count).toBe(3);
    // Outside the jurisdiction: another street sees none of it; a day's window misses nothing today.
    const away = await w.otherCommunity.get('/api/hotspots');
    expect(away.statusCode).toBe(200);
    expect(away.json().items).toEqual([]);
    const outside = await w.street.get(`/api/hotspots?orgUnitId=${w.t.streets[1]?.id}`);
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors[0].field).toBe('orgUnitId');
    expect((await w.street.get('/api/hotspots?days=0')).statusCode).toBe(400);
  });
});

describe('the agenda (会商研判)', () => {
  it('lists red and orange disputes, grievances near their deadline, overdue or supervised cases, and hot spots', async () => {
    const dispute = await w.street.post('/api/disputes', {
      type: 'neighbour',
      description: '楼上漏水致楼下墙面受损，双方争执激烈',
      parties: [
        { kind: 'person', name: '李红', role: 'applicant' },
        { kind: 'person', name: '赵强', role: 'respondent' },
      ],
      riskLevel: 'red',
      source: 'walk_in',
      idempotencyKey: randomUUID(),
    });
    expect(dispute.statusCode, dispute.body).toBe(201);
    const g = await w.community.post('/api/grievances', {
      channel: 'letter',
      subject: '拆迁补偿标准',
      content: '对补偿标准有异议',
      person: { name: '周敏' },
      idempotencyKey: randomUUID(),
    });
    expect(g.statusCode, g.body).toBe(201);
    await w.ctx.deps.db
      .update(grievances)
      .set({ warnOn: addDays(today(), -1), dueOn: addDays(today(), 1) })
      .where(eq(grievances.id, g.json().id));
    const res = await w.street.get('/api/briefings/agenda');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as Item[];
    expect(items.find((i) => i.kind === 'dispute')).toMatchObject({ refId: dispute.json().id });
    expect(items.find((i) => i.kind === 'dispute')?.title).toContain('李红');
    expect(items.find((i) => i.kind === 'grievance')).toMatchObject({ refId: g.json().id });
    expect(items.find((i) => i.kind === 'hotspot')).toMatchObject({ refId: `C0103:${w.t.grids[0]?.id}` });
    // What the actor cannot see stays off his agenda.
    const theirs = (await w.otherCommunity.get('/api/briefings/agenda')).json().items as Item[];
    expect(theirs.map((i) => i.refId)).not.toContain(g.json().id);
  });
});

describe('hot spots by building (楼栋)', () => {
  type Spot = {
    categoryCode: string;
    buildingId: number | null;
    place: string;
    count: number;
    caseIds: string[];
  };
  const buildingSpots = async () =>
    (await w.street.get(`/api/hotspots?orgUnitId=${w.t.streets[0]?.id}&days=30`)).json().buildings as Spot[];

  it('appear after the third case of one category at one building or one address, not only per grid', async () => {
    const grid = w.t.grids[0] as { id: number; path: string; code: string };
    const [b] = await w.ctx.deps.db
      .insert(buildings)
      .values({
        code: `${grid.code}901`,
        name: '7号楼',
        address: '测试小区7号楼',
        gridId: grid.id,
        orgPath: grid.path,
        lat: 40.602,
        lng: 109.872,
      })
      .returning({ id: buildings.id });
    const near = (i: number) => ({ lat: 40.602 + i * 0.0001, lng: 109.872 }); // ≤ 22 m from it
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await report(w.community, { categoryCode: 'C0101', location: near(i) });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
      const spots = (await buildingSpots()).filter((h) => h.buildingId === b?.id);
      if (i < 2) expect(spots).toEqual([]);
      else
        expect(spots).toMatchObject([
          { categoryCode: 'C0101', count: 3, caseIds: ids, place: '测试小区7号楼' },
        ]);
    }
    // 200 m away is another place.
    await report(w.community, { categoryCode: 'C0101', location: { lat: 40.6038, lng: 109.872 } });
    expect((await buildingSpots()).find((h) => h.buildingId === b?.id)?.count).toBe(3);

    // Cases with an address only meet at the same address, however it is spaced.
    for (const address of ['测试小区 9 号楼', '测试小区9号楼', '测试小区9号楼 ']) {
      const res = await report(w.community, { categoryCode: 'C0101', location: undefined, address });
      expect(res.statusCode, res.body).toBe(201);
    }
    expect((await buildingSpots()).find((h) => h.buildingId === null)).toMatchObject({
      place: '测试小区9号楼',
      count: 3,
    });
    expect((await w.otherCommunity.get('/api/hotspots')).json().buildings).toEqual([]);

    const agenda = (await w.street.get('/api/briefings/agenda')).json().items as Item[];
    expect(agenda.filter((i) => i.kind === 'hotspot').map((i) => i.title)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('测试小区7号楼'),
        expect.stringContaining('测试小区9号楼'),
      ]),
    );
  });
});

describe('a briefing meeting', () => {
  it('turns its decisions into supervised tasks with owners and deadlines, and prints its minutes', async () => {
    const agenda = (await w.street.get('/api/briefings/agenda')).json().items;
    const bad = await w.street.post('/api/briefings', {
      orgUnitId: w.t.streets[0]?.id,
      title: '12 月第一周会商研判',
      heldOn: today(),
      attendees: '街道综治中心、派出所、司法所',
      decisions: [{ text: '排查路灯线路', dueOn: addDays(today(), 7) }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('decisions.0.ownerUserId');
    const past = await w.street.post('/api/briefings', {
      orgUnitId: w.t.streets[0]?.id,
      title: '12 月第一周会商研判',
      heldOn: today(),
      attendees: '街道综治中心、派出所、司法所',
      decisions: [{ text: '排查路灯线路', ownerUserId: ownerId, dueOn: addDays(today(), -1) }],
    });
    expect(past.json().errors[0]).toMatchObject({ field: 'decisions.0.dueOn', code: 'BRIEFING_DUE_PAST' });
    const res = await w.street.post('/api/briefings', {
      orgUnitId: w.t.streets[0]?.id,
      title: '12 月第一周会商研判',
      heldOn: today(),
      attendees: '街道综治中心、派出所、司法所、社区书记',
      minutes: '研判辖区路灯故障集中问题及漏水纠纷。',
      agenda,
      decisions: [
        { text: '排查第一网格路灯线路，一周内修复', ownerUserId: ownerId, dueOn: addDays(today(), 7) },
        {
          text: '城管部门核查照明设施产权',
          departmentId: w.t.departments[0]?.id,
          dueOn: addDays(today(), 10),
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    const d = (await w.street.get(`/api/briefings/${id}`)).json();
    expect(d).toMatchObject({ decisions: 2, done: 0 });
    expect(
      d.tasks.map(
        (t: { ownerName: string | null; departmentName: string | null }) => t.ownerName ?? t.departmentName,
      ),
    ).toEqual(['测试owner', '城管']);
    expect((await w.otherCommunity.get(`/api/briefings/${id}`)).statusCode).toBe(404);

    // The owner sees his task without briefing:read and reports it done; the department sees its own.
    const mine = (await owner.get('/api/briefing-tasks?open=true')).json();
    expect(mine.items.map((t: { text: string }) => t.text)).toEqual(['排查第一网格路灯线路，一周内修复']);
    const deptTasks = (await w.dept.get('/api/briefing-tasks')).json();
    expect(deptTasks.items.map((t: { departmentName: string }) => t.departmentName)).toEqual(['城管']);
    expect(
      (await w.otherDept.post(`/api/briefing-tasks/${d.tasks[1].id}/done`, { note: '不是我们的' }))
        .statusCode,
    ).toBe(404);
    const done = await owner.post(`/api/briefing-tasks/${d.tasks[0].id}/done`, { note: '已更换 3 处线路' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().doneAt).not.toBeNull();
    expect(
      (await owner.post(`/api/briefing-tasks/${d.tasks[0].id}/done`, { note: '再报一次' })).statusCode,
    ).toBe(409);
    // The community sees the meeting's tasks but only the meeting's unit (briefing:manage) or the owner finishes them.
    expect(
      (await w.community.post(`/api/briefing-tasks/${d.tasks[1].id}/done`, { note: '代为办结' })).statusCode,
    ).toBe(404);
    const open = (await w.street.get(`/api/briefing-tasks?orgUnitId=${w.t.streets[0]?.id}&open=true`)).json();
    expect(open.items.map((t: { id: number }) => t.id)).toEqual([d.tasks[1].id]);

    expect(d.agenda).toEqual(agenda);
    // The minutes of a meeting without drawn-up items: the shared test reader (test/pdfText.ts)
    // mis-maps glyphs once a PDF holds many distinct characters, so the text checked stays short.
    const short = await w.street.post('/api/briefings', {
      orgUnitId: w.t.streets[0]?.id,
      title: '12 月第一周会商研判',
      heldOn: today(),
      attendees: '街道综治中心、派出所、司法所、社区书记',
      minutes: '研判辖区路灯故障集中问题及漏水纠纷。',
      decisions: [
        { text: '排查第一网格路灯线路，一周内修复', ownerUserId: ownerId, dueOn: addDays(today(), 7) },
        {
          text: '城管部门核查照明设施产权',
          departmentId: w.t.departments[0]?.id,
          dueOn: addDays(today(), 10),
        },
      ],
    });
    expect((await w.street.get(`/api/briefings/${id}/minutes.pdf`)).statusCode).toBe(200);
    const pdf = await w.street.get(`/api/briefings/${short.json().id}/minutes.pdf`);
    expect(pdf.statusCode).toBe(200);
    const text = pdfText(pdf.rawPayload);
    expect(text).toContain('会商研判纪要');
    expect(text).toContain('排查第一网格路灯线路');
    expect(text).toContain('城管');
    const list = (await w.street.get('/api/briefings')).json();
    expect(list.items.find((b: { id: string }) => b.id === id)).toMatchObject({ decisions: 2, done: 1 });
  });
});
