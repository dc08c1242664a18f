import { randomUUID } from 'node:crypto';
import {
  type ResidentCategory,
  residentCategories,
  residentCategory,
} from '@civicgrid/core/cases/residentCategories';
import type { CaseState } from '@civicgrid/core/cases/stateMachine';
import { and, asc, desc, eq, gte, inArray, isNull, lte, type SQL, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { hitRateLimit } from '../../platform/rateLimit.js';
import type { CaseDeps } from '../cases/actions/apply.js';
import { nameBook } from '../cases/names.js';
import { reportCase } from '../cases/report.js';
import { cases } from '../cases/tables.js';
import { orgUnits } from '../org/tables.js';
import { Open311Error } from './format.js';
import { liveKey, type Open311KeyRow } from './keys.js';
import { open311Keys, open311Requests } from './tables.js';

/*
 * GeoReport v2 (wiki.open311.org/GeoReport_v2) over the case workflow: services are the
 * resident-facing categories (core/cases/residentCategories.ts), a posted request becomes a
 * case on the `open311` channel, and reading a request tells its state in GeoReport's two
 * words (open/closed) and a plain note. Nothing personal goes out: no reporter, no phone,
 * and for cases that did not come in through Open311 neither their words nor their address,
 * and their point only to about 50 m.
 */

/** The services whose taxonomy leaf is in use (a retired leaf takes its service off the list). */
async function liveServices(db: Db): Promise<ResidentCategory[]> {
  const book = await nameBook(db);
  return residentCategories.filter((s) => {
    const cat = book.categories.get(s.categoryCode);
    return cat && !cat.retiredAt;
  });
}

/** The jurisdiction this endpoint serves: the district's GB/T 2260 code. */
export async function jurisdictionId(db: Db): Promise<string | null> {
  const [d] = await db
    .select({ code: orgUnits.code })
    .from(orgUnits)
    .where(and(eq(orgUnits.level, 'district'), isNull(orgUnits.retiredAt)))
    .orderBy(asc(orgUnits.id))
    .limit(1);
  return d?.code ?? null;
}

/** GeoReport: a jurisdiction_id other than ours is a 404 naming it; none at all is fine (one jurisdiction). */
export async function checkJurisdiction(db: Db, given: string | undefined): Promise<void> {
  if (given === undefined || given === '') return;
  const ours = await jurisdictionId(db);
  if (given !== ours) throw new Open311Error(404, `jurisdiction_id ${given} was not found`);
}

export function serviceList(list: readonly ResidentCategory[]) {
  return list.map((s) => ({
    service_code: s.code,
    service_name: s.name,
    description: s.description,
    metadata: true,
    type: 'realtime',
    keywords: s.keywords.join(', '),
    group: s.group,
  }));
}

export async function services(db: Db) {
  return serviceList(await liveServices(db));
}

/** The attributes every service asks for (GeoReport "service definition"); none is required. */
const attributes = [
  {
    variable: true,
    code: 'location_detail',
    datatype: 'string',
    required: false,
    datatype_description: '楼栋、单元、门牌号或明显标志物',
    order: 1,
    description: '补充位置',
  },
  {
    variable: true,
    code: 'recurring',
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: null,
    order: 2,
    description: '这个问题是否反复出现',
    values: [
      { key: 'yes', name: '是，反复出现' },
      { key: 'no', name: '否，第一次' },
    ],
  },
] as const;

export async function serviceDefinition(db: Db, code: string) {
  const s = (await liveServices(db)).find((x) => x.code === code);
  if (!s) throw new Open311Error(404, `service_code ${code} was not found`);
  return { service_code: s.code, attributes };
}

/** GeoReport's two words: a case is closed once it ended, whichever way. */
const closedStates: readonly CaseState[] = ['closed', 'rejected', 'cancelled', 'merged'];

/** What a resident (or the client) reads about each state: plain words, no staff names. */
const statusNotes: Record<CaseState, string> = {
  reported: '已收到，等待受理',
  accepted: '已受理，正在派单',
  dispatched: '已派给承办单位',
  in_progress: '承办单位正在处理',
  resolved: '已处理，等待核查',
  rework: '核查未通过，重新处理',
  verified: '已核查，等待回访',
  closed: '已办结',
  rejected: '不予受理',
  cancelled: '已撤销',
  merged: '与其他诉求合并处理',
};

export interface RequestQuery {
  service_request_id?: string;
  service_code?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
}

function commaList(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

function w3Date(v: string | undefined, name: string): Date | undefined {
  if (v === undefined || v === '') return undefined;
  const d = new Date(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(d.getTime()))
    throw new Open311Error(400, `${name} must be a W3C date-time (2026-12-01T00:00:00+08:00)`);
  return d;
}

/** GeoReport: at most 1000 requests, the last 90 days unless dates are given. */
const maxRequests = 1000;
const defaultWindowMs = 90 * 86_400_000;
const round50m = (x: number) => Math.round(x * 2000) / 2000;

export async function listRequests(db: Db, q: RequestQuery) {
  const live = await liveServices(db);
  const byLeaf = new Map(live.map((s) => [s.categoryCode, s]));
  const where: SQL[] = [];
  const ids = commaList(q.service_request_id);
  if (ids.length > 0) {
    // GeoReport: with service_request_id the other filters are ignored.
    if (ids.length > 100) throw new Open311Error(400, 'at most 100 service_request_id values');
    where.push(inArray(cases.code, ids));
  } else {
    const codes = commaList(q.service_code);
    for (const c of codes)
      if (!live.some((s) => s.code === c)) throw new Open311Error(404, `service_code ${c} was not found`);
    const chosen = codes.length ? live.filter((s) => codes.includes(s.code)) : live;
    where.push(
      inArray(
        cases.categoryCode,
        chosen.map((s) => s.categoryCode),
      ),
    );
    const end = w3Date(q.end_date, 'end_date');
    const start =
      w3Date(q.start_date, 'start_date') ?? new Date((end?.getTime() ?? Date.now()) - defaultWindowMs);
    // GeoReport: the range "may not span more than 90 days".
    if (end && end.getTime() < start.getTime()) throw new Open311Error(400, 'end_date is before start_date');
    if (end && end.getTime() - start.getTime() > defaultWindowMs)
      throw new Open311Error(400, 'start_date and end_date may not span more than 90 days');
    where.push(gte(cases.reportedAt, start));
    if (end) where.push(lte(cases.reportedAt, end));
    const statuses = commaList(q.status);
    for (const s of statuses)
      if (s !== 'open' && s !== 'closed') throw new Open311Error(400, 'status must be open or closed');
    if (statuses.length === 1) {
      const inClosed = inArray(cases.status, [...closedStates]);
      where.push(statuses[0] === 'closed' ? inClosed : sql`not (${inClosed})`);
    }
  }
  const rows = await db
    .select({ c: cases, r: open311Requests })
    .from(cases)
    .leftJoin(open311Requests, eq(open311Requests.caseId, cases.id))
    .where(and(...where))
    .orderBy(desc(cases.reportedAt))
    .limit(maxRequests);
  const book = await nameBook(db);
  return rows
    .map(({ c, r }) => {
      const service = (r && residentCategory(r.serviceCode)) || byLeaf.get(c.categoryCode);
      if (!service) return null;
      const ours = c.channel === 'open311';
      const agency =
        (c.assigneeDepartmentId ? book.departments.get(c.assigneeDepartmentId) : undefined) ??
        book.units.get(c.handlingUnitId)?.name ??
        null;
      const status = c.status as CaseState;
      return {
        service_request_id: c.code,
        status: closedStates.includes(status) ? 'closed' : 'open',
        status_notes: statusNotes[status] ?? null,
        service_name: service.name,
        service_code: service.code,
        description: ours ? c.description : null,
        agency_responsible: agency,
        service_notice: null,
        requested_datetime: c.reportedAt.toISOString(),
        // GeoReport: "for requests with status=closed, this will be the date the request was closed".
        updated_datetime: ((closedStates.includes(status) ? c.closedAt : null) ?? c.updatedAt).toISOString(),
        expected_datetime: c.resolveBy?.toISOString() ?? null,
        address: ours ? c.address : null,
        address_id: null,
        zipcode: null,
        lat: c.lat === null ? null : ours ? c.lat : round50m(c.lat),
        long: c.lng === null ? null : ours ? c.lng : round50m(c.lng),
        media_url: r?.mediaUrl ?? null,
      };
    })
    .filter((x) => x !== null);
}

export async function requestById(db: Db, id: string) {
  const found = await listRequests(db, { service_request_id: id });
  if (found.length === 0) throw new Open311Error(404, `service_request_id ${id} was not found`);
  return found;
}

export async function requestByToken(db: Db, token: string) {
  if (!/^[0-9a-f-]{36}$/i.test(token)) throw new Open311Error(404, `token ${token} was not found`);
  const [row] = await db
    .select({ code: cases.code })
    .from(open311Requests)
    .innerJoin(cases, eq(cases.id, open311Requests.caseId))
    .where(eq(open311Requests.token, token));
  if (!row) throw new Open311Error(404, `token ${token} was not found`);
  return [{ service_request_id: row.code, token }];
}

/** The form a client POSTs (GeoReport names), every value a string as a form sends it. */
export type PostFields = Record<string, string>;

const chinesePhone = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
const looseEmail = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

function coordinate(v: string | undefined, name: string, limit: number): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!/^-?\d+(\.\d+)?$/.test(v.trim()) || !Number.isFinite(n) || Math.abs(n) > limit)
    throw new Open311Error(400, `${name} must be a number between -${limit} and ${limit}`);
  return n;
}

