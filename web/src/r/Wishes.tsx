import { useEffect, useRef, useState } from 'react';
import { newUuid } from '../common/retryKey.js';
import { HttpError, type Reply, request } from '../m/api.js';
import { toast } from '../m/ui.js';
import { s } from './strings.js';

/** The portal's words for 微心愿 (zh-CN). */
export const ws = {
  title: '微心愿',
  link: '微心愿 ›',
  intro: '有什么小心愿？网格员审核后发布，由报到党员和志愿者认领帮您实现。',
  post: '＋ 许个心愿',
  wish: '心愿（一句话）',
  description: '详细说明',
  community: '所在社区',
  pickCommunity: '请选择社区',
  grid: '所在网格',
  pickGrid: '请选择网格',
  send: '提交心愿',
  sent: '已提交，等待网格员审核',
  mine: '我的心愿',
  empty: '您还没有许过心愿',
  rateTitle: '心愿实现了，给个评价吧',
  rate: '提交评价',
  withdraw: '撤回',
  confirmWithdraw: '确认撤回这个心愿？',
  claimedBy: (n: string) => `${n} 已认领`,
  status: {
    submitted: '待审核',
    published: '待认领',
    claimed: '已认领',
    fulfilled: '已实现',
    rated: '已评价',
    withdrawn: '已撤回',
  } as Record<string, string>,
};

type Wish = Reply<'GET /api/wishes'>['items'][number];

/** /r/wishes: post a wish for his grid, follow his wishes, rate one fulfilled, withdraw one unclaimed. */
export function WishesPage() {
  const [list, setList] = useState<Wish[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [posting, setPosting] = useState(false);
  const load = () =>
    request('GET /api/wishes', { query: { mine: 'posted', page: 1, pageSize: 50 } })
      .then((r) => setList(r.items))
      .catch(() => setFailed(true));
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per page
  useEffect(() => void load(), []);
  return (
    <div data-testid="r-wishes">
      <p className="r-card-meta">{ws.intro}</p>
      {posting ? (
        <PostWish
          done={() => {
            setPosting(false);
            void load();
          }}
        />
      ) : (
        <button
          type="button"
          className="primary wide"
          data-testid="r-wish-new"
          onClick={() => setPosting(true)}
        >
          {ws.post}
        </button>
      )}
      <h2>{ws.mine}</h2>
      {failed && <p className="error">{s.failed}</p>}
      {!failed && !list && <p className="r-loading">{s.loading}</p>}
      {list?.length === 0 && <p className="r-empty">{ws.empty}</p>}
      <ul className="r-list">
        {list?.map((w) => (
          <MyWish key={w.id} wish={w} changed={load} />
        ))}
      </ul>
    </div>
  );
}

function MyWish({ wish, changed }: { wish: Wish; changed: () => void }) {
  const [rating, setRating] = useState(5);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const act = async (action: 'rate' | 'withdraw', body: Record<string, unknown> = {}) => {
    setBusy(true);
    try {
      await request('POST /api/wishes/:id/actions/:action', { params: { id: wish.id, action }, body });
      changed();
    } catch (e) {
      toast(e instanceof HttpError ? e.message : s.failed);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="r-card" data-testid="r-wish">
      <span className="r-card-top">
        <strong>{wish.title}</strong>
        <span className="r-tag" data-testid="r-wish-status">
          {ws.status[wish.status]}
        </span>
      </span>
      <span className="r-card-meta">
        {wish.communityName} {wish.gridName}
        {wish.claimedByName ? ` · ${ws.claimedBy(wish.claimedByName)}` : ''}
        {wish.rating ? ` · ${'★'.repeat(wish.rating)}` : ''}
      </span>
      {wish.status === 'fulfilled' && (
        <div className="r-form" data-testid="r-wish-rate-form">
          <span className="field-label">{ws.rateTitle}</span>
          <div className="r-row">
            {[1, 2, 3, 4, 5].map((n) => (
              <button
                key={n}
                type="button"
                className="link"
                aria-pressed={n <= rating}
                data-testid={`r-wish-star-${n}`}
                onClick={() => setRating(n)}
              >
                {n <= rating ? '★' : '☆'}
              </button>
            ))}
          </div>
          <input
            maxLength={200}
            value={comment}
            onInput={(e) => setComment((e.target as HTMLInputElement).value)}
          />
          <button
            type="button"
            className="primary wide"
            disabled={busy}
            data-testid="r-wish-rate"
            onClick={() => act('rate', { rating, ...(comment.trim() ? { comment: comment.trim() } : {}) })}
          >
            {ws.rate}
          </button>
        </div>
      )}
      {(wish.status === 'submitted' || wish.status === 'published') && (
        <button
          type="button"
          className="link"
          disabled={busy}
          onClick={() => {
            if (confirm(ws.confirmWithdraw)) void act('withdraw');
          }}
        >
          {ws.withdraw}
        </button>
      )}
    </li>
  );
}

type Communities = Reply<'GET /api/public/communities'>['items'];

function PostWish({ done }: { done: () => void }) {
  const [f, setF] = useState({ title: '', description: '', community: '', grid: '' });
  const [communities, setCommunities] = useState<Communities | null>(null);
  const [grids, setGrids] = useState<{ id: number; name: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(newUuid());
  useEffect(() => {
    request('GET /api/public/communities')
      .then((r) => setCommunities(r.items))
      .catch(() => setCommunities([]));
  }, []);
  useEffect(() => {
    setGrids([]);
    if (!f.community) return;
    request('GET /api/public/grids', { query: { communityId: Number(f.community) } })
      .then((r) => setGrids(r.items))
      .catch(() => setGrids([]));
  }, [f.community]);
  const set = (k: keyof typeof f) => (e: { target: EventTarget | null }) =>
    setF((x) => ({
      ...x,
      [k]: (e.target as HTMLInputElement).value,
      ...(k === 'community' ? { grid: '' } : {}),
    }));
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await request('POST /api/wishes', {
        body: {
          title: f.title.trim(),
          description: f.description.trim(),
          gridId: Number(f.grid),
          idempotencyKey: key.current,
        },
      });
      toast(ws.sent);
      done();
    } catch (e) {
      setError(e instanceof HttpError ? e.message : s.failed);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="r-box r-form" data-testid="r-wish-form">
      <label className="field">
        <span className="field-label">{ws.wish}</span>
        <input maxLength={50} value={f.title} data-testid="r-wish-title" onInput={set('title')} />
      </label>
      <label className="field">
        <span className="field-label">{ws.description}</span>
        <textarea
          maxLength={500}
          value={f.description}
          data-testid="r-wish-description"
          onInput={set('description')}
        />
      </label>
      <label className="field">
        <span className="field-label">{ws.community}</span>
        <select value={f.community} data-testid="r-wish-community" onChange={set('community')}>
          <option value="">{ws.pickCommunity}</option>
          {communities?.map((c) => (
            <option key={c.id} value={String(c.id)}>
              {c.streetName} {c.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">{ws.grid}</span>
        <select value={f.grid} data-testid="r-wish-grid" onChange={set('grid')}>
          <option value="">{ws.pickGrid}</option>
          {grids.map((g) => (
            <option key={g.id} value={String(g.id)}>
              {g.name}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p className="error" role="alert" data-testid="r-wish-error">
          {error}
        </p>
      )}
      <button type="button" className="primary wide" disabled={busy} data-testid="r-wish-send" onClick={send}>
        {ws.send}
      </button>
    </section>
  );
}
