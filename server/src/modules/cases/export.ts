import { type CaseFilterQuery, caseChannelNames, ratingNames } from '@civicgrid/core/api/cases';
import { caseStateNames } from '@civicgrid/core/cases/stateMachine';
import { appendAudit } from '../../platform/audit/trail.js';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db.js';
import { exportXlsx, maxExportRows, type SheetColumn } from '../../platform/spreadsheet.js';
import { nameBook } from './names.js';
import { presentSummary } from './presenter.js';
import { filteredCases } from './service.js';

const columns: SheetColumn[] = [
  { header: '事件编号', key: 'code', width: 20 },
  { header: '状态', key: 'status', width: 10 },
  { header: '分类', key: 'category', width: 16 },
  { header: '来源', key: 'channel', width: 12 },
  { header: '描述', key: 'description', width: 50 },
  { header: '地址', key: 'address', width: 24 },
  { header: '街道', key: 'street', width: 14 },
  { header: '社区', key: 'community', width: 18 },
  { header: '网格', key: 'grid', width: 22 },
  { header: '承办', key: 'assignee', width: 14 },
  { header: '上报时间', key: 'reportedAt', width: 20 },
  { header: '当前时限', key: 'dueAt', width: 20 },
  { header: '超期', key: 'overdue', width: 6 },
  { header: '督办', key: 'supervised', width: 6 },
  { header: '结案时间', key: 'closedAt', width: 20 },
  { header: '评价', key: 'rating', width: 10 },
];

/** A time as Beijing wall-clock minutes, as the console shows it. */
const beijing = (iso: string | null) =>
  iso ? new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '';

/**
 * 事件清单: the cases of the list's filters as a spreadsheet, audited. The rows go through the
 * list's presenter, so no reporter data leaves in the file; past the export limit it is refused.
 */
export async function exportCases(
  db: Db,
  actor: Actor,
  q: CaseFilterQuery,
  meta: RequestMeta,
): Promise<{ file: Buffer; day: string }> {
  const rows = await filteredCases(db, actor, q, maxExportRows + 1);
  const book = await nameBook(db);
  const file = await exportXlsx([
    {
      name: '事件',
      columns,
      rows: rows.map((r) => {
        const s = presentSummary(r, book, new Map());
        return {
          code: s.code,
          status: caseStateNames[s.status].zh,
          category: s.categoryName,
          channel: caseChannelNames[s.channel],
          description: s.description,
          address: s.address ?? '',
          street: s.streetName ?? '',
          community: s.communityName ?? '',
          grid: s.gridName ?? '',
          assignee: s.assignee?.name ?? '',
          reportedAt: beijing(s.reportedAt),
          dueAt: beijing(s.deadlines.dueAt),
          overdue: s.overdue ? '是' : '',
          supervised: s.supervised ? '是' : '',
          closedAt: beijing(s.closedAt),
          rating: r.rating ? ratingNames[r.rating as keyof typeof ratingNames] : '',
        };
      }),
    },
  ]);
  await db.transaction((tx) =>
    appendAudit(tx, auditActorOf(actor, meta), {
      action: 'case.exported',
      payload: { rows: rows.length, filters: Object.keys(q) },
    }),
  );
  return { file, day: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10) };
}
