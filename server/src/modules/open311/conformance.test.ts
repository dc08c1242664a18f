import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db.js';
import { login, makeTerritory, makeUser } from '../../test/factories.js';
import { createTestApp, type TestContext } from '../../test/harness.js';
import { ensureCaseDefaults } from '../cases/defaults.js';

/*
 * An outside GeoReport v2 client (wiki.open311.org/GeoReport_v2), over real HTTP, doing
 * only what the spec says a client does: it reads the discovery document, follows the
 * endpoint URL it names, lists the services, reads a definition, POSTs a form-encoded
 * request with its api_key, and reads requests back with the spec's filters — in XML (the
 * required format, parsed back) and in JSON. Every refusal must be the spec's error list
 * `[{code, description}]` with its status: 404 for what does not exist, 403 for a wrong or
 * missing api_key, 400 for anything else.
 */

let t: TestContext;
let origin: string;
/** The endpoint URL as discovery gives it: everything after discovery goes there. */
let endpoint: string;
let apiKey: string;
let revokedKey: string;
const jurisdiction = '150203';

const xml = new XMLParser({
  parseTagValue: false,
  isArray: (name) =>
    ['service', 'request', 'error', 'attribute', 'value', 'endpoint', 'format'].includes(name),
});

/** The fields of a request as GET Service Request(s) lists them, in the spec's order. */
const requestFields = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
];
/** A w3 date-time with its time zone (the spec: the zone "must be included"). */
const w3 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const inGrid = { lat: '40.605', long: '109.875' };

interface Reply {
  status: number;
  type: string;
  text: string;
}

async function call(url: string, init?: RequestInit): Promise<Reply> {
  const res = await fetch(url.startsWith('http') ? url : `${endpoint}${url}`, init);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}
const get = (path: string) => call(path);
/** POST as the spec sends it: application/x-www-form-urlencoded; charset=utf-8. */
const postForm = (path: string, form: Record<string, string>) =>
  call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams(form).toString(),
  });
