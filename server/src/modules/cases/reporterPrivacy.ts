import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { caseEvents, cases } from './tables.js';

/**
 * A resident's account is deleted (issue 17): their reports stay — the work done on them is
 * public record — but nothing on them names the person any more: no name, no phone, no link
 * to the account, and the trail shows "已注销居民" where it showed them. Runs in the caller's
 * transaction; returns how many cases were anonymised.
 */
export async function anonymiseReporter(tx: Db, userId: string): Promise<number> {
  const rows = await tx
    .update(cases)
    .set({ reporterName: null, reporterPhoneEnc: null, reporterPhoneIdx: null, reporterUserId: null })
    .where(eq(cases.reporterUserId, userId))
    .returning({ id: cases.id });
  await tx
    .update(caseEvents)
    .set({ actorName: '已注销居民', actorUnit: null })
    .where(eq(caseEvents.actorId, userId));
  return rows.length;
}
