/**
 * The party organization tree on the grid (seed 004: 街道党工委 → 社区党组织 → 网格(小区)党支部 →
 * 楼栋党小组 → 党员中心户), as data the server, the console and the tests read. The first four
 * levels are organizations, each bound to the org-tree unit of its level (a 楼栋党小组 to a
 * building of its branch's grid); the fifth, 党员中心户, is a member's household marked under a
 * branch or a building group.
 */
export const partyOrgLevels = ['streetCommittee', 'communityOrg', 'gridBranch', 'buildingGroup'] as const;
export type PartyOrgLevel = (typeof partyOrgLevels)[number];

export const partyOrgLevelNames: Record<PartyOrgLevel, { zh: string; en: string }> = {
  streetCommittee: { zh: '街道党工委', en: 'Street Party Working Committee' },
  communityOrg: { zh: '社区党组织', en: 'Community Party organization' },
  gridBranch: { zh: '网格（小区）党支部', en: 'Grid Party branch' },
  buildingGroup: { zh: '楼栋党小组', en: 'Building Party group' },
};

/** The org-tree level each party level is bound to. */
export const partyOrgUnitLevel: Record<PartyOrgLevel, 'street' | 'community' | 'grid'> = {
  streetCommittee: 'street',
  communityOrg: 'community',
  gridBranch: 'grid',
  buildingGroup: 'grid',
};

/** The level a parent must have (null: the top, which has none). One level up, always. */
export function parentLevelOf(level: PartyOrgLevel): PartyOrgLevel | null {
  const i = partyOrgLevels.indexOf(level);
  return i > 0 ? (partyOrgLevels[i - 1] as PartyOrgLevel) : null;
}

/** Where a 党员中心户 may be marked: under a branch or a building group (the grid's own levels). */
export const householdLevels: readonly PartyOrgLevel[] = ['gridBranch', 'buildingGroup'];

export const partyMemberRoles = [
  'secretary',
  'deputySecretary',
  'committeeMember',
  'groupLeader',
  'member',
] as const;
export type PartyMemberRole = (typeof partyMemberRoles)[number];

export const partyMemberRoleNames: Record<PartyMemberRole, { zh: string; en: string }> = {
  secretary: { zh: '书记', en: 'Secretary' },
  deputySecretary: { zh: '副书记', en: 'Deputy secretary' },
  committeeMember: { zh: '委员', en: 'Committee member' },
  groupLeader: { zh: '党小组长', en: 'Group leader' },
  member: { zh: '党员', en: 'Member' },
};
