/** The org tree of DESIGN.md §3, top to bottom. */
export const orgLevels = ['district', 'street', 'community', 'grid'] as const;
export type OrgLevel = (typeof orgLevels)[number];

export const orgLevelNames: Record<OrgLevel, string> = {
  district: '区',
  street: '街道',
  community: '社区',
  grid: '网格',
};

/** The level a child of `level` has, or null for a grid (a leaf). */
export function childLevel(level: OrgLevel): OrgLevel | null {
  const i = orgLevels.indexOf(level);
  return orgLevels[i + 1] ?? null;
}

/**
 * Code length per level. GB/T 2260 gives the county its 6 digits; the statistical
 * division codes add 3 for the street and 3 for the community; GB/T 30428.1 adds a
 * 3-digit grid number, giving the 15-digit unit-grid code.
 */
export const orgCodeLength: Record<OrgLevel, number> = {
  district: 6,
  street: 9,
  community: 12,
  grid: 15,
};
