import type { Permission } from '../permissions.js';

/**
 * 社会组织 (issue 19 item 8): the registry of the NGOs serving the area, their incubation
 * (入驻孵化 → 培育中 → 出壳) and the projects bought from them with public money (公益创投).
 */

/**
 * The four kinds the civil-affairs registry knows: three registered under their own
 * regulations (社会团体登记管理条例, 民办非企业单位登记管理暂行条例, 基金会管理条例) and the
 * community-based groups that are only filed (备案) with the street or community.
 */
export const socialOrgTypes = [
  'association',
  'privateNonEnterprise',
  'foundation',
  'communityBased',
] as const;
export type SocialOrgType = (typeof socialOrgTypes)[number];

export const socialOrgTypeNames: Record<SocialOrgType, { zh: string; en: string }> = {
  association: { zh: '社会团体', en: 'Association' },
  privateNonEnterprise: { zh: '社会服务机构（民办非企业）', en: 'Social service agency' },
  foundation: { zh: '基金会', en: 'Foundation' },
  communityBased: { zh: '社区社会组织（备案）', en: 'Community-based group (filed)' },
};

/**
 * GB 32100-2015 §4: the first character is the registering authority (5 = civil affairs), the
 * second the kind it registered (1 社会团体, 2 民办非企业单位, 3 基金会). A registered social
 * organization's code therefore starts with these two; a filed community group has none.
 */
export const creditCodePrefixOf: Record<SocialOrgType, string | null> = {
  association: '51',
  privateNonEnterprise: '52',
  foundation: '53',
  communityBased: null,
};

/** Whether the type is registered (登记, with a credit code) or filed (备案). */
export const isFiledType = (t: SocialOrgType) => creditCodePrefixOf[t] === null;

/** What a social organization does, for the registry's filter. */
export const socialOrgFields = [
  'elderly',
  'youth',
  'disability',
  'mediation',
  'cultureSports',
  'charity',
  'environment',
  'governance',
  'other',
] as const;
export type SocialOrgField = (typeof socialOrgFields)[number];

export const socialOrgFieldNames: Record<SocialOrgField, { zh: string; en: string }> = {
  elderly: { zh: '养老助老', en: 'Elderly care' },
  youth: { zh: '青少年', en: 'Youth' },
  disability: { zh: '助残', en: 'Disability' },
  mediation: { zh: '矛盾调解', en: 'Mediation' },
  cultureSports: { zh: '文体', en: 'Culture and sports' },
  charity: { zh: '济困帮扶', en: 'Poverty relief' },
  environment: { zh: '环保', en: 'Environment' },
  governance: { zh: '社区治理', en: 'Community governance' },
  other: { zh: '其他', en: 'Other' },
};

/** 孵化: moved into the incubator (入驻孵化), nurtured (培育中), out on its own (出壳). */
export const incubationStages = ['incubating', 'nurturing', 'graduated'] as const;
export type IncubationStage = (typeof incubationStages)[number];

/**
 * Whether an organization at `current` (null: never incubated) may move to `next`. Incubation
 * starts with 入驻 and only goes forward — a stage may be skipped (入驻 straight to 出壳), never
 * repeated or undone.
 */
export function incubationStepAllowed(current: IncubationStage | null, next: IncubationStage): boolean {
  if (current === null) return next === 'incubating';
  return incubationStages.indexOf(next) > incubationStages.indexOf(current);
}

/**
 * 公益创投 project, as data (DESIGN.md §2):
 *
 * applied ─approve→ approved ─start→ inProgress ─complete→ completed
 *    └──────────────┴──────────────────┴─terminate→ terminated
 *
 * 申报 by the community or street on the organization's behalf; 立项 and 结项 (acceptance) by
 * the buyer (socialOrg:fund); 实施 started by those who manage it. Completion needs every
 * milestone done (the service checks it: 409 otherwise).
 */
export const socialProjectStates = ['applied', 'approved', 'inProgress', 'completed', 'terminated'] as const;
export type SocialProjectState = (typeof socialProjectStates)[number];

export const socialProjectActions = ['approve', 'start', 'complete', 'terminate'] as const;
export type SocialProjectAction = (typeof socialProjectActions)[number];

export interface SocialProjectTransition {
  from: readonly SocialProjectState[];
  to: SocialProjectState;
  permission: Permission;
}

export const socialProjectTransitions: Record<SocialProjectAction, SocialProjectTransition> = {
  // 立项: the buyer approves, possibly for less than was asked.
  approve: { from: ['applied'], to: 'approved', permission: 'socialOrg:fund' },
  // 实施: the organization begins; milestones and spending are recorded from now on.
  start: { from: ['approved'], to: 'inProgress', permission: 'socialOrg:manage' },
  // 结项: the buyer accepts the work (every milestone done).
  complete: { from: ['inProgress'], to: 'completed', permission: 'socialOrg:fund' },
  // 终止: not approved, or stopped midway; with the reason.
  terminate: { from: ['applied', 'approved', 'inProgress'], to: 'terminated', permission: 'socialOrg:fund' },
};

export function nextSocialProjectState(
  action: SocialProjectAction,
  from: SocialProjectState,
): SocialProjectState | null {
  const t = socialProjectTransitions[action];
  return t.from.includes(from) ? t.to : null;
}

/** Milestones are ticked and money spent only while the project is carried out. */
export const isUnderWay = (s: SocialProjectState) => s === 'inProgress';

/**
 * Whether a spending of `amountFen` fits the budget after `spentFen` already spent; the
 * amount left (fen) when it does not.
 */
export function overBudget(budgetFen: number, spentFen: number, amountFen: number): number | null {
  return spentFen + amountFen > budgetFen ? budgetFen - spentFen : null;
}

/** Fen as yuan with two decimals (12345 → "123.45"), for messages and sheets. */
export const yuan = (fen: number) => (fen / 100).toFixed(2);
