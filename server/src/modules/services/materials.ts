import type { ApplicationInput } from '@civicgrid/core/api/services';
import { localDay } from '@civicgrid/core/calendar/workCalendar';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { fieldError } from '../../platform/errors.js';
import { files } from '../cases/tables.js';
import { type AppliedMaterial, type ItemMaterial, materialFiles } from './tables.js';

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
    if (m.promisedDate !== undefined && m.promisedDate <= localDay(Date.now()))
      throw fieldError(`materials.${i}.promisedDate`, 'future', 'APPLICATION_PROMISED_DATE_PAST');
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

/**
 * Files attached to materials are the actor's own uploads: a material scan (PDF or image,
 * POST /api/material-files) or a photo from the field app's camera (POST /api/files). One
 * that is not, or someone else's, is refused rather than linked.
 */
export async function assertOwnFiles(
  db: Db,
  userId: string,
  ids: (string | null | undefined)[],
): Promise<void> {
  const wanted = [...new Set(ids.filter((x): x is string => typeof x === 'string'))];
  if (!wanted.length) return;
  const [scans, photos] = await Promise.all([
    db
      .select({ id: materialFiles.id })
      .from(materialFiles)
      .where(and(inArray(materialFiles.id, wanted), eq(materialFiles.ownerId, userId))),
    db
      .select({ id: files.id })
      .from(files)
      .where(and(inArray(files.id, wanted), eq(files.ownerId, userId))),
  ]);
  if (scans.length + photos.length !== wanted.length)
    throw fieldError('materials', 'owned', 'APPLICATION_FILE_UNKNOWN');
}
