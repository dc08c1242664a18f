import type { PublicReport } from '@civicgrid/core/api/publicReports';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type Reply, request } from '../m/api.js';
import { ns } from './noticeStrings.js';
import { navigate } from './router.js';

type NoticeList = Reply<'GET /api/my/notices'>;
const day = (iso: string) => iso.slice(0, 10);

/** A resident bound to no dwelling picks his community first. */
function PickCommunity({ done }: { done: (l: NoticeList) => void }) {
  const [items, setItems] = useState<Reply<'GET /api/my/notice-communities'>['items'] | null>(null);
  const [picked, setPicked] = useState('');
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    request('GET /api/my/notice-communities')
      .then((r) => setItems(r.items))
      .catch(() => setFailed(true));
  }, []);
  if (failed) return <p className="error">{ns.failed}</p>;
  if (!items) return <p className="r-loading">…</p>;
  return (
    <div className="r-box">
      <p>{ns.pickLead}</p>
      <select
        value={picked}
        data-testid="r-notice-community"
        onChange={(e) => setPicked((e.target as HTMLSelectElement).value)}
      >
        <option value="">—</option>
        {items.map((c) => (
          <option key={c.id} value={c.id}>
            {c.streetName} · {c.name}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="primary"
        disabled={!picked}
        onClick={() =>
          request('PUT /api/my/notice-community', { body: { communityId: Number(picked) } })
            .then(done)
            .catch(() => setFailed(true))
        }
      >
        {ns.pickButton}
      </button>
    </div>
  );
}

/** 通知公告: the notices of his community and the areas above it, pinned first, unread marked. */
export function NoticesPage() {
  const [list, setList] = useState<NoticeList | null>(null);
  const [failed, setFailed] = useState(false);
  const [picking, setPicking] = useState(false);
  const load = useCallback(() => {
    setFailed(false);
    request('GET /api/my/notices', { query: { page: 1, pageSize: 50 } })
      .then(setList)
      .catch(() => setFailed(true));
  }, []);
  useEffect(load, [load]);
  if (failed)
    return (
      <p className="error">
        {ns.failed}{' '}
        <button type="button" className="r-link" onClick={load}>
          {ns.retry}
        </button>
      </p>
    );
  if (!list) return <p className="r-loading">…</p>;
  if (!list.community || picking)
    return (
      <PickCommunity
        done={(l) => {
          setPicking(false);
          setList(l);
        }}
      />
    );
  return (
    <>
      <p className="r-card-meta">
        {list.community.name}
        {list.unread > 0 && ` · ${ns.unread(list.unread)}`}
        {list.community.how === 'picked' && (
          <button type="button" className="r-link" onClick={() => setPicking(true)}>
            {ns.change}
          </button>
        )}
      </p>
      {list.items.length === 0 ? (
        <p className="r-empty">{ns.empty}</p>
      ) : (
        <ul className="r-list" data-testid="r-notices">
          {list.items.map((n) => (
            <li key={n.id}>
              <button type="button" className="r-card" onClick={() => navigate(`/r/notices/${n.id}`)}>
                <span className="r-card-top">
                  <strong data-testid="r-notice-title">{n.title}</strong>
                  {!n.read && (
                    <span className="r-step" data-testid="r-notice-unread">
                      {ns.unreadMark}
                    </span>
                  )}
                </span>
                <span className="r-card-meta">
                  {n.pinned && `${ns.pinned} · `}
                  {ns.kind[n.kind]} · {n.areaName} · {day(n.publishAt)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** One notice, its paragraphs and attachments; opening it counts as read (once). */
export function NoticePage({ id }: { id: string }) {
  const [n, setN] = useState<Reply<'GET /api/my/notices/:id'> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    request('GET /api/my/notices/:id', { params: { id } })
      .then(setN)
      .catch(() => setFailed(true));
  }, [id]);
  if (failed) return <p className="error">{ns.failed}</p>;
  if (!n) return <p className="r-loading">…</p>;
  return (
    <article className="r-box" data-testid="r-notice">
      <h2>{n.title}</h2>
      <p className="r-card-meta">
        <span className="r-tag">{ns.kind[n.kind]}</span> {ns.from(n.areaName)} · {day(n.publishAt)}
      </p>
      {n.body
        .split(/\n\s*\n/)
        .filter((p) => p.trim())
        .map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of a text that does not change
          <p key={i} style={{ whiteSpace: 'pre-line', lineHeight: 1.7 }}>
            {p.trim()}
          </p>
        ))}
      {n.attachments.length > 0 && (
        <p>
          {ns.attachments}：
          {n.attachments.map((a) => (
            <a key={a.id} href={a.url} target="_blank" rel="noreferrer" style={{ marginRight: 8 }}>
              {a.name}
            </a>
          ))}
        </p>
      )}
    </article>
  );
}

/** 问题地图: the public reports near here, as a list or (loaded on demand) on a map. */
export function PublicMapPage() {
  const [items, setItems] = useState<PublicReport[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [onMap, setOnMap] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const view = useRef<{ show(i: PublicReport[]): void; destroy(): void } | null>(null);
  const load = useCallback((bbox?: string) => {
    request('GET /api/public/reports', { query: { limit: 200, ...(bbox ? { bbox } : {}) } })
      .then((r) => {
        setItems(r.items);
        view.current?.show(r.items);
      })
      .catch(() => setFailed(true));
  }, []);
  useEffect(() => load(), [load]);
  useEffect(() => {
    if (!onMap) return;
    let gone = false;
    import('./publicMapView.js')
      .then((m) => {
        if (!gone && box.current) view.current = m.mountPublicMap(box.current, load);
      })
      .catch(() => setFailed(true));
    return () => {
      gone = true;
      view.current?.destroy();
      view.current = null;
    };
  }, [onMap, load]);
  return (
    <>
      <p className="r-card-meta">{ns.mapLead}</p>
      <div className="r-tabs" role="tablist">
        {([false, true] as const).map((m) => (
          <button
            key={String(m)}
            type="button"
            role="tab"
            aria-selected={onMap === m}
            className={`r-tab${onMap === m ? ' on' : ''}`}
            data-testid={m ? 'r-map-tab' : 'r-list-tab'}
            onClick={() => setOnMap(m)}
          >
            {m ? ns.mapView : ns.listView}
          </button>
        ))}
      </div>
      {onMap && <div ref={box} className="r-map" style={{ height: 360 }} data-testid="r-public-map" />}
      {failed ? (
        <p className="error">{ns.failed}</p>
      ) : !items ? (
        <p className="r-loading">…</p>
      ) : items.length === 0 ? (
        <p className="r-empty">{ns.mapEmpty}</p>
      ) : (
        <ul className="r-list" data-testid="r-public-reports">
          {items.map((r) => (
            <li key={r.ref} className="r-card">
              <span className="r-card-top">
                <strong>{r.category}</strong>
                <span
                  className={`r-step${r.status === 'closed' || r.status === 'fixed' ? ' r-step-closed' : ''}`}
                >
                  {r.statusText}
                </span>
              </span>
              {r.description && <span className="r-card-text">{r.description}</span>}
              <span className="r-card-meta">{ns.reportedAt(day(r.reportedAt))}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
