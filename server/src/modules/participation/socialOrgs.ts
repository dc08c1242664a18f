import { isValidCreditCode } from '@civicgrid/core';
import type {
  IncubationInput,
  SocialOrg,
  SocialOrgDetail,
  SocialOrgInput,
  SocialOrgPatch,
  SocialOrgQuery,
} from '@civicgrid/core/api/socialOrgs';
import {
  creditCodePrefixOf,
  type incubationStages,
  incubationStepAllowed,
  socialOrgFieldNames,
  socialOrgTypeNames,
} from '@civicgrid/core/participation/socialOrgs';
import { and, asc, desc, eq, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import { appendAudit, auditEntry } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { areaCondition, listScoped, loadScoped, pathInScope, resolveArea } from '../../platform/scope.js';
import { assertExportSize, exportXlsx, maxExportRows } from '../../platform/spreadsheet.js';
import { users } from '../accounts/tables.js';
import { orgUnits } from '../org/tables.js';
import { type SocialOrgRow, socialOrgsScope, socialProjectsScope } from './socialOrgPolicy.js';
import { type OrgProjectCounts, presentProject, presentSocialOrg } from './socialOrgPresenter.js';
import { socialOrgIncubations, socialOrgs, socialProjects } from './socialOrgTables.js';
import { projectFigures } from './socialProjects.js';

type Deps = Pick<AppDeps, 'db' | 'crypto'>;

/**
 * GB 32100: the check character over the other 17; and a code the civil affairs bureau gave
 * (first character 5) names the kind it registered in its second (51 社会团体 …), which must be
 * the type chosen. A filed community group has no code of its own; one it gives is still checked.
 */
export function checkSocialOrgCode(input: Pick<SocialOrgInput, 'type' | 'creditCode'>): string | null {
  const prefix = creditCodePrefixOf[input.type];
  if (!input.creditCode) {
    if (prefix === null) return null;
    throw fieldError('creditCode', 'required', 'SOCIAL_ORG_CREDIT_CODE_REQUIRED');
  }
  const code = input.creditCode.trim().toUpperCase();
  if (!isValidCreditCode(code)) throw fieldError('creditCode', 'checkDigit', 'SOCIAL_ORG_CREDIT_CODE');
  if (prefix !== null && !code.startsWith(prefix))
    throw fieldError('creditCode', 'registrationKind', 'SOCIAL_ORG_CREDIT_CODE_KIND', {
      type: socialOrgTypeNames[input.type].zh,
      prefix,
    });
  return code;
}

async function unitNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await db
    .select({ id: orgUnits.id, name: orgUnits.name })
    .from(orgUnits)
    .where(inArray(orgUnits.id, unique));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** How many of each organization's projects the actor sees, and how many are under way. */
async function projectCounts(db: Db, actor: Actor, ids: string[]): Promise<Map<string, OrgProjectCounts>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({
      id: socialProjects.socialOrgId,
      projects: sql<number>`count(*)::int`,
      active: sql<number>`count(*) filter (where ${socialProjects.status} = 'inProgress')::int`,
    })
    .from(socialProjects)
    .where(and(inArray(socialProjects.socialOrgId, ids), socialProjectsScope.where(actor)))
    .groupBy(socialProjects.socialOrgId);
  return new Map(rows.map((r) => [r.id, { projects: Number(r.projects), active: Number(r.active) }]));
}

async function present(deps: Deps, actor: Actor, rows: SocialOrgRow[]): Promise<SocialOrg[]> {
  const [names, counts] = await Promise.all([
    unitNames(
      deps.db,
      rows.map((r) => r.orgUnitId),
    ),
    projectCounts(
      deps.db,
      actor,
      rows.map((r) => r.id),
    ),
  ]);
  return rows.map((r) => presentSocialOrg(r, deps.crypto, names, counts.get(r.id)));
}