/** The attribute[code] fields, checked against the service definition. */
function attributeValues(f: PostFields): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) {
    const m = /^attribute\[([A-Za-z0-9_]+)\]$/.exec(k);
    if (!m) continue;
    const code = m[1] as string;
    const def = attributes.find((a) => a.code === code);
    if (!def) throw new Open311Error(400, `attribute ${code} is not an attribute of this service`);
    if ('values' in def && !def.values.some((x) => x.key === v))
      throw new Open311Error(
        400,
        `attribute ${code} must be one of ${def.values.map((x) => x.key).join(', ')}`,
      );
    if (v.length > 200) throw new Open311Error(400, `attribute ${code} is longer than 200 characters`);
    out[code] = v;
  }
  return out;
}

/** The client as the case trail shows it: a reporter from outside, not a user of the platform. */
function clientActor(key: Open311KeyRow): Actor {
  return {
    userId: key.id,
    username: `open311:${key.name}`,
    displayName: `Open311 · ${key.name}`,
    roles: [],
    // case:read marks the reporter as staff-side for reportCase: the reporter's name comes from
    // the form, and the case is not tied to a resident account (the key is nobody's account).
    permissions: new Set(['case:read']),
    orgUnitId: null,
    orgUnitName: null,
    orgLevel: null,
    orgPath: null,
    departmentId: null,
    departmentName: null,
    global: false,
    via: 'token',
    sessionId: null,
    csrfToken: null,
    display: false,
    readOnly: false,
    restricted: null,
    totpEnabled: false,
    totpRequired: false,
  };
}

