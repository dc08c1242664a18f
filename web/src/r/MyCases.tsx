import { useCallback, useEffect, useState } from 'react';
import { HttpError, type Reply, request } from '../m/api.js';
import { toast } from '../m/ui.js';
import { navigate } from './router.js';
import { s } from './strings.js';

type MyCase = Reply<'GET /api/my/cases/:id'>;

const day = (iso: string) => new Date(iso).toLocaleDateString('zh-CN');
const time = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', {
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });

/** The step's words: "已派给 城管" names who has it — a department or a unit, never a person. */
function stepText(step: string, unitName?: string | null) {
  const words = s.steps[step] ?? step;
  return step === 'dispatched' && unitName ? `${words} ${unitName}` : words;
}

/** 我的诉求: the resident's reports, newest first, each with where it stands. */
export function MyCases() {
  const [list, setList] = useState<Reply<'GET /api/my/cases'> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    request('GET /api/my/cases', { query: { page: 1, pageSize: 50 } })
      .then(setList)
      .catch(() => setFailed(true));
  }, []);
  if (failed) return <p className="error">{s.failed}</p>;
  if (!list) return <p className="r-loading">{s.loading}</p>;
  if (list.items.length === 0) return <p className="r-empty">{s.empty}</p>;
  return (
    <ul className="r-list" data-testid="r-cases">
      {list.items.map((c) => {
        const last = c.timeline.at(-1);
        return (
          <li key={c.id}>
            <button type="button" className="r-card" onClick={() => navigate(`/r/cases/${c.id}`)}>
              <span className="r-card-top">
                <strong>{c.categoryName}</strong>
                <span className={`r-step r-step-${c.step}`} data-testid="r-case-step">
                  {stepText(c.step, last?.step === 'dispatched' ? last.unitName : null)}
                </span>
              </span>
              <span className="r-card-text">{c.description}</span>
              <span className="r-card-meta">
                {c.code} · {day(c.reportedAt)}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** One report: its timeline, the result and photos staff chose to show, rating and 没修好. */
export function CaseDetail({ id }: { id: string }) {
  const [c, setC] = useState<MyCase | null>(null);
  const [failed, setFailed] = useState(false);
  const load = useCallback(() => {
    request('GET /api/my/cases/:id', { params: { id } })
      .then(setC)
      .catch(() => setFailed(true));
  }, [id]);
  useEffect(load, [load]);
  if (failed) return <p className="error">{s.failed}</p>;
  if (!c) return <p className="r-loading">{s.loading}</p>;
  return (
    <div className="r-detail" data-testid="r-case">
      <section className="r-box">
        <div className="r-card-top">
          <strong>{c.categoryName}</strong>
          {c.anonymous && <span className="r-tag">{s.anonymousTag}</span>}
        </div>
        <p>{c.description}</p>
        {c.address && <p className="r-card-meta">{c.address}</p>}
        <Photos photos={c.photos} />
        <p className="r-card-meta">{c.code}</p>
      </section>
      <ol className="r-timeline" data-testid="r-timeline">
        {c.timeline.map((e, i) => (
          <li key={`${e.step}-${e.at}`} className={i === c.timeline.length - 1 ? 'now' : ''}>
            <span className="r-timeline-step">{stepText(e.step, e.unitName)}</span>
            <span className="r-card-meta">{time(e.at)}</span>
            {e.text && (
              <p className="r-timeline-text">
                {e.step === 'resolved' ? `${s.result}：` : ''}
                {e.text}
              </p>
            )}
            <Photos photos={e.photos} />
          </li>
        ))}
      </ol>
      {c.canRate && <RateCase id={c.id} done={load} />}
      {c.rating && (
        <p className="r-box" data-testid="r-rating">
          {s.yourRating}：{s.ratings[c.rating] ?? c.rating}
        </p>
      )}
      {c.reopenUntil && <NotFixed id={c.id} until={c.reopenUntil} done={load} />}
    </div>
  );
}

function Photos({ photos }: { photos: { url: string; thumbUrl: string }[] }) {
  if (photos.length === 0) return null;
  return (
    <div className="r-photos">
      {photos.map((p) => (
        <a key={p.url} href={p.url} target="_blank" rel="noreferrer">
          <img src={p.thumbUrl} alt="" loading="lazy" />
        </a>
      ))}
    </div>
  );
}

function RateCase({ id, done }: { id: string; done: () => void }) {
  const [rating, setRating] = useState('');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const send = async () => {
    setBusy(true);
    try {
      await request('POST /api/cases/:id/actions/:action', {
        params: { id, action: 'rate' },
        body: { rating, ...(comment.trim() ? { comment: comment.trim() } : {}) },
      });
      toast(s.rated);
      done();
    } catch (e) {
      toast(e instanceof HttpError ? e.message : s.failed);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="r-box" data-testid="r-rate">
      <h2>{s.rateTitle}</h2>
      <div className="r-row">
        {Object.entries(s.ratings).map(([k, label]) => (
          <button
            key={k}
            type="button"
            className={`r-chip${rating === k ? ' on' : ''}`}
            aria-pressed={rating === k}
            onClick={() => setRating(k)}
          >
            {label}
          </button>
        ))}
      </div>
      <textarea
        rows={2}
        maxLength={1000}
        placeholder={s.rateComment}
        value={comment}
        onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
      />
      <button
        type="button"
        className="primary wide"
        disabled={!rating || busy}
        data-testid="r-rate-send"
        onClick={send}
      >
        {s.send}
      </button>
    </section>
  );
}

function NotFixed({ id, until, done }: { id: string; until: string; done: () => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const send = async () => {
    setBusy(true);
    try {
      await request('POST /api/cases/:id/actions/:action', {
        params: { id, action: 'reopen' },
        body: { reason: reason.trim() },
      });
      toast(s.notFixedSent);
      setOpen(false);
      done();
    } catch (e) {
      toast(e instanceof HttpError ? e.message : s.failed);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="r-box">
      {!open ? (
        <div className="r-row r-between">
          <span className="r-card-meta">{s.notFixedUntil(day(until))}</span>
          <button
            type="button"
            className="r-secondary"
            data-testid="r-not-fixed"
            onClick={() => setOpen(true)}
          >
            {s.notFixed}
          </button>
        </div>
      ) : (
        <>
          <textarea
            rows={2}
            maxLength={1000}
            placeholder={s.notFixedReason}
            value={reason}
            data-testid="r-not-fixed-reason"
            onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
          />
          <button
            type="button"
            className="primary wide"
            disabled={reason.trim().length < 2 || busy}
            data-testid="r-not-fixed-send"
            onClick={send}
          >
            {s.send}
          </button>
        </>
      )}
    </section>
  );
}
