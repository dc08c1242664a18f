import { useEffect, useState } from 'react';
import { get, HttpError, type Me, post, type Reply, request } from './api.js';
import { Field, fmtTime, PhotoPicker, toast } from './ui.js';

type OrderSummary = Reply<'GET /api/eldercare/orders'>['items'][number];
type Order = Reply<'GET /api/eldercare/orders/:id'>;

const stateNames: Record<string, string> = {
  dispatched: '待接单',
  accepted: '已接单',
  arrived: '服务中',
  finished: '已完成',
  closed: '已回访',
  cancelled: '已取消',
  pending: '待派单',
};

/** The phone's position now (服务到达 is checked against the elder's address on the server). */
function here(): Promise<{ lat: number; lng: number }> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error('此设备不能定位'));
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }),
      () => reject(new Error('无法获取定位，请打开定位权限后重试')),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 10_000 },
    );
  });
}

const act = (id: string, action: string, body: unknown = {}) =>
  post<Order>(`/api/eldercare/orders/${id}/actions/${action}`, body);

/** One order: the elder, the need, the address; accept, arrive (with the position), finish with a photo. */
function OrderScreen({ id, done }: { id: string; done: () => void }) {
  const [o, setO] = useState<Order | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<Blob[]>([]);
  useEffect(() => {
    request('GET /api/eldercare/orders/:id', { params: { id } })
      .then(setO)
      .catch((e) => setError(e instanceof Error ? e.message : '加载失败'));
  }, [id]);
  const run = async (fn: () => Promise<Order>, ok: string) => {
    setBusy(true);
    try {
      setO(await fn());
      toast(ok);
    } catch (e) {
      toast(e instanceof HttpError ? e.message : e instanceof Error ? e.message : '操作失败，请重试');
    } finally {
      setBusy(false);
    }
  };
  if (error) return <div className="card error">{error}</div>;
  if (!o) return <div className="card muted">加载中…</div>;
  const can = (a: string) => o.allowedActions.includes(a as Order['allowedActions'][number]);
  return (
    <div className="screen" data-testid="m-order">
      <div className="card">
        <p>
          <b>{o.serviceName}</b> ·{' '}
          <span data-testid="m-order-status">{stateNames[o.status] ?? o.status}</span>
        </p>
        <p>
          {o.elderName}（{o.age} 岁）
        </p>
        <p className="muted">
          {o.areaName} {o.address}
        </p>
        <p className="muted">期望时间：{fmtTime(o.requestedAt)}</p>
        {o.note && <p>需求：{o.note}</p>}
        {o.callerName && (
          <p className="muted">
            联系人：{o.callerName}
            {o.callerRelation ? `（${o.callerRelation}）` : ''} {o.callerPhone ?? ''}
          </p>
        )}
      </div>
      {can('accept') && (
        <button
          type="button"
          className="primary"
          disabled={busy}
          data-testid="m-order-accept"
          onClick={() => run(() => act(o.id, 'accept'), '已接单')}
        >
          接单
        </button>
      )}
      {can('arrive') && (
        <button
          type="button"
          className="primary"
          disabled={busy}
          data-testid="m-order-arrive"
          onClick={() => run(async () => act(o.id, 'arrive', { location: await here() }), '已到达，开始服务')}
        >
          到达（上传当前位置）
        </button>
      )}
      {can('finish') && (
        <div className="card">
          <Field label="服务情况">
            <textarea
              value={note}
              maxLength={500}
              onChange={(e) => setNote(e.target.value)}
              data-testid="m-order-note"
            />
          </Field>
          <Field label="服务照片">
            <PhotoPicker value={photos} onChange={setPhotos} max={3} testId="m-order-photo" />
          </Field>
          <button
            type="button"
            className="primary"
            disabled={busy}
            data-testid="m-order-finish"
            onClick={() => {
              if (!note.trim()) return toast('请填写服务情况');
              if (!photos.length) return toast('请拍一张服务照片');
              return run(async () => {
                const fileIds: string[] = [];
                for (const b of photos) {
                  const form = new FormData();
                  form.append('file', b, 'photo.jpg');
                  fileIds.push((await post<Reply<'POST /api/files'>>('/api/files', form)).id);
                }
                return act(o.id, 'finish', { note, fileIds });
              }, '服务已完成');
            }}
          >
            完成服务
          </button>
        </div>
      )}
      {!o.allowedActions.length && (
        <button type="button" className="link" onClick={done}>
          返回列表
        </button>
      )}
    </div>
  );
}

/**
 * 服务商 on /m (issue 20): the orders dispatched to the staff's provider — the ones waiting
 * for them first — then accept, arrive and finish with a photo, one order at a time.
 */
export function ProviderApp({ me, logout }: { me: Me; logout: () => void }) {
  const [open, setOpen] = useState<string | null>(null);
  const [all, setAll] = useState(false);
  const [items, setItems] = useState<OrderSummary[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    if (open) return;
    setItems(null);
    setError('');
    get<Reply<'GET /api/eldercare/orders'>>(`/api/eldercare/orders?pageSize=50${all ? '' : '&open=true'}`)
      .then((r) => setItems(r.items))
      .catch((e) => setError(e instanceof Error ? e.message : '加载失败'));
  }, [open, all]);
  return (
    <div className="app">
      <header>
        {open ? (
          <button type="button" className="back" onClick={() => setOpen(null)}>
            ‹
          </button>
        ) : (
          <span className="dot on" />
        )}
        <span className="title">{open ? '工单' : '我的服务工单'}</span>
        <button type="button" className="outbox" onClick={logout}>
          退出
        </button>
      </header>
      <main>
        {open ? (
          <OrderScreen id={open} done={() => setOpen(null)} />
        ) : (
          <div className="screen" data-testid="m-provider-orders">
            <p className="muted">{me.displayName}</p>
            <div style={{ display: 'flex', gap: 8, margin: '8px 0' }}>
              <button type="button" onClick={() => setAll(false)}>
                待办
              </button>
              <button type="button" className={all ? 'on' : ''} onClick={() => setAll(true)}>
                全部
              </button>
            </div>
            {error && <div className="card error">{error}</div>}
            {!items && !error && <div className="card muted">加载中…</div>}
            {items?.length === 0 && <div className="card muted">暂无工单</div>}
            {items?.map((o) => (
              <button
                type="button"
                key={o.id}
                className="card task"
                onClick={() => setOpen(o.id)}
                data-testid="m-provider-order"
              >
                <b>{o.serviceName}</b> · {stateNames[o.status] ?? o.status}
                <br />
                <span className="muted">
                  {o.elderName}（{o.age}）{o.areaName} · {fmtTime(o.requestedAt)}
                </span>
              </button>
            ))}
          </div>
        )}
      </main>
    </div>
  );
}
