import { useEffect, useState } from 'react';
import { HttpError, type Reply, request } from './api.js';
import { fmtTime, toast } from './ui.js';

type Req = Reply<'GET /api/proxy-requests'>['items'][number];

const statusName: Record<Req['status'], string> = {
  open: '待接单',
  taken: '已接单',
  done: '已代办',
  cancelled: '已取消',
};

/**
 * 居民帮办请求 on the 帮办代办 page: what residents of the worker's grid asked for from the
 * portal (请网格员帮办). One worker takes a request; when he then takes the matter in for that
 * resident, the request links to the application and closes.
 */
export function ProxyRequestList({ startNew }: { startNew: () => void }) {
  const [items, setItems] = useState<Req[] | null>(null);
  const [failed, setFailed] = useState(false);
  const load = () =>
    request('GET /api/proxy-requests', { query: { page: 1, pageSize: 30 } })
      .then((r) => {
        setItems(r.items.filter((i) => i.status === 'open' || i.status === 'taken'));
        setFailed(false);
      })
      .catch(() => setFailed(true));
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per screen
  useEffect(() => void load(), []);
  const act = (id: string, action: 'take' | 'cancel') =>
    request(`POST /api/proxy-requests/:id/actions/${action}`, { params: { id } })
      .then(() => {
        toast(action === 'take' ? '已接单，请与居民联系' : '已取消');
        return load();
      })
      .catch((e) => {
        toast(e instanceof HttpError ? e.message : '操作失败，请重试');
        return load();
      });
  return (
    <section data-testid="m-proxy-requests">
      <h3>居民帮办请求</h3>
      {failed && <p className="error">居民请求加载失败，请稍后重试</p>}
      {!failed && items === null && <p className="muted">加载中…</p>}
      {items?.length === 0 && <p className="empty">暂无待处理的居民请求</p>}
      <ul className="list">
        {items?.map((r) => (
          <li key={r.id} data-testid="m-proxy-request">
            <div className="row">
              <b className="clip">{r.itemName}</b>
              <span className={`tag ${r.status === 'open' ? 'orange' : ''}`}>{statusName[r.status]}</span>
            </div>
            <div className="muted">
              {r.requesterName}
              {r.phoneMasked ? ` · ${r.phoneMasked}` : ''}
              {r.contactTime ? ` · ${r.contactTime}` : ''}
            </div>
            {r.note && <div>{r.note}</div>}
            <div className="muted small">
              {fmtTime(r.createdAt)}
              {r.takenByName ? ` · 接单：${r.takenByName}` : ''}
            </div>
            <div className="row">
              {r.allowedActions.includes('take') && (
                <button
                  type="button"
                  className="primary"
                  data-testid="m-proxy-take"
                  onClick={() => act(r.id, 'take')}
                >
                  接单
                </button>
              )}
              {r.status === 'taken' && r.allowedActions.includes('cancel') && (
                <>
                  <button type="button" onClick={startNew}>
                    为其代办
                  </button>
                  <button type="button" className="link" onClick={() => act(r.id, 'cancel')}>
                    取消
                  </button>
                </>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
