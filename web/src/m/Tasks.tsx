import { useCallback, useEffect, useRef, useState } from 'react';
import { HttpError, type Reply, request } from './api.js';
import type { Unsettled } from './Settle.js';
import { cache, cached } from './store.js';
import { fmtTime } from './ui.js';

/** A case waiting for me, as the case list gives it, with the to-do view it came from. */
export type CaseTask = Pick<
  Reply<'GET /api/cases'>['items'][number],
  | 'id'
  | 'code'
  | 'status'
  | 'categoryName'
  | 'description'
  | 'address'
  | 'gridName'
  | 'overdue'
  | 'warning'
  | 'reportedAt'
> & { view: keyof typeof viewNames };
/** A care case due a visit, as `GET /api/care/todo` gives it. */
export type VisitTask = Pick<
  Reply<'GET /api/care/todo'>['items'][number],
  'id' | 'residentName' | 'categoryName' | 'riskLevel' | 'nextVisitDue' | 'overdue' | 'gridName'
>;
interface TaskList {
  cases: CaseTask[];
  visits: VisitTask[];
  /** Basic data to check: people of my grid with no dwelling on record. */
  unsettled: Unsettled[];
  at: number;
}

const viewNames = {
  toClaim: '待签收',
  inProgress: '处置中',
  toVerify: '待核查',
  toFollowUp: '待回访',
} as const;

/** My tasks from the server, kept on the phone so the last list opens without a network. */
async function loadTasks(): Promise<TaskList> {
  const views = Object.keys(viewNames) as CaseTask['view'][];
  const [lists, visits] = await Promise.all([
    Promise.all(
      views.map((v) =>
        request('GET /api/cases', { query: { view: v, pageSize: 50, sort: 'dueAt' } }).then((r) =>
          r.items.map((c) => ({ ...c, view: v })),
        ),
      ),
    ),
    request('GET /api/care/todo').catch(() => ({ items: [] as VisitTask[] })),
  ]);
  const unsettled = await request('GET /api/residents', { query: { unsettled: 'true', pageSize: 50 } }).catch(
    () => ({
      items: [] as Unsettled[],
    }),
  );
  const seen = new Set<string>();
  const cases = lists
    .flat()
    .filter((c) => !seen.has(c.id) && seen.add(c.id))
    // Overdue first, then the nearest deadline (the server sorted by due date).
    .sort((a, b) => Number(b.overdue) - Number(a.overdue));
  const list = { cases, visits: visits.items, unsettled: unsettled.items, at: Date.now() };
  await cache('tasks', list);
  return list;
}

export function TasksScreen({
  open,
}: {
  open: (
    t:
      | { kind: 'case'; task: CaseTask }
      | { kind: 'visit'; task: VisitTask }
      | { kind: 'settle'; person: Unsettled },
  ) => void;
}) {
  const [list, setList] = useState<TaskList | null>(null);
  const [state, setState] = useState<'loading' | 'ok' | 'offline' | 'failed'>('loading');
  const [problem, setProblem] = useState('');
  const refresh = useCallback(async () => {
    setState('loading');
    try {
      setList(await loadTasks());
      setState('ok');
    } catch (e) {
      setList((await cached<TaskList>('tasks')) ?? null);
      // The server answered with a refusal: that is not being offline.
      if (e instanceof HttpError) {
        setProblem(e.message);
        setState('failed');
      } else setState('offline');
    }
  }, []);
  useEffect(() => {
    void cached<TaskList>('tasks').then((c) => c && setList((cur) => cur ?? c));
    void refresh();
  }, [refresh]);
  // Pull down at the top to refresh.
  const startY = useRef<number | null>(null);
  return (
    <div
      className="screen"
      onTouchStart={(e) => {
        startY.current = window.scrollY === 0 ? (e.touches[0]?.clientY ?? null) : null;
      }}
      onTouchEnd={(e) => {
        const y = e.changedTouches[0]?.clientY ?? 0;
        if (startY.current !== null && y - startY.current > 70) void refresh();
        startY.current = null;
      }}
    >
      <div className="bar">
        <span className="muted">
          {state === 'loading'
            ? '正在刷新…'
            : state === 'offline'
              ? `离线：显示 ${list ? fmtTime(new Date(list.at).toISOString()) : ''} 的任务`
              : state === 'failed'
                ? `刷新失败：${problem}`
                : `已更新 ${list ? fmtTime(new Date(list.at).toISOString()) : ''}`}
        </span>
        <button type="button" className="link" onClick={() => void refresh()}>
          刷新
        </button>
      </div>
      {list && list.cases.length + list.visits.length + (list.unsettled?.length ?? 0) === 0 && (
        <p className="empty">暂无待办任务</p>
      )}
      <ul className="list" data-testid="m-tasks">
        {list?.visits.map((v) => (
          <li key={`v${v.id}`}>
            <button type="button" onClick={() => open({ kind: 'visit', task: v })}>
              <div className="row">
                <b>走访 · {v.residentName}</b>
                {v.overdue ? (
                  <span className="tag red">逾期</span>
                ) : (
                  <span className="tag">{fmtTime(v.nextVisitDue)}</span>
                )}
              </div>
              <div className="muted">
                {v.categoryName} · 风险{{ high: '高', medium: '中', low: '低' }[v.riskLevel]} · {v.gridName}
              </div>
            </button>
          </li>
        ))}
        {list?.unsettled?.map((p) => (
          <li key={`u${p.id}`}>
            <button type="button" onClick={() => open({ kind: 'settle', person: p })}>
              <div className="row">
                <b>核实住址 · {p.name}</b>
                <span className="tag orange">待核实</span>
              </div>
              <div className="muted">
                {p.sex === 'male' ? '男' : '女'} · {p.age} 岁 · 尚未登记住址
              </div>
            </button>
          </li>
        ))}
        {list?.cases.map((c) => (
          <li key={c.id}>
            <button type="button" onClick={() => open({ kind: 'case', task: c })}>
              <div className="row">
                <b>{c.categoryName}</b>
                <span className={`tag ${c.overdue ? 'red' : c.warning ? 'orange' : ''}`}>
                  {c.overdue ? '超期' : viewNames[c.view]}
                </span>
              </div>
              <div className="clip">{c.description}</div>
              <div className="muted">
                {c.code} · {c.gridName ?? ''} · {fmtTime(c.reportedAt)}
              </div>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