/**
 * POST requests: checks the key (400 missing, 403 wrong or revoked), counts it against the
 * key's rate limit, checks the form, then reports the case through the cases service and
 * records the request and the key's use (audited) in one more transaction.
 */
export async function postRequest(deps: CaseDeps, f: PostFields, meta: RequestMeta) {
  const { db, crypto } = deps;
  await checkJurisdiction(db, f.jurisdiction_id);
  // GeoReport: "403 for errors because of wrong or missing api_key".
  if (!f.api_key) throw new Open311Error(403, 'api_key was not provided');
  const key = await liveKey(db, crypto, f.api_key);
  if (!key) throw new Open311Error(403, 'api_key is not valid');
  await hitRateLimit(db, 'open311Key', `key:${key.id}`);
  if (!f.service_code) throw new Open311Error(400, 'service_code was not provided');
  const service = (await liveServices(db)).find((s) => s.code === f.service_code);
  if (!service) throw new Open311Error(404, `service_code ${f.service_code} was not found`);
  const lat = coordinate(f.lat, 'lat', 90);
  const lng = coordinate(f.long, 'long', 180);
  if ((lat === undefined) !== (lng === undefined)) throw new Open311Error(400, 'lat and long go together');
  const address = f.address_string?.trim() || undefined;
  if (lat === undefined && !address)
    throw new Open311Error(400, 'a location (lat and long, or address_string) is required');
  if (address && address.length > 200)
    throw new Open311Error(400, 'address_string is longer than 200 characters');
  const description = f.description?.trim() || service.name;
  // GeoReport: "free form text limited to 4,000 characters" — a client may send that much.
  if (description.length > 4000) throw new Open311Error(400, 'description is longer than 4000 characters');
  if (f.media_url && (!/^https?:\/\/\S+$/.test(f.media_url) || f.media_url.length > 500))
    throw new Open311Error(400, 'media_url must be an http(s) URL');
  if (f.phone && !chinesePhone.test(f.phone))
    throw new Open311Error(400, 'phone is not a valid phone number');
  if (f.email && !looseEmail.test(f.email)) throw new Open311Error(400, 'email is not a valid address');
  const name = [f.last_name, f.first_name].filter(Boolean).join('').trim().slice(0, 40) || undefined;
  const attrs = attributeValues(f);
  const detail = attrs.location_detail ? `\n补充位置：${attrs.location_detail}` : '';
  const actor = clientActor(key);
  const token = randomUUID();
  const { row } = await reportCase(
    deps,
    actor,
    {
      description: `${description}${detail}`,
      categoryCode: service.categoryCode,
      channel: 'open311',
      ...(lat !== undefined && lng !== undefined ? { location: { lat, lng } } : {}),
      ...(address ? { address } : {}),
      ...(name || f.phone
        ? { reporter: { ...(name ? { name } : {}), ...(f.phone ? { phone: f.phone } : {}) } }
        : {}),
      idempotencyKey: token,
    },
    meta,
  );
  await db.transaction(async (tx) => {
    await tx.insert(open311Requests).values({
      token,
      caseId: row.id,
      keyId: key.id,
      serviceCode: service.code,
      mediaUrl: f.media_url || null,
      attributes: attrs,
    });
    await tx
      .update(open311Keys)
      .set({ uses: sql`${open311Keys.uses} + 1`, lastUsedAt: new Date() })
      .where(eq(open311Keys.id, key.id));
    await appendAudit(
      tx,
      { userId: null, username: actor.username, ...meta },
      {
        action: 'open311.keyUsed',
        targetType: 'open311Key',
        targetId: key.id,
        payload: { endpoint: 'requests', serviceCode: service.code, caseCode: row.code },
      },
    );
  });
  // Services are `realtime`: the id comes back at once, and GeoReport says the token "should
  // not be returned if service_request_id is returned" (tokens/{token} still answers for it).
  return [
    {
      service_request_id: row.code,
      service_notice: '已收到，社区将在时限内受理',
      account_id: null,
    },
  ];
}