const json = (r: Reply) => {
  expect(r.type).toBe('application/json; charset=utf-8');
  return JSON.parse(r.text);
};
const parseXml = (r: Reply) => {
  expect(r.type).toBe('text/xml; charset=utf-8');
  // The root element preceded by the XML declaration with its encoding.
  expect(r.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  return xml.parse(r.text);
};

/** The spec's error reply, in the format the URL asked for: one `{code, description}` per error. */
function expectError(r: Reply, status: number, format: 'json' | 'xml' = 'json') {
  expect(r.status, r.text).toBe(status);
  if (format === 'json') {
    const body = json(r);
    expect(body).toEqual([{ code: status, description: expect.any(String) }]);
    expect(body[0].description.length).toBeGreaterThan(0);
  } else {
    const doc = parseXml(r);
    expect(Object.keys(doc).filter((k) => k !== '?xml')).toEqual(['errors']);
    expect(doc.errors.error).toEqual([{ code: String(status), description: expect.any(String) }]);
  }
}

async function caseCount() {
  const [r] = await queryRows<{ n: number }>(t.deps.db, sql`select count(*)::int as n from cases`);
  return r?.n ?? 0;
}

beforeAll(async () => {
  t = await createTestApp();
  await makeTerritory(t.deps.db);
  await ensureCaseDefaults(t.deps.db);
  await makeUser(t.deps, { username: 'admin', roles: ['systemAdmin'] });
  const admin = await login(t.app, 'admin');
  apiKey = (await admin.post('/api/open311/keys', { name: '外部客户端' })).json().key;
  const other = (await admin.post('/api/open311/keys', { name: '已停用客户端' })).json();
  revokedKey = other.key;
  expect((await admin.del(`/api/open311/keys/${other.id}`)).statusCode).toBe(204);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('an outside GeoReport v2 client: discovery and services', () => {
  it('finds the endpoint through discovery.json and discovery.xml', async () => {
    const d = json(await call(`${origin}/open311/v2/discovery.json`));
    expect(d.changeset).toMatch(w3);
    expect(typeof d.contact).toBe('string');
    expect(typeof d.key_service).toBe('string');
    expect(d.endpoints).toHaveLength(1);
    const [e] = d.endpoints;
    expect(e.specification).toBe('http://wiki.open311.org/GeoReport_v2');
    expect(['production', 'test']).toContain(e.type);
    expect(e.changeset).toMatch(w3);
    expect(e.formats).toEqual(expect.arrayContaining(['text/xml', 'application/json']));
    expect(e.url).toBe(`${origin}/open311/v2`);
    endpoint = `${e.url}/`;
    const x = parseXml(await call(`${origin}/open311/v2/discovery.xml`)).discovery;
    expect(x.endpoints.endpoint[0]).toMatchObject({
      specification: e.specification,
      url: e.url,
      type: e.type,
    });
    expect(x.endpoints.endpoint[0].formats.format).toEqual(e.formats);
  });

  it('lists services in XML and JSON alike, each with the spec’s fields and values', async () => {
    const list = json(await get('services.json')) as Record<string, unknown>[];
    expect(list.length).toBeGreaterThan(0);
    for (const s of list) {
      expect(Object.keys(s).sort()).toEqual(
        ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'].sort(),
      );
      expect(typeof s.metadata).toBe('boolean');
      expect(['realtime', 'batch', 'blackbox']).toContain(s.type);
      expect(String(s.service_code)).toMatch(/^\S+$/);
    }
    expect(new Set(list.map((s) => s.service_code)).size).toBe(list.length);
    const doc = parseXml(await get('services.xml'));
    expect(doc.services.service).toEqual(
      list.map((s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, String(v)]))),
    );
    // With this endpoint's jurisdiction_id the same; an empty one is the same as none.
    expect(json(await get(`services.json?jurisdiction_id=${jurisdiction}`))).toEqual(list);
    expect(json(await get('services.json?jurisdiction_id='))).toEqual(list);
  });

  it('defines the attributes of every service with metadata, the lists with their values', async () => {
    const list = json(await get('services.json')) as { service_code: string; metadata: boolean }[];
    for (const s of list.filter((x) => x.metadata)) {
      const def = json(await get(`services/${encodeURIComponent(s.service_code)}.json`));
      expect(def.service_code).toBe(s.service_code);
      expect(def.attributes.length).toBeGreaterThan(0);
      const orders = def.attributes.map((a: { order: number }) => a.order);
      expect(new Set(orders).size).toBe(orders.length);
      for (const a of def.attributes) {
        expect(typeof a.variable).toBe('boolean');
        expect(typeof a.required).toBe('boolean');
        expect(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']).toContain(
          a.datatype,
        );
        expect(Number.isInteger(a.order) && a.order > 0).toBe(true);
        expect(typeof a.description).toBe('string');
        expect(a.datatype_description === null || typeof a.datatype_description === 'string').toBe(true);
        if (a.datatype.endsWith('valuelist')) {
          expect(a.values.length).toBeGreaterThan(0);
          for (const v of a.values) expect(Object.keys(v).sort()).toEqual(['key', 'name']);
        } else expect(a.values).toBeUndefined();
      }
      const doc = parseXml(await get(`services/${encodeURIComponent(s.service_code)}.xml`));
      const attrs = doc.service_definition.attributes.attribute;
      expect(doc.service_definition.service_code).toBe(s.service_code);
      expect(attrs.map((a: { code: string }) => a.code)).toEqual(
        def.attributes.map((a: { code: string }) => a.code),
      );
      const listAttr = def.attributes.findIndex((a: { values?: unknown }) => a.values);
      if (listAttr >= 0)
        expect(attrs[listAttr].values.value).toEqual(
          def.attributes[listAttr].values.map((v: { key: string; name: string }) => ({
            key: String(v.key),
            name: v.name,
          })),
        );
    }
  });
});

describe('an outside GeoReport v2 client: requests', () => {
  let firstId: string;
  let secondId: string;

  it('POSTs the spec’s example form (every optional field) and gets the id back, no token', async () => {
    const before = await caseCount();
    const r = await postForm('requests.json', {
      api_key: apiKey,
      jurisdiction_id: jurisdiction,
      service_code: 'streetlight',
      ...inGrid,
      address_string: '阿尔丁大街1号 昆都仑区',
      email: 'smit333@example.com',
      device_id: 'tt222111',
      account_id: '123456',
      first_name: '明',
      last_name: '王',
      phone: '13800138000',
      description: '小区门口路灯不亮一周了\n晚上出行不便',
      media_url: 'http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg',
      'attribute[recurring]': 'yes',
      'attribute[location_detail]': '3号楼东侧',
    });
    expect(r.status, r.text).toBe(200);
    const body = json(r);
    expect(body).toHaveLength(1);
    // realtime: service_request_id, and then no token (the spec: "should not be returned if
    // service_request_id is returned").
    expect(Object.keys(body[0]).sort()).toEqual(['account_id', 'service_notice', 'service_request_id']);
    firstId = body[0].service_request_id;
    expect(firstId).toMatch(/^\S+$/);
    expect(await caseCount()).toBe(before + 1);

    // The XML reply of a POST to requests.xml.
    const x = await postForm('requests.xml', {
      api_key: apiKey,
      service_code: 'garbage',
      address_string: '钢铁大街 10 号',
      description: '垃圾箱满了',
    });
    expect(x.status, x.text).toBe(200);
    const doc = parseXml(x);
    secondId = doc.service_requests.request[0].service_request_id;
    expect(secondId).toMatch(/^\S+$/);
    expect(doc.service_requests.request[0].token).toBeUndefined();
  });

  it('POSTs a JSON body as well, and a description of the spec’s full 4,000 characters', async () => {
    const r = await call('requests.json', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        api_key: apiKey,
        service_code: 'manhole',
        ...inGrid,
        description: '井'.repeat(4000),
      }),
    });
    expect(r.status, r.text).toBe(200);
    const [made] = json(r);
    const [read] = json(await get(`requests/${made.service_request_id}.json`));
    expect(read.description).toBe('井'.repeat(4000));
    const over = await postForm('requests.json', {
      api_key: apiKey,
      service_code: 'manhole',
      ...inGrid,
      description: '井'.repeat(4001),
    });
    expectError(over, 400);
  });

  it('reads a request back by id in JSON and XML with every field the spec lists', async () => {
    const [r] = json(await get(`requests/${firstId}.json`));
    expect(Object.keys(r)).toEqual(requestFields);
    expect(r).toMatchObject({
      service_request_id: firstId,
      status: 'open',
      service_code: 'streetlight',
      lat: 40.605,
      long: 109.875,
      media_url: 'http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg',
    });
    expect(r.description).toContain('小区门口路灯不亮一周了');
    expect(r.requested_datetime).toMatch(w3);
    expect(r.updated_datetime).toMatch(w3);
    if (r.expected_datetime !== null) expect(r.expected_datetime).toMatch(w3);
    // The person who reported is nobody's business but the platform's.
    for (const secret of ['13800138000', '王', 'smit333', 'tt222111'])
      expect(JSON.stringify(r)).not.toContain(secret);
    const doc = parseXml(await get(`requests/${firstId}.xml`));
    const x = doc.service_requests.request;
    expect(x).toHaveLength(1);
    expect(Object.keys(x[0])).toEqual(requestFields);
    expect(x[0]).toMatchObject({ service_request_id: firstId, status: 'open', service_code: 'streetlight' });
    expect(Number(x[0].lat)).toBe(40.605);
  });

  it('turns a token into its request id (tokens/{token}), in both formats', async () => {
    const [row] = await queryRows<{ token: string }>(
      t.deps.db,
      sql`select r.token from open311_requests r join cases c on c.id = r.case_id where c.code = ${firstId}`,
    );
    const token = row?.token as string;
    expect(json(await get(`tokens/${token}.json`))).toEqual([{ service_request_id: firstId, token }]);
    expect(parseXml(await get(`tokens/${token}.xml`)).service_requests.request).toEqual([
      { service_request_id: firstId, token },
    ]);
    expectError(await get('tokens/00000000-0000-4000-8000-000000000000.json'), 404);
    expectError(await get('tokens/00000000-0000-4000-8000-000000000000.xml'), 404, 'xml');
  });

  it('filters GET requests as the spec says: ids (comma list, overriding the rest), codes, dates, status', async () => {
    const ids = (r: Reply) => (json(r) as { service_request_id: string }[]).map((x) => x.service_request_id);
    // service_request_id, comma delimited: exactly those, whatever else is asked.
    expect(ids(await get(`requests.json?service_request_id=${firstId},${secondId}`)).sort()).toEqual(
      [firstId, secondId].sort(),
    );
    expect(
      ids(await get(`requests.json?service_request_id=${firstId}&status=closed&service_code=garbage`)),
    ).toEqual([firstId]);
    // service_code, one or a comma list.
    const lights = json(await get('requests.json?service_code=streetlight')) as { service_code: string }[];
    expect(lights.every((x) => x.service_code === 'streetlight')).toBe(true);
    expect(ids(await get('requests.json?service_code=streetlight'))).toContain(firstId);
    expect(ids(await get('requests.json?service_code=streetlight'))).not.toContain(secondId);
    expect(ids(await get('requests.json?service_code=streetlight,garbage'))).toEqual(
      expect.arrayContaining([firstId, secondId]),
    );
    // start_date / end_date, w3 format with a zone.
    const hour = 3_600_000;
    const at = (ms: number) => new Date(Date.now() + ms).toISOString().replace(/\.\d+Z$/, 'Z');
    expect(ids(await get(`requests.json?start_date=${at(-hour)}&end_date=${at(hour)}`))).toEqual(
      expect.arrayContaining([firstId, secondId]),
    );
    expect(ids(await get(`requests.json?start_date=${at(hour)}`))).toEqual([]);
    expect(ids(await get(`requests.json?end_date=${at(-hour)}`))).toEqual([]);
    const plus8 = new Date(Date.now() - hour + 8 * hour).toISOString().slice(0, 19);
    expect(ids(await get(`requests.json?start_date=${encodeURIComponent(`${plus8}+08:00`)}`))).toContain(
      firstId,
    );
    // "may not span more than 90 days"; not a date at all; the wrong way round.
    expectError(await get(`requests.json?start_date=${at(-100 * 24 * hour)}&end_date=${at(0)}`), 400);
    expectError(await get('requests.json?start_date=last-week'), 400);
    expectError(await get(`requests.json?start_date=${at(hour)}&end_date=${at(-hour)}`), 400);
    // status: open, closed, or both comma delimited.
    expect(ids(await get('requests.json?status=open'))).toContain(firstId);
    expect(ids(await get('requests.json?status=closed'))).not.toContain(firstId);
    await queryRows(
      t.deps.db,
      sql`update cases set status = 'closed', closed_at = now() where code = ${secondId}`,
    );
    const closed = json(await get('requests.json?status=closed'));
    expect(closed.map((x: { service_request_id: string }) => x.service_request_id)).toEqual([secondId]);
    expect(closed[0].status).toBe('closed');
    expect(ids(await get('requests.json?status=open'))).not.toContain(secondId);
    expect(ids(await get('requests.json?status=open,closed'))).toEqual(
      expect.arrayContaining([firstId, secondId]),
    );
    expectError(await get('requests.json?status=pending'), 400);
    // "Optional" arguments: empty is the same as not sent.
    expect(ids(await get('requests.json?status=&service_code=&start_date=&end_date='))).toEqual(
      ids(await get('requests.json')),
    );
    // The XML list is the JSON list.
    const all = json(await get('requests.json'));
    const doc = parseXml(await get('requests.xml'));
    expect(
      doc.service_requests.request.map((x: { service_request_id: string }) => x.service_request_id),
    ).toEqual(all.map((x: { service_request_id: string }) => x.service_request_id));
  });
});

