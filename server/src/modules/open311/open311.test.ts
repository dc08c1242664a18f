import { residentCategories } from '@civicgrid/core/cases/residentCategories';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser, type Session } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { ensureCaseDefaults } from '../cases/defaults.js';

/** A point inside the first test grid. */
const inGrid = { lat: '40.605', long: '109.875' };

let t: TestContext;
let admin: Session;
let key: string;
let keyId: string;
const xml = new XMLParser({
  parseTagValue: false,
  isArray: (name) =>
    ['service', 'request', 'error', 'attribute', 'value', 'endpoint', 'format'].includes(name),
});

const get = (url: string) => t.app.inject({ method: 'GET', url, remoteAddress: '198.51.100.7' });
const postForm = (url: string, form: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });

beforeAll(async () => {
  t = await createTestApp();
  await makeTerritory(t.deps.db);
  await ensureCaseDefaults(t.deps.db);
  await makeUser(t.deps, { username: 'admin', roles: ['systemAdmin'] });
  await makeUser(t.deps, { username: 'clerk', roles: ['serviceClerk'] });
  admin = await login(t.app, 'admin');
  const res = await admin.post('/api/open311/keys', { name: '市民App' });
  expect(res.statusCode).toBe(201);
  ({ key, id: keyId } = res.json());
}, 180_000);
afterAll(() => t.close());

describe('Open311 API keys', () => {
  it('are issued once by an admin: the key is not stored, the list shows its hint only', async () => {
    expect(key).toMatch(/^o311_/);
    const list = (await admin.get('/api/open311/keys')).json();
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ id: keyId, name: '市民App', hint: key.slice(-4), revokedAt: null });
    expect(JSON.stringify(list)).not.toContain(key);
    const stored = await queryRows<{ key_hash: string }>(t.deps.db, sql`select key_hash from open311_keys`);
    expect(stored[0]?.key_hash).not.toBe(key);
  });

  it('are refused to staff without system:configure', async () => {
    const clerk = await login(t.app, 'clerk');
    expect((await clerk.post('/api/open311/keys', { name: 'x' })).statusCode).toBe(403);
    expect((await clerk.get('/api/open311/keys')).statusCode).toBe(403);
  });
});

describe('GeoReport v2 reads', () => {
  it('discovery names the endpoint in both formats', async () => {
    const json = (await get('/open311/v2/discovery.json')).json();
    expect(json.endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      formats: ['application/json', 'text/xml'],
    });
    const res = await get('/open311/v2/discovery.xml');
    expect(res.headers['content-type']).toContain('text/xml');
    const doc = xml.parse(res.body);
    expect(doc.discovery.endpoints.endpoint[0].formats.format).toEqual(['application/json', 'text/xml']);
  });

  it('services are the resident-facing categories, the same in JSON and XML', async () => {
    const json = (await get('/open311/v2/services.json')).json() as Record<string, unknown>[];
    expect(json.map((s) => s.service_code)).toEqual(residentCategories.map((c) => c.code));
    expect(Object.keys(json[0] ?? {}).sort()).toEqual(
      ['description', 'group', 'keywords', 'metadata', 'service_code', 'service_name', 'type'].sort(),
    );
    const doc = xml.parse((await get('/open311/v2/services.xml')).body);
    expect(doc.services.service).toHaveLength(json.length);
    expect(doc.services.service[0]).toEqual(
      Object.fromEntries(Object.entries(json[0] ?? {}).map(([k, v]) => [k, String(v)])),
    );
  });

  it('a service definition lists its attributes with values', async () => {
    const json = (await get('/open311/v2/services/streetlight.json')).json();
    expect(json.service_code).toBe('streetlight');
    expect(json.attributes.map((a: { code: string }) => a.code)).toEqual(['location_detail', 'recurring']);
    const doc = xml.parse((await get('/open311/v2/services/streetlight.xml')).body);
    const list = doc.service_definition.attributes.attribute;
    expect(list[1].values.value.map((v: { key: string }) => v.key)).toEqual(['yes', 'no']);
  });

  it('refuses a bad suffix, an unknown service, an unknown request and a foreign jurisdiction in the spec shape', async () => {
    const cases: [string, number][] = [
      ['/open311/v2/services.csv', 400],
      ['/open311/v2/services', 400],
      ['/open311/v2/services/nope.json', 404],
      ['/open311/v2/requests/SJ0.json', 404],
      ['/open311/v2/tokens/not-a-token.json', 404],
      ['/open311/v2/services.json?jurisdiction_id=999999', 404],
      ['/open311/v2/requests.json?status=pending', 400],
      ['/open311/v2/requests.json?start_date=yesterday', 400],
      ['/open311/v2/nothing.json', 404],
      ['/open311/v2/a/b/c', 404],
    ];
    for (const [url, status] of cases) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(status);
      const body = res.json();
      expect(body, url).toEqual([{ code: status, description: expect.any(String) }]);
    }
    const res = await get('/open311/v2/services/nope.xml');
    expect(res.statusCode).toBe(404);
    expect(xml.parse(res.body).errors.error[0]).toEqual({ code: '404', description: expect.any(String) });
    expect((await get('/open311/v2/services.json?jurisdiction_id=150203')).statusCode).toBe(200);
  });
});