/**
 * 登记 (POST /api/social-orgs): an organization serving a street or community of the actor's
 * jurisdiction. Its credit code and its name in that area are unique (a burst registers it once:
 * the others 409).
 */
export async function registerSocialOrg(deps: Deps, actor: Actor, input: SocialOrgInput, meta: RequestMeta) {
  const { db, crypto } = deps;
  const creditCode = checkSocialOrgCode(input);
  const [unit] = await db.select().from(orgUnits).where(eq(orgUnits.id, input.orgUnitId));
  if (
    !unit ||
    unit.retiredAt ||
    (unit.level !== 'street' && unit.level !== 'community') ||
    !pathInScope(actor, unit.path)
  )
    throw fieldError('orgUnitId', 'inJurisdiction', 'SOCIAL_ORG_UNIT');
  const row = await db.transaction(async (tx) => {
    const [r] = await tx
      .insert(socialOrgs)
      .values({
        name: input.name,
        type: input.type,
        creditCode,
        registrationAuthority: input.registrationAuthority,
        registeredOn: input.registeredOn,
        orgUnitId: unit.id,
        orgPath: unit.path,
        fields: [...new Set(input.fields)],
        services: input.services,
        legalRepresentative: input.legalRepresentative,
        contactName: input.contactName,
        contactPhoneEnc: crypto.encrypt(input.contactPhone),
        staffCount: input.staffCount,
        volunteerCount: input.volunteerCount,
        createdBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning();
    if (!r) return null;
    await appendAudit(
      tx as Db,
      auditActorOf(actor, meta),
      auditEntry(
        'socialOrg.registered',
        { targetType: 'socialOrg', targetId: r.id },
        { orgUnitId: unit.id, type: input.type },
      ),
    );
    return r;
  });
  if (!row) {
    const [taken] = creditCode
      ? await db.select({ id: socialOrgs.id }).from(socialOrgs).where(eq(socialOrgs.creditCode, creditCode))
      : [];
    throw taken
      ? fieldError('creditCode', 'unique', 'SOCIAL_ORG_CREDIT_CODE_TAKEN')
      : fieldError('name', 'unique', 'SOCIAL_ORG_NAME_TAKEN');
  }
  return (await present(deps, actor, [row]))[0] as SocialOrg;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function filters(q: SocialOrgQuery): (SQL | undefined)[] {
  const like = q.q ? `%${escapeLike(q.q)}%` : null;
  return [
    like
      ? or(
          sql`${socialOrgs.name} ilike ${like}`,
          sql`${socialOrgs.services} ilike ${like}`,
          eq(socialOrgs.creditCode, (q.q as string).toUpperCase()),
        )
      : undefined,
    q.type ? eq(socialOrgs.type, q.type) : undefined,
    q.field ? sql`${socialOrgs.fields} @> ${JSON.stringify([q.field])}::jsonb` : undefined,
    q.incubation === 'none'
      ? isNull(socialOrgs.incubationStage)
      : q.incubation
        ? eq(socialOrgs.incubationStage, q.incubation)
        : undefined,
  ];
}

export async function listSocialOrgs(deps: Deps, actor: Actor, q: SocialOrgQuery) {
  const cond = filters(q);
  if (q.orgUnitId !== undefined)
    cond.push(areaCondition(await resolveArea(deps.db, actor, q.orgUnitId), socialOrgs.orgPath));
  const { items, total } = await listScoped(deps.db, actor, socialOrgsScope, {
    where: and(...cond),
    orderBy: [asc(socialOrgs.name), asc(socialOrgs.id)],
    page: q.page,
    pageSize: q.pageSize,
  });
  return { items: await present(deps, actor, items), total };
}

/** One organization, its incubation history and the projects the actor may see. */
export async function socialOrgDetail(deps: Deps, actor: Actor, id: string): Promise<SocialOrgDetail> {
  const { db } = deps;
  const row = await loadScoped(db, actor, socialOrgsScope, id);
  const [[org], incubations, projects] = await Promise.all([
    present(deps, actor, [row]),
    db
      .select({ i: socialOrgIncubations, name: users.displayName })
      .from(socialOrgIncubations)
      .leftJoin(users, eq(users.id, socialOrgIncubations.actorId))
      .where(eq(socialOrgIncubations.socialOrgId, id))
      .orderBy(asc(socialOrgIncubations.on), asc(socialOrgIncubations.id)),
    db
      .select()
      .from(socialProjects)
      .where(and(eq(socialProjects.socialOrgId, id), socialProjectsScope.where(actor)))
      .orderBy(desc(socialProjects.startsOn)),
  ]);
  const figures = await projectFigures(db, projects);
  return {
    ...(org as SocialOrg),
    incubations: incubations.map(({ i, name }) => ({
      stage: i.stage,
      on: i.on,
      base: i.base,
      note: i.note,
      actorName: name,
    })),
    projectList: projects.map((p) => presentProject(p, figures)),
  };
}

/**
 * 孵化 (POST /api/social-orgs/{id}/incubations): the next stage, forward only; the organization is
 * locked, so a burst records it once (the others 409, as does a step back).
 */
export async function recordIncubation(
  deps: Deps,
  actor: Actor,
  id: string,
  input: IncubationInput,
  meta: RequestMeta,
): Promise<SocialOrgDetail> {
  await deps.db.transaction(async (tx) => {
    const row = await loadScoped(tx as unknown as Db, actor, socialOrgsScope, id, { forUpdate: true });
    if (!incubationStepAllowed(row.incubationStage, input.stage))
      throw new AppError('SOCIAL_ORG_INCUBATION_ORDER', undefined, [
        {
          field: 'stage',
          rule: 'forward',
          code: 'SOCIAL_ORG_INCUBATION_ORDER',
          params: { current: row.incubationStage ?? 'none' },
          message: '孵化阶段只能依次向前（入驻孵化 → 培育中 → 出壳）',
        },
      ]);
    if (row.incubationSince !== null && input.on < row.incubationSince)
      throw fieldError('on', 'notBeforePrevious', 'SOCIAL_ORG_INCUBATION_ORDER', {
        current: row.incubationStage ?? 'none',
      });
    await tx.insert(socialOrgIncubations).values({
      socialOrgId: row.id,
      stage: input.stage,
      on: input.on,
      base: input.base ?? null,
      note: input.note ?? null,
      actorId: actor.userId,
    });
    await tx
      .update(socialOrgs)
      .set({ incubationStage: input.stage, incubationSince: input.on, updatedAt: new Date() })
      .where(eq(socialOrgs.id, row.id));
    await appendAudit(
      tx as unknown as Db,
      auditActorOf(actor, meta),
      auditEntry(
        'socialOrg.incubated',
        { targetType: 'socialOrg', targetId: row.id },
        { stage: input.stage },
      ),
    );
  });
  return socialOrgDetail(deps, actor, id);
}

/** 修改: services, people and registration details of an organization in sight; the row locked, audited by field names. */
export async function updateSocialOrg(
  deps: Deps,
  actor: Actor,
  id: string,
  patch: SocialOrgPatch,
  meta: RequestMeta,
): Promise<SocialOrgDetail> {
  const changed = Object.keys(patch).filter((k) => patch[k as keyof SocialOrgPatch] !== undefined);
  if (!changed.length) throw fieldError('body', 'nonEmpty', 'SOCIAL_ORG_PATCH_EMPTY');
  await deps.db.transaction(async (tx) => {
    const row = await loadScoped(tx as unknown as Db, actor, socialOrgsScope, id, { forUpdate: true });
    const { contactPhone, fields, ...rest } = patch;
    await tx
      .update(socialOrgs)
      .set({
        ...rest,
        ...(fields ? { fields: [...new Set(fields)] } : {}),
        ...(contactPhone ? { contactPhoneEnc: deps.crypto.encrypt(contactPhone) } : {}),
        updatedAt: new Date(),
      })
      .where(eq(socialOrgs.id, row.id));
    await appendAudit(
      tx as unknown as Db,
      auditActorOf(actor, meta),
      auditEntry('socialOrg.updated', { targetType: 'socialOrg', targetId: row.id }, { fields: changed }),
    );
  });
  return socialOrgDetail(deps, actor, id);
}

/** The contact's whole phone: for pii:reveal holders who see the organization; every reveal audited. */
export async function revealSocialOrgContact(deps: Deps, actor: Actor, id: string, meta: RequestMeta) {
  // pii:reveal alone would open every organization's contact to whoever reveals anything.
  if (!actor.permissions.has('socialOrg:read')) throw new AppError('FORBIDDEN');
  return deps.db.transaction(async (tx) => {
    const row = await loadScoped(tx as unknown as Db, actor, socialOrgsScope, id);
    await appendAudit(tx as unknown as Db, auditActorOf(actor, meta), {
      action: 'pii.revealed',
      targetType: 'socialOrg',
      targetId: row.id,
      payload: { fields: ['contactPhone'] },
    });
    return { contactPhone: deps.crypto.decrypt(row.contactPhoneEnc) };
  });
}

const stageNames: Record<(typeof incubationStages)[number], string> = {
  incubating: '入驻孵化',
  nurturing: '培育中',
  graduated: '出壳',
};

/** 社会组织名录 as a spreadsheet: same scope and filters, contact phones masked; audited. */
export async function exportSocialOrgs(deps: Deps, actor: Actor, q: SocialOrgQuery, meta: RequestMeta) {
  const all = await listSocialOrgs(deps, actor, { ...q, page: 1, pageSize: maxExportRows });
  // Refused before the audit: a file that does not leave is not recorded as exported.
  assertExportSize(all.total);
  const file = await exportXlsx([
    {
      name: '社会组织名录',
      columns: [
        { header: '组织名称', key: 'name', width: 30 },
        { header: '类型', key: 'type', width: 24 },
        { header: '统一社会信用代码', key: 'creditCode', width: 22 },
        { header: '登记管理机关/备案单位', key: 'authority', width: 22 },
        { header: '登记/备案日期', key: 'registeredOn', width: 14 },
        { header: '服务区域', key: 'area', width: 18 },
        { header: '服务领域', key: 'fields', width: 22 },
        { header: '服务内容', key: 'services', width: 40 },
        { header: '法定代表人/负责人', key: 'legal', width: 14 },
        { header: '联系人', key: 'contact', width: 10 },
        { header: '联系电话（已脱敏）', key: 'phone', width: 16 },
        { header: '专职人数', key: 'staff', width: 10 },
        { header: '志愿者人数', key: 'volunteers', width: 10 },
        { header: '孵化阶段', key: 'incubation', width: 10 },
        { header: '公益创投项目数', key: 'projects', width: 12 },
      ],
      rows: all.items.map((o) => ({
        name: o.name,
        type: socialOrgTypeNames[o.type].zh,
        creditCode: o.creditCode ?? '',
        authority: o.registrationAuthority,
        registeredOn: o.registeredOn,
        area: o.orgUnitName,
        fields: o.fields.map((f) => socialOrgFieldNames[f].zh).join('、'),
        services: o.services,
        legal: o.legalRepresentative,
        contact: o.contactName,
        phone: o.contactPhone,
        staff: o.staffCount,
        volunteers: o.volunteerCount,
        incubation: o.incubationStage ? stageNames[o.incubationStage] : '',
        projects: o.projects,
      })),
    },
  ]);
  await deps.db.transaction((tx) =>
    appendAudit(tx as unknown as Db, auditActorOf(actor, meta), {
      action: 'socialOrg.exported',
      targetType: 'socialOrg',
      targetId: 'list',
      payload: { rows: all.items.length },
    }),
  );
  return file;
}
