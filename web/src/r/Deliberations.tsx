import { useEffect, useState } from 'react';
import { newUuid } from '../common/retryKey.js';
import { HttpError, type Reply, request } from '../m/api.js';
import { toast } from '../m/ui.js';
import { navigate } from './router.js';
import { s } from './strings.js';

/** The portal's words for 议事公开 (居民群众全程监督), zh-CN. */
export const ds = {
  title: '议事公开',
  intro: '社区、街道议事从提议到落实的每一步都在这里公开，欢迎监督、留言。',
  empty: '暂无公开的议事',
  steps: {
    propose: '提出建议',
    convene: '代表开会',
    vote: '表决',
    implement: '抓落实',
    review: '部门审查',
    publish: '结果公开',
  } as Record<string, string>,
  status: {
    proposed: '已提议',
    convened: '已开会',
    adopted: '已通过',
    rejected: '未通过',
    implemented: '已落实',
    reviewed: '已审查',
    published: '已公开',
  } as Record<string, string>,
  meeting: (a: number, r: number) => `应到 ${r} 人，实到 ${a} 人`,
  vote: (f: number, a: number, b: number) => `赞成 ${f} · 反对 ${a} · 弃权 ${b}`,
  supports: (n: number) => `由居民建议转来，${n} 人附议`,
  comments: '居民留言',
  noComments: '还没有留言',
  comment: '写下您的意见（500 字以内）',
  send: '发表留言',
  signIn: '登录后可留言',
  suggestions: '居民建议 · 我有建议 ›',
};

const day = (iso: string) => new Date(iso).toLocaleDateString('zh-CN');

/** /r/deliberations: every deliberation past its proposal, latest step first. */
export function DeliberationList() {
  const [data, setData] = useState<Reply<'GET /api/public/open-deliberations'> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    request('GET /api/public/open-deliberations', { query: { page: 1, pageSize: 50 } })
      .then(setData)
      .catch(() => setFailed(true));
  }, []);
  return (
    <div data-testid="r-deliberations">
      <p className="r-card-meta">{ds.intro}</p>
      <button
        type="button"
        className="r-secondary wide r-gap"
        data-testid="r-suggestions-open"
        onClick={() => navigate('/r/suggestions')}
      >
        {ds.suggestions}
      </button>
      {failed && <p className="error">{s.failed}</p>}
      {!failed && !data && <p className="r-loading">{s.loading}</p>}
      {data?.items.length === 0 && <p className="r-empty">{ds.empty}</p>}
      <ul className="r-list">
        {data?.items.map((d) => (
          <li key={d.id} className="r-card">
            <button type="button" className="r-link" onClick={() => navigate(`/r/deliberations/${d.id}`)}>
              <span className="r-card-top">
                <strong>{d.title}</strong>
                <span className="r-tag">{ds.status[d.status]}</span>
              </span>
              <span className="r-card-meta">
                {d.orgUnitName} · {ds.comments} {d.comments}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** /r/deliberations/{id}: each step with its date, the texts published, and residents' comments. */
export function DeliberationPage({ id, signedIn }: { id: string; signedIn: boolean }) {
  const [d, setD] = useState<Reply<'GET /api/public/deliberations/:id'> | null>(null);
  const [comments, setComments] = useState<Reply<'GET /api/public/deliberations/:id/comments'> | null>(null);
  const [failed, setFailed] = useState(false);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const loadComments = () =>
    request('GET /api/public/deliberations/:id/comments', {
      params: { id },
      query: { page: 1, pageSize: 100 },
    })
      .then(setComments)
      .catch(() => setFailed(true));
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per deliberation
  useEffect(() => {
    request('GET /api/public/deliberations/:id', { params: { id } })
      .then(setD)
      .catch(() => setFailed(true));
    void loadComments();
  }, [id]);
  const send = async () => {
    setBusy(true);
    try {
      await request('POST /api/deliberations/:id/comments', {
        params: { id },
        body: { body: text.trim(), idempotencyKey: newUuid() },
      });
      setText('');
      void loadComments();
    } catch (e) {
      toast(e instanceof HttpError ? e.message : s.failed);
    } finally {
      setBusy(false);
    }
  };
  if (failed) return <p className="error">{s.failed}</p>;
  if (!d) return <p className="r-loading">{s.loading}</p>;
  return (
    <div data-testid="r-deliberation">
      <h2>{d.title}</h2>
      <p className="r-card-meta">
        {d.orgUnitName} · {ds.status[d.status]}
      </p>
      {d.suggestion && <p className="r-card-meta">{ds.supports(d.suggestion.supportCount)}</p>}
      <p className="r-card-text">{d.proposal}</p>
      <ul className="r-list" data-testid="r-deliberation-steps">
        {d.steps.map((st) => (
          <li key={`${st.step}-${st.at}`} className="r-card">
            <span className="r-card-top">
              <strong>{ds.steps[st.step] ?? st.step}</strong>
              <span className="r-card-meta">{day(st.at)}</span>
            </span>
            {st.step === 'convene' && d.meeting && (
              <span className="r-card-meta">
                {ds.meeting(d.meeting.attendees, d.meeting.representatives)}
              </span>
            )}
            {st.step === 'vote' && d.vote && (
              <span className="r-card-meta">{ds.vote(d.vote.for, d.vote.against, d.vote.abstain)}</span>
            )}
            {st.step === 'vote' && d.decision && <span className="r-card-text">{d.decision}</span>}
            {st.step === 'implement' && d.implementation && (
              <span className="r-card-text">{d.implementation}</span>
            )}
            {st.step === 'review' && d.review && <span className="r-card-text">{d.review.note}</span>}
          </li>
        ))}
      </ul>
      <h2>{ds.comments}</h2>
      {comments?.items.length === 0 && <p className="r-empty">{ds.noComments}</p>}
      <ul className="r-list">
        {comments?.items.map((c) => (
          <li key={c.id} className="r-card" data-testid="r-comment">
            <span className="r-card-text">{c.body}</span>
            <span className="r-card-meta">{day(c.at)}</span>
          </li>
        ))}
      </ul>
      {signedIn ? (
        <div className="r-form r-box">
          <textarea
            maxLength={500}
            placeholder={ds.comment}
            value={text}
            data-testid="r-comment-text"
            onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
          />
          <button
            type="button"
            className="primary wide"
            disabled={busy || text.trim().length < 2}
            data-testid="r-comment-send"
            onClick={send}
          >
            {ds.send}
          </button>
        </div>
      ) : (
        <p className="r-card-meta">{ds.signIn}</p>
      )}
    </div>
  );
}