describe('an outside GeoReport v2 client: errors', () => {
  it('a wrong or missing api_key is 403, in the format asked for', async () => {
    const before = await caseCount();
    const form = { service_code: 'streetlight', ...inGrid, description: '路灯不亮' };
    expectError(await postForm('requests.json', form), 403);
    expectError(await postForm('requests.json', { ...form, api_key: '' }), 403);
    expectError(await postForm('requests.json', { ...form, api_key: 'o311_not-a-key' }), 403);
    expectError(await postForm('requests.json', { ...form, api_key: revokedKey }), 403);
    expectError(await postForm('requests.xml', { ...form, api_key: 'o311_not-a-key' }), 403, 'xml');
    expect(await caseCount()).toBe(before);
  });

  it('what does not exist is 404: a service code, a request, an endpoint, another jurisdiction', async () => {
    const before = await caseCount();
    expectError(await get('services/no_such_service.json'), 404);
    expectError(await get('services/no_such_service.xml'), 404, 'xml');
    expectError(await get('requests.json?service_code=no_such_service'), 404);
    expectError(await get('requests/SJ00000000000000.json'), 404);
    expectError(await get('requests/SJ00000000000000.xml'), 404, 'xml');
    expectError(await get('no_such_endpoint.json'), 404);
    expectError(await get('services.json?jurisdiction_id=sfgov.org'), 404);
    expectError(
      await postForm('requests.json', { api_key: apiKey, service_code: 'no_such_service', ...inGrid }),
      404,
    );
    expectError(
      await postForm('requests.json', {
        api_key: apiKey,
        jurisdiction_id: 'sfgov.org',
        service_code: 'streetlight',
        ...inGrid,
      }),
      404,
    );
    expect(await caseCount()).toBe(before);
  });

  it('anything else the request gets wrong is 400: suffix, service_code, location, body — nothing created', async () => {
    const before = await caseCount();
    const base = { api_key: apiKey, service_code: 'streetlight', ...inGrid };
    expectError(await get('services.csv'), 400);
    expectError(await get('services'), 400);
    expectError(await get('requests/SJ1.html'), 400);
    for (const form of [
      { api_key: apiKey, ...inGrid },
      { ...base, lat: '90.0001' },
      { ...base, lat: '-91' },
      { ...base, long: '180.5' },
      { ...base, long: '-181' },
      { ...base, lat: 'north' },
      { api_key: apiKey, service_code: 'streetlight', lat: '40.605' },
      { api_key: apiKey, service_code: 'streetlight' },
      { ...base, 'attribute[recurring]': 'sometimes' },
      { ...base, media_url: 'javascript:alert(1)' },
    ] as Record<string, string>[])
      expectError(await postForm('requests.json', form), 400);
    expectError(await postForm('requests.xml', { ...base, lat: '91' }), 400, 'xml');
    // Malformed bodies.
    const malformedJson = await call('requests.json', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"api_key":',
    });
    expectError(malformedJson, 400);
    const malformedXml = await call('requests.xml', {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: '<service_request><api_key>x</service_request>',
    });
    expectError(malformedXml, 400, 'xml');
    const notAForm = await call('requests.json', {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: 'PNG',
    });
    expectError(notAForm, 400);
    // A body over the limit: the spec's 400, in its shape, before anything is read.
    const huge = await postForm('requests.json', { ...base, description: 'x'.repeat(1_100_000) });
    expectError(huge, 400);
    expect(await caseCount()).toBe(before);
  });
});
