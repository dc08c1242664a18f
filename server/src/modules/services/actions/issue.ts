import { makeCertificate } from '../certificates.js';
import type { ActionHandler } from './effect.js';

/**
 * 出件: the result goes out at the window; the application is done (办结) from now. An item
 * that ends in a certificate gets its numbered certificate in the same transaction.
 */
export const issue: ActionHandler<'issue'> = async ({ tx, actor, row, item, now }, body) => {
  const certificate = await makeCertificate(tx, actor, row, item, now);
  return {
    note: body.note ?? null,
    set: { completedAt: new Date(now) },
    data: certificate ? { certificate } : null,
  };
};
