import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin } from './api';
import { launchBrowser, loginAs } from './browser';

const baseUrl = process.env.E2E_BASE_URL ?? '';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('志愿服务队、扫码签到、活动地图', () => {
  it('the community shows the teams, the map and an activity’s QR code; the volunteer opens it on his phone and is checked in once', async () => {
    const desk = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const c = await desk.newPage();
    c.setDefaultTimeout(30_000);
    await loginAs(c, baseUrl, 'community');

    // 志愿服务队: the community's teams, one opened with its members and hours.
    await c.goto(`${baseUrl}/participation/volunteers?tab=teams`);
    const teams = c.getByTestId('teams-table');
    await teams.getByText('保利新华社区助老志愿服务队').waitFor();
    await c.screenshot({ path: '/tmp/vol-teams.png' });
    await teams.getByText('保利新华社区助老志愿服务队').click();
    const drawer = c.getByTestId('team-drawer');
    await drawer.getByTestId('team-members').getByText('双报到党员').waitFor();
    // The drawer has slid fully in (680 px wide at the right edge) before it is photographed.
    await expect.poll(async () => Math.round((await drawer.boundingBox())?.x ?? 0)).toBe(1440 - 680);
    await c.screenshot({ path: '/tmp/vol-team-drawer.png' });
    await drawer.locator('.ant-drawer-close').click();

    // 活动地图: upcoming and running activities drawn on the map and listed beside it.
    await c.goto(`${baseUrl}/participation/volunteers?tab=map`);
    await expect
      .poll(async () => Number(await c.getByTestId('activity-map').getAttribute('data-activities')))
      .toBeGreaterThan(0);
    await c.getByTestId('activity-map-list').getByText('周末助老陪伴').waitFor();
    await c.screenshot({ path: '/tmp/vol-map.png' });

    // The organiser opens the activity under way and shows its check-in code.
    await c.getByTestId('activity-map-list').getByText('周末助老陪伴').click();
    await c.getByTestId('activity-drawer').getByText('保利新华社区助老志愿服务队').waitFor();
    await c.getByTestId('activity-code').click();
    const image = c.getByTestId('checkin-code-image');
    await image.waitFor();
    await expect.poll(() => image.evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await c.screenshot({ path: '/tmp/vol-qr.png' });
    const path = (await image.getAttribute('data-path')) ?? '';
    expect(path).toMatch(/^\/m\/checkin\/[0-9a-f-]{36}\.[0-9a-z]+\.[\w-]{24}$/);

    // The volunteer scans it: his phone opens the address, he signs in, and is checked in.
    const phone = await browser.newContext({
      viewport: { width: 360, height: 640 },
      isMobile: true,
      hasTouch: true,
    });
    const v = await phone.newPage();
    v.setDefaultTimeout(30_000);
    await v.goto(`${baseUrl}${path}`);
    await v.getByTestId('m-username').fill('volunteer');
    await v.getByTestId('m-password').fill('Demo@2026');
    await v.getByTestId('m-login').click();
    await v.getByTestId('m-checkin-in').waitFor();
    await expect.poll(() => v.getByTestId('m-checkin-title').textContent()).toBe('周末助老陪伴');
    await v.screenshot({ path: '/tmp/vol-checkin.png' });

    // The same scan again: the same attendance, and 签退 offered.
    await v.goto(`${baseUrl}${path}`);
    await v.getByTestId('m-checkin-out').waitFor();
    const staff = await apiLogin(baseUrl, 'community');
    const list = await staff.get<{ items: { id: string; title: string }[] }>(
      '/api/volunteer-activities?when=upcoming&pageSize=200',
    );
    const activity = list.items.find((a) => a.title === '周末助老陪伴');
    const detail = await staff.get<{ participants: { name: string; checkedInAt: string | null }[] }>(
      `/api/volunteer-activities/${activity?.id}`,
    );
    const me = detail.participants.filter((p) => p.name === '双报到党员');
    expect(me).toHaveLength(1);
    expect(me[0]?.checkedInAt).not.toBeNull();
    const vol = await staff.get<{ items: { id: string }[] }>('/api/volunteers?q=双报到党员');
    const record = await staff.get<{ record: { activityId: string; method: string }[] }>(
      `/api/volunteers/${vol.items[0]?.id}`,
    );
    expect(record.record.filter((r) => r.activityId === activity?.id).map((r) => r.method)).toEqual(['qr']);

    // A forged code is refused on the phone, and nothing is written.
    await v.goto(`${baseUrl}${path.slice(0, -4)}AAAA`);
    await expect.poll(() => v.getByTestId('m-checkin-error').textContent()).toContain('签到码无效');
    await v.screenshot({ path: '/tmp/vol-checkin-forged.png' });
    await desk.close();
    await phone.close();
  });
});
