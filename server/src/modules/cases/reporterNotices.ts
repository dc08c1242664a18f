import type { CaseState } from '@civicgrid/core/cases/stateMachine';
import type { Db } from '../../platform/db.js';
import { notifyUsers } from './notifications.js';

/** The states a reporter hears of, in the portal's words. */
const titles: Partial<Record<CaseState, string>> = {
  accepted: '您反映的问题已受理',
  rejected: '您反映的问题未予受理',
  dispatched: '您反映的问题已派单处理',
  resolved: '您反映的问题已处理完毕',
  closed: '您反映的问题已办结',
};

/**
 * The resident who reported a case (a signed-in reporter, not himself acting) hears when it
 * changes state: its number and what happened — no staff name, no note. The link opens it
 * in his portal. Written in the action's transaction; returned for publishing after commit.
 */
export async function notifyReporter(
  tx: Db,
  row: { id: string; code: string; reporterUserId: string | null },
  from: CaseState,
  to: CaseState,
  actorId: string,
) {
  const title = titles[to];
  if (!title || from === to || !row.reporterUserId || row.reporterUserId === actorId) return [];
  return notifyUsers(tx, [row.reporterUserId], {
    kind: `case.reporter.${to}`,
    title,
    body: `事件编号 ${row.code}`,
    subject: { type: 'case', id: row.id },
    link: `/r/cases/${row.id}`,
  });
}
