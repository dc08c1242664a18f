import type { ApplicationInput } from '@civicgrid/core/api/services';
import { fieldError } from '../../platform/errors.js';
import type { AppliedMaterial, ItemMaterial } from './tables.js';

/**
 * The materials of an intake against the item's version: exactly its list, each ticked or not,
 * so a window working from an old list (the item changed since the page loaded) is told
 * rather than filing an application that says something else.
 */
export function checkMaterials(
  given: ApplicationInput['materials'],
  item: { materials: ItemMaterial[]; version: number },
): AppliedMaterial[] {
  const seen = new Set<string>();
  given.forEach((m, i) => {
    if (seen.has(m.name))
      throw fieldError(`materials.${i}.name`, 'unique', 'SERVICE_MATERIAL_DUPLICATE', { name: m.name });
    seen.add(m.name);
    if (!item.materials.some((x) => x.name === m.name))
      throw fieldError(`materials.${i}.name`, 'known', 'APPLICATION_MATERIAL_UNKNOWN', {
        name: m.name,
        version: item.version,
      });
  });
  const absent = item.materials.find((x) => !seen.has(x.name));
  if (absent)
    throw fieldError('materials', 'complete', 'APPLICATION_MATERIAL_MISSING', { name: absent.name });
  return item.materials.map((x) => {
    const m = given.find((g) => g.name === x.name) as ApplicationInput['materials'][number];
    return {
      name: x.name,
      required: x.required,
      provided: m.provided,
      fileId: m.fileId ?? null,
      // 容缺 applies only to a material the item allows to come later.
      promisedDate: !m.provided && x.waivable ? (m.promisedDate ?? null) : null,
    };
  });
}

/**
 * Required materials that hold the application up: not provided and not promised under 容缺
 * (a waivable material with a date the applicant promised it by).
 */
export function stillMissing(materials: AppliedMaterial[]): string[] {
  return materials.filter((m) => m.required && !m.provided && m.promisedDate === null).map((m) => m.name);
}
