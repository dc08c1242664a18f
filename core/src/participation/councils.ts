/**
 * 街道议事会 (seed 003): the street's council of representatives, its members by category.
 * A street-level deliberation counts its meeting's attendance and vote against them.
 */
export const councilMemberCategories = ['npc', 'cppcc', 'resident', 'unit', 'socialOrg', 'other'] as const;
export type CouncilMemberCategory = (typeof councilMemberCategories)[number];

export const councilMemberCategoryNames: Record<CouncilMemberCategory, { zh: string; en: string }> = {
  npc: { zh: '人大代表', en: 'People’s congress deputy' },
  cppcc: { zh: '政协委员', en: 'CPPCC member' },
  resident: { zh: '居民代表', en: 'Residents’ representative' },
  unit: { zh: '单位代表', en: 'Unit representative' },
  socialOrg: { zh: '社会组织代表', en: 'Social organization representative' },
  other: { zh: '其他', en: 'Other' },
};

/** Why a hidden comment was hidden: a code, so the audit trail holds no free text. */
export const commentHideReasons = ['abusive', 'personalData', 'advertising', 'offTopic', 'other'] as const;
export type CommentHideReason = (typeof commentHideReasons)[number];
export const commentHideReasonNames: Record<CommentHideReason, string> = {
  abusive: '辱骂、人身攻击',
  personalData: '含他人个人信息',
  advertising: '广告、刷屏',
  offTopic: '与议题无关',
  other: '其他',
};

/**
 * How long a resident's texts may be, in characters: the API's schemas and the portal's forms
 * (which carry no zod) read the same numbers.
 */
export const residentTextLimits = {
  suggestionTitle: { min: 4, max: 60 },
  suggestionBody: { min: 10, max: 1000 },
  comment: { min: 2, max: 500 },
} as const;

/** Control characters (C0 but tab/newline, DEL, C1) and bidi overrides: refused in residents' texts. */
export const controlCharacters =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
