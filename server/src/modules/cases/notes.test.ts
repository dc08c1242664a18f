import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../test/factories.js';
import type { TestContext } from '../../test/harness.js';
import { act, casesWorld, report, upload } from './testWorld.js';

/* Progress notes, repeated actions and the live event stream. */

let ctx: TestContext;
let community: Session;
let dept: Session;
let clerk: Session;
let png: Buffer;
let t: Awaited<ReturnType<typeof casesWorld>>['t'];

beforeAll(async () => {
  ({ ctx, community, dept, clerk, png, t } = await casesWorld());
}, 60_000);

afterAll(async () => {
  await ctx?.close();
});

describe('notes and live notifications', () => {
  it('adds a progress note with photos without changing the state', async () => {
    const id = (await report(clerk)).json().id as string;
    const photo = (await upload(community, png)).json().id;
    const res = await act(community, id, 'note', {
      note: '已电话联系反映人，约定明早到现场',
      attachmentIds: [photo],
    });
    expect(res.json().status).toBe('reported');
    const events = (await community.get(`/api/cases/${id}/events`)).json().items;
    expect(events.at(-1)).toMatchObject({ action: 'note', fromState: 'reported', toState: 'reported' });
    expect(events.at(-1).attachments).toHaveLength(1);
    expect((await act(community, id, 'note', {})).json().errors[0].field).toBe('note');
  });

  it('does an action sent twice with the same Idempotency-Key once, even at the same time', async () => {
    const id = (await report(clerk)).json().id as string;
    const send = () =>
      community.inject({
        method: 'POST',
        url: `/api/cases/${id}/actions/note`,
        payload: { note: '现场核实中' },
        headers: { 'idempotency-key': 'phone-entry-0001' },
      });
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.statusCode, b.statusCode], `${a.body} ${b.body}`.slice(0, 600)).toEqual([200, 200]);
    expect((await send()).statusCode).toBe(200);
    const notes = (await community.get(`/api/cases/${id}/events`))
      .json()
      .items.filter((e: { action: string }) => e.action === 'note');
    expect(notes).toHaveLength(1);
    // Another key is another action.
    await community.inject({
      method: 'POST',
      url: `/api/cases/${id}/actions/note`,
      payload: { note: '第二次进展' },
      headers: { 'idempotency-key': 'phone-entry-0002' },
    });
    const after = (await community.get(`/api/cases/${id}/events`)).json().items;
    expect(after.filter((e: { action: string }) => e.action === 'note')).toHaveLength(2);
  });

  it('pushes a dispatch to the department over Server-Sent Events', async () => {
    const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const res = await fetch(`${address}/api/notifications/stream`, {
      headers: { cookie: dept.cookie },
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const received = (async () => {
      let text = '';
      while (!text.includes('event: notification')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      return text;
    })();
    const id = (await report(clerk)).json().id as string;
    await act(community, id, 'accept');
    const deptId = t.departments.find((d) => d.name === '城管')?.id;
    await act(community, id, 'dispatch', { assignee: { kind: 'department', id: deptId } });
    const text = await received;
    controller.abort();
    expect(text).toContain('event: case');
    expect(text).toContain(`"caseId":"${id}"`);
    expect(text).toContain('case.dispatched');
  });
});
