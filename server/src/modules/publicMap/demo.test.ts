import { roundPoint } from '@civicgrid/core/api/publicReports';
import { residentCategories } from '@civicgrid/core/cases/residentCategories';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { demoPublicMapCategories, seedDemoCases } from '../../seed/cases.js';
import { makeTerritory } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { ensureCaseDefaults } from '../cases/defaults.js';

/*
 * The demo's public map: the demo cases open a few plain categories to it, so /r's map shows
 * something — and what it shows is still only what the public may see.
 */
let t: TestContext;

beforeAll(async () => {
  t = await createTestApp();
  await makeTerritory(t.deps.db);
  await ensureCaseDefaults(t.deps.db);
  await seedDemoCases(t.deps.db, { crypto: t.deps.crypto, days: 20, perDay: 60 });
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('the demo’s public map', () => {
  it('shows cases of the categories the demo opened (路灯, 路面破损, 垃圾箱) and of no other', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/public/reports' });
    expect(res.statusCode, res.body).toBe(200);
    const { items } = res.json() as { items: Record<string, unknown>[] };
    expect(items.length).toBeGreaterThan(5);
    const opened = new Set(
      residentCategories
        .filter((c) => (demoPublicMapCategories as readonly string[]).includes(c.categoryCode))
        .map((c) => c.name),
    );
    for (const i of items) expect(opened.has(i.category as string), String(i.category)).toBe(true);
    expect(new Set(items.map((i) => i.category)).size).toBeGreaterThan(1);
    const [other] = await queryRows<{ n: number }>(
      t.deps.db,
      sql`select count(*)::int as n from case_categories where public_map and code not in ('C0103', 'C0204', 'C0301')`,
    );
    expect(other?.n).toBe(0);
  });

  it('shows a description only where the resident allowed it, never the reporter, the place text or the exact point', async () => {
    const { items } = (await t.app.inject({ method: 'GET', url: '/api/public/reports' })).json() as {
      items: { description: string | null; location: { lat: number; lng: number } }[];
    };
    const rows = await queryRows<{
      description: string;
      public_description: boolean;
      reporter_name: string | null;
      channel: string;
      lat: number;
      lng: number;
    }>(
      t.deps.db,
      sql`select description, public_description, reporter_name, channel, lat, lng from cases
          where category_code in ('C0103', 'C0204', 'C0301')`,
    );
    // Only residents reporting through the app gave their consent, and only some of them.
    const consented = rows.filter((r) => r.public_description);
    expect(consented.length).toBeGreaterThan(0);
    expect(consented.every((r) => r.channel === 'resident_app')).toBe(true);
    expect(rows.some((r) => r.channel === 'resident_app' && !r.public_description)).toBe(true);
    const allowed = new Set(consented.map((r) => r.description));
    const shown = items.filter((i) => i.description !== null);
    expect(shown.length).toBeGreaterThan(0);
    for (const i of shown) expect(allowed.has(i.description as string)).toBe(true);
    expect(items.filter((i) => i.description === null).length).toBeGreaterThan(0);
    const names = rows.flatMap((r) => (r.reporter_name ? [r.reporter_name] : []));
    expect(names.length).toBeGreaterThan(0);
    const text = JSON.stringify(items);
    for (const n of names) expect(text).not.toContain(n);
    for (const i of items) expect(roundPoint(i.location)).toEqual(i.location);
    const exact = new Set(rows.map((r) => `${r.lat},${r.lng}`));
    expect(items.some((i) => exact.has(`${i.location.lat},${i.location.lng}`))).toBe(false);
  });
});
