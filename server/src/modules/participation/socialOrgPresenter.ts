import { maskPhone } from '@civicgrid/core';
import type { SocialOrg, SocialProjectDetail, SocialProjectSummary } from '@civicgrid/core/api/socialOrgs';
import type { FieldCrypto } from '../../platform/crypto.js';
import type { SocialOrgRow, SocialProjectRow } from './socialOrgPolicy.js';

/** What a project's summary is shown with, looked up once per reply. */
export interface ProjectFigures {
  orgName: Map<string, string>;
  unitName: Map<number, string>;
  spent: Map<string, number>;
  milestones: Map<string, { total: number; done: number }>;
}

export function presentProject(row: SocialProjectRow, f: ProjectFigures): SocialProjectSummary {
  const m = f.milestones.get(row.id) ?? { total: 0, done: 0 };
  return {
    id: row.id,
    title: row.title,
    socialOrgId: row.socialOrgId,
    socialOrgName: f.orgName.get(row.socialOrgId) ?? '',
    orgUnitId: row.orgUnitId,
    orgUnitName: f.unitName.get(row.orgUnitId) ?? '',
    status: row.status,
    amountFen: row.amountFen,
    budgetFen: row.budgetFen,
    spentFen: f.spent.get(row.id) ?? 0,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    milestones: m.total,
    milestonesDone: m.done,
    createdAt: row.createdAt.toISOString(),
  };
}

export type ProjectExtras = Omit<SocialProjectDetail, keyof SocialProjectSummary | 'summary'>;

export function presentProjectDetail(
  row: SocialProjectRow,
  f: ProjectFigures,
  extras: ProjectExtras,
): SocialProjectDetail {
  return { ...presentProject(row, f), summary: row.summary, ...extras };
}

/** The counts of an organization's projects the actor may see. */
export interface OrgProjectCounts {
  projects: number;
  active: number;
}

/** A social organization, its contact's phone masked (DESIGN.md §6: revealed only through the audited route). */
export function presentSocialOrg(
  row: SocialOrgRow,
  crypto: FieldCrypto,
  unitName: Map<number, string>,
  counts: OrgProjectCounts | undefined,
): SocialOrg {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    creditCode: row.creditCode,
    registrationAuthority: row.registrationAuthority,
    registeredOn: row.registeredOn,
    orgUnitId: row.orgUnitId,
    orgUnitName: unitName.get(row.orgUnitId) ?? '',
    fields: row.fields,
    services: row.services,
    legalRepresentative: row.legalRepresentative,
    contactName: row.contactName,
    contactPhone: maskPhone(crypto.decrypt(row.contactPhoneEnc)),
    staffCount: row.staffCount,
    volunteerCount: row.volunteerCount,
    incubationStage: row.incubationStage,
    incubationSince: row.incubationSince,
    projects: counts?.projects ?? 0,
    activeProjects: counts?.active ?? 0,
    createdAt: row.createdAt.toISOString(),
  };
}
