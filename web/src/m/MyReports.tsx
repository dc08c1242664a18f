import { type CaseState, caseStateNames } from '@civicgrid/core/cases/stateMachine';
import { useEffect, useState } from 'react';
import { type Reply, request } from './api.js';
import { cache, cached, onOutboxChange, type SentReport, sentReports } from './store.js';
import { syncNow } from './sync.js';
import { fmtTime } from './ui.js';
import { useOutbox } from './useOutbox.js';

/** 本地编号: the first eight characters of the id the phone made, enough to tell reports apart. */
export const localNumber = (id: string) => id.slice(0, 8).toUpperCase();

const stateName = (s: string) => caseStateNames[s as CaseState]?.zh ?? s;

type MyCase = Pick<
  Reply<'GET /api/cases'>['items'][number],
  'id' | 'code' | 'status' | 'categoryName' | 'description' | 'reportedAt'
>;

function useSent() {
  const [sent, setSent] = useState<SentReport[]>([]);
  useEffect(() => {
    const load = () => void sentReports().then(setSent);
    load();
    return onOutboxChange(load);
  }, []);
  return sent;
}

/**
 * Shown once a report is saved: its local number at once, and the case number as soon as
 * the server has it (online, within a moment; offline, when the phone reconnects).
 */
export function ReportReceipt({
  localId,
  again,
  openList,
}: {
  localId: string;
  again: () => void;
  openList: () => void;
}) {
  const pending = useOutbox().find((e) => e.id === localId);
  const sent = useSent().find((s) => s.localId === localId);
  return (
    <div className="screen center" data-testid="m-report-receipt">
      <div className="card" style={{ width: '100%' }}>
        {sent ? (
          <>
            <b>已上报</b>
            <p>
              事件编号 <b data-testid="m-report-code">{sent.code}</b>
            </p>
            <div className="muted">状态：{stateName(sent.status)}</div>
          </>
        ) : pending?.status === 'failed' ? (
          <>
            <b className="error">未能上报</b>
            <p className="error">原因：{pending.error}</p>
            <div className="muted">本地编号 {localNumber(localId)}，可在“待发送”中修改后重试</div>
          </>
        ) : (
          <>
            <b>待发送</b>
            <p>
              本地编号 <b data-testid="m-report-local">{localNumber(localId)}</b>
            </p>
            <div className="muted">
              {navigator.onLine ? '正在上报…' : '当前离线，联网后自动上报，事件编号届时显示'}
            </div>
          </>
        )}
      </div>
      <button type="button" className="primary" onClick={again}>
        继续上报
      </button>
      <button type="button" className="link" onClick={openList} data-testid="m-report-mine">
        查看我的上报
      </button>
    </div>
  );
}

/** 我的上报: what is still on the phone (待发送, with its local number), then what the server has. */
export function MyReportsScreen() {
  const pending = useOutbox().filter((e) => e.kind === 'case');
  const sent = useSent();
  const [cases, setCases] = useState<MyCase[] | null>(null);
  const [state, setState] = useState<'loading' | 'ok' | 'offline'>('loading');
  useEffect(() => {
    const load = async () => {
      try {
        const r = await request('GET /api/cases', { query: { view: 'mine', pageSize: 50 } });
        await cache('my-cases', r.items);
        setCases(r.items);
        setState('ok');
      } catch {
        setCases((await cached<MyCase[]>('my-cases')) ?? []);
        setState('offline');
      }
    };
    void load();
    // A report sent while the list is open joins it.
    return onOutboxChange(() => void load());
  }, []);
  // Sent since the list was last fetched (or while offline): known by the receipt.
  const listed = new Set((cases ?? []).map((c) => c.id));
  const fresh = sent.filter((s) => !listed.has(s.caseId) && Date.now() - s.sentAt < 86_400_000);
  return (
    <div className="screen" data-testid="m-my-reports">
      <div className="bar">
        <span className="muted">
          {state === 'offline' ? '离线：显示上次的列表' : state === 'loading' ? '正在刷新…' : ''}
        </span>
        {pending.length > 0 && (
          <button type="button" className="link" onClick={() => void syncNow()}>
            立即发送
          </button>
        )}
      </div>
      {pending.length + fresh.length + (cases?.length ?? 0) === 0 && state !== 'loading' && (
        <p className="empty">还没有上报过事件</p>
      )}
      <ul className="list">
        {pending.map((e) => (
          <li key={e.id} className={e.status === 'failed' ? 'failed' : ''} data-testid="m-my-report-pending">
            <div className="row">
              <b className="clip">{e.label}</b>
              <span className={`tag ${e.status === 'failed' ? 'red' : 'orange'}`}>
                {e.status === 'failed' ? '发送失败' : '待发送'}
              </span>
            </div>
            <div className="muted">
              本地编号 {localNumber(e.id)} · {fmtTime(new Date(e.createdAt).toISOString())}
            </div>
            {e.error && <div className="error">原因：{e.error}</div>}
          </li>
        ))}
        {fresh.map((s) => (
          <li key={s.localId}>
            <div className="row">
              <b>{s.code}</b>
              <span className="tag">{stateName(s.status)}</span>
            </div>
            <div className="muted">
              本地编号 {localNumber(s.localId)} · {fmtTime(new Date(s.sentAt).toISOString())}
            </div>
          </li>
        ))}
        {cases?.map((c) => (
          <li key={c.id} data-testid="m-my-report">
            <div className="row">
              <b>{c.categoryName}</b>
              <span className={`tag ${c.status === 'closed' ? '' : 'orange'}`}>{stateName(c.status)}</span>
            </div>
            <div className="clip">{c.description}</div>
            <div className="muted">
              {c.code} · {fmtTime(c.reportedAt)}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
