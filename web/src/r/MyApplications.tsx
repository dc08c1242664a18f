import { useCallback, useEffect, useState } from 'react';
import { HttpError, type Reply, request } from '../m/api.js';
import { toast } from '../m/ui.js';
import { navigate } from './router.js';
import { s } from './strings.js';
import { sv } from './svcStrings.js';

const day = (iso: string) => new Date(iso).toLocaleDateString('zh-CN');
const time = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', {
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });

/** 我的办件: his online applications, newest first, each with where it stands. */
export function MyApplications() {
  const [list, setList] = useState<Reply<'GET /api/my/applications'> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    request('GET /api/my/applications', { query: { page: 1, pageSize: 50 } })
      .then(setList)
      .catch(() => setFailed(true));
  }, []);
  if (failed) return <p className="error">{s.failed}</p>;
  if (!list) return <p className="r-loading">{s.loading}</p>;
  if (list.items.length === 0) return <p className="r-empty">{sv.noApps}</p>;
  return (
    <ul className="r-list" data-testid="r-applications">
      {list.items.map((a) => (
        <li key={a.id}>
          <button type="button" className="r-card" onClick={() => navigate(`/r/applications/${a.id}`)}>
            <span className="r-card-top">
              <strong>{a.serviceName}</strong>
              <span className={`r-step r-step-${a.step}`} data-testid="r-application-step">
                {sv.steps[a.step]}
              </span>
            </span>
            <span className="r-card-meta">
              {a.code} · {day(a.createdAt)}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** One application: the plain timeline, what is asked of him, the certificate, 好差评. */
export function ApplicationPage({ id }: { id: string }) {
  const [a, setA] = useState<Reply<'GET /api/my/applications/:id'> | null>(null);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    request('GET /api/my/applications/:id', { params: { id } })
      .then(setA)
      .catch(() => setFailed(true));
  }, [id]);
  useEffect(load, [load]);
  if (failed) return <p className="error">{s.failed}</p>;
  if (!a) return <p className="r-loading">{s.loading}</p>;
  const rate = async (level: number) => {
    setBusy(true);
    try {
      await request('POST /api/my/applications/:id/rating', { params: { id }, body: { level } });
      toast(s.rateThanks);
      load();
    } catch (e) {
      toast(e instanceof HttpError ? e.message : s.failed);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="r-detail" data-testid="r-application">
      <section className="r-box">
        <div className="r-card-top">
          <strong>{a.serviceName}</strong>
          <span className={`r-step r-step-${a.step}`} data-testid="r-application-now">
            {sv.steps[a.step]}
          </span>
        </div>
        <p className="r-card-meta">{a.code}</p>
        {a.dueDate && <p className="r-card-meta">{sv.dueDate(a.dueDate)}</p>}
      </section>
      <ol className="r-timeline" data-testid="r-timeline">
        {a.timeline.map((e, i) => (
          <li key={`${e.step}-${e.at}`} className={i === a.timeline.length - 1 ? 'now' : ''}>
            <span className="r-timeline-step">{sv.steps[e.step]}</span>
            <span className="r-card-meta">{time(e.at)}</span>
            {e.note && (
              <p className="r-timeline-text">
                {e.step === 'rejected' ? `${sv.reason}：` : `${sv.missing}：`}
                {e.note}
              </p>
            )}
          </li>
        ))}
      </ol>
      {a.missing.length > 0 && (
        <p className="r-box">
          {sv.missing}：{a.missing.join('、')}
        </p>
      )}
      {a.result && a.step !== 'rejected' && (
        <section className="r-box">
          <h2>{sv.result}</h2>
          <p>{a.result}</p>
        </section>
      )}
      {a.certificate && (
        <a
          className="primary wide r-button-link"
          data-testid="r-certificate"
          href={`/api/my/applications/${encodeURIComponent(a.id)}/certificate.pdf`}
          download
        >
          {sv.certificate}
        </a>
      )}
      {a.rating !== null && (
        <p className="r-box" data-testid="r-app-rating">
          {sv.rated(s.rateLevels[a.rating - 1] ?? '')}
        </p>
      )}
      {a.canRate && (
        <section className="r-box" data-testid="r-app-rate">
          <h2>{sv.rateTitle}</h2>
          <div className="r-levels">
            {s.rateLevels.map((label, i) => (
              <button
                key={label}
                type="button"
                className={`r-level r-level-${i + 1}`}
                disabled={busy}
                onClick={() => rate(i + 1)}
              >
                {label}
              </button>
            ))}
          </div>
        </section>
      )}
    </div>
  );
}

/** 消息: his notifications, newest first; opening one marks it read and opens its page. */
export function NotificationsPage() {
  const [list, setList] = useState<Reply<'GET /api/notifications'> | null>(null);
  const [failed, setFailed] = useState(false);
  const load = useCallback(() => {
    request('GET /api/notifications', { query: { page: 1, pageSize: 50 } })
      .then(setList)
      .catch(() => setFailed(true));
  }, []);
  useEffect(load, [load]);
  if (failed) return <p className="error">{s.failed}</p>;
  if (!list) return <p className="r-loading">{s.loading}</p>;
  if (list.items.length === 0) return <p className="r-empty">{sv.noNotifications}</p>;
  const open = async (n: (typeof list.items)[number]) => {
    if (!n.readAt)
      await request('POST /api/notifications/:id/read', { params: { id: n.id } }).catch(() => undefined);
    if (n.link?.startsWith('/r/')) navigate(n.link);
    else load();
  };
  return (
    <div className="r-form">
      {list.unread > 0 && (
        <button
          type="button"
          className="r-secondary"
          onClick={() => request('POST /api/notifications/read-all').then(load, load)}
        >
          {sv.readAll}
        </button>
      )}
      <ul className="r-list" data-testid="r-notifications">
        {list.items.map((n) => (
          <li key={n.id}>
            <button
              type="button"
              className={`r-card${n.readAt ? ' r-read' : ''}`}
              data-unread={n.readAt ? 'false' : 'true'}
              onClick={() => open(n)}
            >
              <span className="r-card-top">
                <strong>{n.title}</strong>
                {!n.readAt && <span className="r-dot" />}
              </span>
              {n.body && <span className="r-card-text">{n.body}</span>}
              <span className="r-card-meta">{time(n.createdAt)}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
