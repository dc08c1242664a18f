import type { ErrorEntry } from './entry.js';

/** Refusals of the party organization tree (党组织), its members and 党员中心户. */
export const partyOrgErrors = {
  PARTY_ORG_LEVEL: {
    status: 400,
    zh: '党组织层级须比上级低一级：街道党工委 → 社区党组织 → 网格党支部 → 楼栋党小组',
    en: 'A party organization is one level below its parent: street committee → community → grid branch → building group',
  },
  PARTY_ORG_PARENT: {
    status: 400,
    zh: '上级党组织不存在或不在您的辖区内',
    en: 'No such parent organization in your jurisdiction',
  },
  PARTY_ORG_UNIT_LEVEL: {
    status: 400,
    zh: '街道党工委绑定街道，社区党组织绑定社区，网格党支部与楼栋党小组绑定网格',
    en: 'A street committee is bound to a street, a community organization to a community, a branch or group to a grid',
  },
  PARTY_ORG_UNIT_OUTSIDE: {
    status: 400,
    zh: '绑定的组织须在上级党组织所辖范围内，且在您的辖区内',
    en: "The bound unit must lie inside the parent organization's area and your jurisdiction",
  },
  PARTY_ORG_BUILDING: {
    status: 400,
    zh: '楼栋党小组须绑定上级党支部所在网格内的楼栋',
    en: "A building group is bound to a building of its branch's grid",
  },
  PARTY_ORG_DUPLICATE: {
    status: 409,
    zh: '该组织（楼栋）已建立同级党组织',
    en: 'This unit (building) already has a party organization of that level',
  },
  PARTY_ORG_NOT_EMPTY: {
    status: 409,
    zh: '该党组织下仍有下级组织或党员，请先调整后再撤销',
    en: 'The organization still has organizations or members under it',
  },
  PARTY_ORG_RETIRED: {
    status: 409,
    zh: '该党组织已撤销',
    en: 'The organization has been dissolved',
  },
  PARTY_MEMBER_RESIDENT: {
    status: 400,
    zh: '居民档案不存在，或其住址不在该党组织所辖范围内',
    en: "No such resident living in the organization's area",
  },
  PARTY_MEMBER_DUPLICATE: {
    status: 409,
    zh: '该党员已在党组织中登记（一名党员只属于一个党组织）',
    en: 'This member is already registered with a party organization',
  },
  PARTY_MEMBER_NAME_ON_FILE: {
    status: 400,
    zh: '该党员关联了居民档案，姓名以居民档案为准，请在居民档案中修改',
    en: 'A member linked to a resident file takes his name from it; change it there',
  },
  PARTY_MEMBER_SECRETARY: {
    status: 409,
    zh: '该党组织已有书记',
    en: 'The organization already has a secretary',
  },
  PARTY_HOUSEHOLD_MEMBER: {
    status: 400,
    zh: '须选择本党组织的在册党员',
    en: 'Choose a live member of this organization',
  },
  PARTY_HOUSEHOLD_HOME: {
    status: 400,
    zh: '该党员未关联有住户信息的居民档案，不能设为党员中心户',
    en: 'The member is not linked to a resident file with a household',
  },
  PARTY_HOUSEHOLD_LEVEL: {
    status: 409,
    zh: '党员中心户设在网格党支部或楼栋党小组',
    en: 'A party household is marked under a grid branch or a building group',
  },
  PARTY_HOUSEHOLD_DUPLICATE: {
    status: 409,
    zh: '该党员户已是党员中心户',
    en: 'This household is already marked',
  },
} satisfies Record<string, ErrorEntry>;