describe('GeoReport v2 POST requests', () => {
  it('makes a case on the open311 channel, readable by id and token, with no personal data out', async () => {
    const res = await postForm('/open311/v2/requests.json', {
      api_key: key,
      service_code: 'streetlight',
      ...inGrid,
      description: '小区门口路灯不亮一周了',
      first_name: '明',
      last_name: '王',
      phone: '13800138000',
      email: 'wang@example.com',
      media_url: 'https://example.com/p.jpg',
      'attribute[recurring]': 'yes',
      'attribute[location_detail]': '3号楼东侧',
    });
    expect(res.statusCode, res.body).toBe(200);
    const [made] = res.json();
    expect(made).toMatchObject({ service_request_id: expect.stringMatching(/^SJ/), account_id: null });
    const [row] = await queryRows<{ channel: string; category_code: string; description: string }>(
      t.deps.db,
      sql`select channel, category_code, description from cases where code = ${made.service_request_id}`,
    );
    expect(row).toMatchObject({ channel: 'open311', category_code: 'C0103' });
    expect(row?.description).toContain('3号楼东侧');

    const read = (await get(`/open311/v2/requests/${made.service_request_id}.json`)).json();
    expect(read[0]).toMatchObject({
      service_request_id: made.service_request_id,
      status: 'open',
      service_code: 'streetlight',
      lat: 40.605,
      long: 109.875,
      media_url: 'https://example.com/p.jpg',
    });
    const text = JSON.stringify(read);
    for (const secret of ['13800138000', '王', 'wang@example.com']) expect(text).not.toContain(secret);
    const doc = xml.parse((await get(`/open311/v2/requests/${made.service_request_id}.xml`)).body);
    expect(doc.service_requests.request[0].status).toBe('open');
    // A realtime service answers with the id alone; the token is kept and still answers.
    expect(made.token).toBeUndefined();
    const [tok] = await queryRows<{ token: string }>(
      t.deps.db,
      sql`select r.token from open311_requests r join cases c on c.id = r.case_id where c.code = ${made.service_request_id}`,
    );
    expect((await get(`/open311/v2/tokens/${tok?.token}.json`)).json()).toEqual([
      { service_request_id: made.service_request_id, token: tok?.token },
    ]);

    const listed = (await get('/open311/v2/requests.json?service_code=streetlight&status=open')).json();
    expect(listed.map((r: { service_request_id: string }) => r.service_request_id)).toContain(
      made.service_request_id,
    );
    expect((await get('/open311/v2/requests.json?status=closed')).json()).toEqual([]);
    const keys = (await admin.get('/api/open311/keys')).json();
    expect(keys.items[0].uses).toBe(1);
    const audit = await queryRows<{ n: number }>(
      t.deps.db,
      sql`select count(*)::int as n from audit_log where action = 'open311.keyUsed' and target_id = ${keyId}`,
    );
    expect(audit[0]?.n).toBe(1);
  });

  it('takes JSON and XML bodies too, and answers in XML when asked', async () => {
    const json = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: { api_key: key, service_code: 'garbage', address_string: '阿尔丁大街1号' },
    });
    expect(json.statusCode, json.body).toBe(200);
    const res = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.xml',
      headers: { 'content-type': 'application/xml' },
      payload: `<?xml version="1.0"?><request><api_key>${key}</api_key><service_code>manhole</service_code><lat>40.605</lat><long>109.875</long></request>`,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(xml.parse(res.body).service_requests.request[0].service_request_id).toMatch(/^SJ/);
  });

  it('refuses missing, wrong and revoked keys, bad places and malformed bodies — creating nothing', async () => {
    const before = await caseCount();
    const base = { service_code: 'streetlight', ...inGrid };
    const bad: [Record<string, string>, number][] = [
      // GeoReport: 403 for a wrong or missing api_key.
      [base, 403],
      [{ ...base, api_key: 'o311_wrong' }, 403],
      [{ ...base, api_key: key, service_code: 'nope' }, 404],
      [{ api_key: key, ...inGrid }, 400],
      [{ ...base, api_key: key, lat: '91' }, 400],
      [{ ...base, api_key: key, long: '-180.5' }, 400],
      [{ ...base, api_key: key, lat: 'north' }, 400],
      [{ api_key: key, service_code: 'streetlight' }, 400],
      [{ ...base, api_key: key, 'attribute[recurring]': 'maybe' }, 400],
      [{ ...base, api_key: key, 'attribute[colour]': 'red' }, 400],
      [{ ...base, api_key: key, jurisdiction_id: 'elsewhere' }, 404],
      // A NUL byte (the platform's control-character guard) is the spec's 400, not a 500.
      [{ ...base, api_key: key, description: '路灯\u0000不亮' }, 400],
    ];
    for (const [form, status] of bad) {
      const res = await postForm('/open311/v2/requests.json', form);
      expect(res.statusCode, JSON.stringify(form)).toBe(status);
      expect(res.json()).toEqual([{ code: status, description: expect.any(String) }]);
    }
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/json' },
      payload: '{"api_key":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()[0].code).toBe(400);
    const badXml = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.xml',
      headers: { 'content-type': 'application/xml' },
      payload: '<request><api_key>x</request>',
    });
    expect(badXml.statusCode).toBe(400);
    expect(xml.parse(badXml.body).errors.error[0].code).toBe('400');
    const huge = await postForm('/open311/v2/requests.json', {
      ...base,
      api_key: key,
      description: 'x'.repeat(1_100_000),
    });
    // GeoReport's 400 "for any other error", in its shape.
    expect(huge.statusCode).toBe(400);
    expect(huge.json()).toEqual([{ code: 400, description: 'The request body is too large' }]);

    // Revoked: the same key is now refused as any wrong key.
    const other = (await admin.post('/api/open311/keys', { name: '临时' })).json();
    expect((await admin.del(`/api/open311/keys/${other.id}`)).statusCode).toBe(204);
    const revoked = await postForm('/open311/v2/requests.json', { ...base, api_key: other.key });
    expect(revoked.statusCode).toBe(403);
    expect(revoked.json()).toEqual([{ code: 403, description: 'api_key is not valid' }]);
    expect(await caseCount()).toBe(before);
  });
});

describe('GeoReport v2 under generated bad input', () => {
  it('answers below 500, in the GeoReport error shape whenever it refuses', async () => {
    const field = fc.constantFrom(
      'api_key',
      'service_code',
      'lat',
      'long',
      'address_string',
      'description',
      'media_url',
      'phone',
      'email',
      'jurisdiction_id',
      'attribute[recurring]',
      'attribute[location_detail]',
      'service_request_id',
      'start_date',
      'status',
    );
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.double().map(String),
      fc.constant(key),
      fc.constant('streetlight'),
    );
    const endpoint = fc.oneof(
      fc.constantFrom('discovery', 'services', 'requests', 'services/garbage', 'requests/SJ1', 'tokens/x'),
      fc.string({ minLength: 1, maxLength: 12 }).map(encodeURIComponent),
    );
    const suffix = fc.constantFrom('.json', '.xml', '', '.csv', '.JSON');
    await fc.assert(
      fc.asyncProperty(
        endpoint,
        suffix,
        fc.dictionary(field, value, { maxKeys: 6 }),
        fc.boolean(),
        async (name, ext, form, post) => {
          const url = `/open311/v2/${name}${ext}`;
          const res = post
            ? await postForm(url, form)
            : await get(`${url}?${new URLSearchParams(form).toString()}`);
          expect(res.statusCode, `${post ? 'POST' : 'GET'} ${url} ${JSON.stringify(form)}`).toBeLessThan(500);
          if (res.statusCode < 400) return;
          if (String(res.headers['content-type']).includes('xml'))
            expect(xml.parse(res.body).errors.error[0].code).toBe(String(res.statusCode));
          else expect(res.json()).toEqual([{ code: res.statusCode, description: expect.any(String) }]);
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);
});

async function caseCount() {
  const [r] = await queryRows<{ n: number }>(t.deps.db, sql`select count(*)::int as n from cases`);
  return r?.n ?? 0;
}
