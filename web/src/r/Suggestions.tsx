import { residentTextLimits } from '@civicgrid/core/participation/councils';
import { useEffect, useRef, useState } from 'react';
import { newUuid } from '../common/retryKey.js';
import { HttpError, type Reply, request } from '../m/api.js';
import { toast } from '../m/ui.js';
import { navigate } from './router.js';
import { s } from './strings.js';

/** The portal's words for 居民建议、附议 (zh-CN). */
export const ss = {
  title: '居民建议',
  intro: '对小区、社区的公共事务有想法？提出建议，邻居可以附议；附议多的建议由社区转为议题，交居民代表商议。',
  community: '我所在的社区',
  pickCommunity: '请选择社区',
  needCommunity: '选择您所在的社区，查看邻居们的建议',
  post: '＋ 我有建议',
  suggestion: '建议标题',
  titleHint: (min: number, max: number) => `一句话说清建议什么（${min}–${max} 个字）`,
  body: '建议内容',
  bodyHint: (min: number, max: number) => `说明现状和您的想法（${min}–${max} 个字）`,
  to: (name: string) => `提交给：${name}`,
  send: '提交建议',
  sending: '提交中…',
  cancel: '取消',
  sent: '建议已提交，邻居们现在可以附议了',
  tabs: { all: '社区建议', mine: '我的建议' },
  empty: '这个社区还没有建议，来提第一条吧',
  emptyMine: '您还没有提过建议',
  more: '加载更多',
  mineTag: '我的',
  supports: (n: number) => `${n} 人附议`,
  support: '附议',
  withdraw: '取消附议',
  status: { open: '征集中', proposed: '已转为议题' },
  openDeliberation: '查看议题 ›',
  tooShort: (label: string, min: number) => `${label}至少 ${min} 个字`,
  tooLong: (label: string, max: number) => `${label}不能超过 ${max} 个字`,
};

type Suggestion = Reply<'GET /api/deliberation-suggestions'>['items'][number];
type Communities = Reply<'GET /api/public/communities'>['items'];

/** The community a resident picked last, kept on his phone: he lives there, he comes back to it. */
const communityKey = 'cg.r.community';
const storedCommunity = () => {
  try {
    return localStorage.getItem(communityKey) ?? '';
  } catch {
    return '';
  }
};
const day = (iso: string) => new Date(iso).toLocaleDateString('zh-CN');
const pageSize = 20;

/**
 * /r/suggestions: the suggestions of the resident's community, most supported first, each with
 * its count and a 附议 toggle; 我有建议 posts one; 我的建议 follows his own to the deliberation
 * it became.
 */
export function SuggestionsPage() {
  const [communities, setCommunities] = useState<Communities | null>(null);
  const [community, setCommunity] = useState(storedCommunity);
  const [tab, setTab] = useState<'all' | 'mine'>('all');
  const [posting, setPosting] = useState(false);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    request('GET /api/public/communities')
      .then((r) => setCommunities(r.items))
      .catch(() => setCommunities([]));
  }, []);
  const pick = (id: string) => {
    setCommunity(id);
    setPosting(false);
    try {
      localStorage.setItem(communityKey, id);
    } catch {}
  };
  const communityName = communities?.find((c) => String(c.id) === community)?.name ?? '';
  return (
    <div data-testid="r-suggestions">
      <p className="r-card-meta">{ss.intro}</p>
      <label className="field r-box">
        <span className="field-label">{ss.community}</span>
        <select
          value={community}
          data-testid="r-suggestion-community"
          onChange={(e) => pick((e.target as HTMLSelectElement).value)}
        >
          <option value="">{communities ? ss.pickCommunity : s.loading}</option>
          {communities?.map((c) => (
            <option key={c.id} value={String(c.id)}>
              {c.streetName} {c.name}
            </option>
          ))}
        </select>
      </label>
      {community &&
        (posting ? (
          <PostSuggestion
            communityId={Number(community)}
            communityName={communityName}
            cancel={() => setPosting(false)}
            done={() => {
              setPosting(false);
              setTab('mine');
              setReload((n) => n + 1);
            }}
          />
        ) : (
          <button
            type="button"
            className="primary wide r-gap"
            data-testid="r-suggestion-new"
            onClick={() => setPosting(true)}
          >
            {ss.post}
          </button>
        ))}
      <div className="r-tabs" role="tablist">
        {(['all', 'mine'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            className={`r-tab${tab === k ? ' on' : ''}`}
            data-testid={`r-suggestion-tab-${k}`}
            onClick={() => setTab(k)}
          >
            {ss.tabs[k]}
          </button>
        ))}
      </div>
      {tab === 'mine' ? (
        <SuggestionList
          key={`mine-${reload}`}
          query={{ mine: 'posted', sort: 'recent' }}
          empty={ss.emptyMine}
        />
      ) : community ? (
        <SuggestionList
          key={`${community}-${reload}`}
          query={{ orgUnitId: Number(community), sort: 'support' }}
          empty={ss.empty}
        />
      ) : (
        <p className="r-empty">{ss.needCommunity}</p>
      )}
    </div>
  );
}

type ListQuery = { orgUnitId?: number; mine?: 'posted'; sort: 'support' | 'recent' };

/** One list of suggestions, a page at a time ("加载更多" for the next). */
function SuggestionList({ query, empty }: { query: ListQuery; empty: string }) {
  const [items, setItems] = useState<Suggestion[] | null>(null);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [failed, setFailed] = useState(false);
  const [loading, setLoading] = useState(false);
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the list is keyed by its query
  useEffect(() => {
    setLoading(true);
    setFailed(false);
    request('GET /api/deliberation-suggestions', { query: { ...query, page, pageSize } })
      .then((r) => {
        setItems((prev) => (page === 1 || !prev ? r.items : [...prev, ...r.items]));
        setTotal(r.total);
      })
      .catch(() => setFailed(true))
      .finally(() => setLoading(false));
  }, [page, attempt]);
  const replace = (next: Suggestion) =>
    setItems((prev) => prev?.map((x) => (x.id === next.id ? next : x)) ?? prev);
  if (failed && !items)
    return (
      <div className="r-empty">
        <p className="error">{s.failed}</p>
        <button type="button" className="r-secondary" onClick={() => setAttempt((n) => n + 1)}>
          {s.retry}
        </button>
      </div>
    );
  if (!items) return <p className="r-loading">{s.loading}</p>;
  if (items.length === 0) return <p className="r-empty">{empty}</p>;
  return (
    <>
      <ul className="r-list" data-testid="r-suggestion-list">
        {items.map((it) => (
          <SuggestionCard key={it.id} item={it} showCommunity={!query.orgUnitId} changed={replace} />
        ))}
      </ul>
      {failed && <p className="error">{s.failed}</p>}
      {items.length < total && (
        <button
          type="button"
          className="r-secondary wide"
          disabled={loading}
          // After a failed page, the same page again; else the next.
          onClick={() => (failed ? setAttempt((n) => n + 1) : setPage((p) => p + 1))}
        >
          {loading ? s.loading : failed ? s.retry : ss.more}
        </button>
      )}
    </>
  );
}

/**
 * One suggestion: its text, count and state. 附议 answers at once and settles on the server's
 * count; a refusal (offline, closed meanwhile) puts the card back as it was.
 */
function SuggestionCard({
  item,
  showCommunity,
  changed,
}: {
  item: Suggestion;
  showCommunity: boolean;
  changed: (s: Suggestion) => void;
}) {
  const [busy, setBusy] = useState(false);
  const toggle = async () => {
    const before = item;
    const support = !item.supportedByMe;
    setBusy(true);
    changed({ ...item, supportedByMe: support, supportCount: item.supportCount + (support ? 1 : -1) });
    try {
      const r = await request(
        support
          ? 'POST /api/deliberation-suggestions/:id/support'
          : 'DELETE /api/deliberation-suggestions/:id/support',
        { params: { id: item.id } },
      );
      changed({ ...before, ...r });
    } catch (e) {
      changed(before);
      toast(e instanceof HttpError ? e.message : s.failed);
    } finally {
      setBusy(false);
    }
  };
  const proposed = item.status === 'proposed';
  return (
    <li className="r-card" data-testid="r-suggestion" data-id={item.id}>
      <span className="r-card-top">
        <strong>{item.title}</strong>
        <span className={`r-tag${proposed ? ' r-tag-done' : ''}`} data-testid="r-suggestion-status">
          {ss.status[item.status]}
        </span>
      </span>
      <span className="r-card-text">{item.body}</span>
      <span className="r-card-foot">
        <span className="r-card-meta">
          {item.mine && <span className="r-mine">{ss.mineTag}</span>}
          {showCommunity && `${item.orgUnitName} · `}
          {day(item.createdAt)} · <b data-testid="r-suggestion-count">{ss.supports(item.supportCount)}</b>
        </span>
        {proposed ? (
          item.deliberationId && (
            <button
              type="button"
              className="r-inline-link"
              data-testid="r-suggestion-deliberation"
              onClick={() => navigate(`/r/deliberations/${item.deliberationId}`)}
            >
              {ss.openDeliberation}
            </button>
          )
        ) : (
          <button
            type="button"
            className={`r-support${item.supportedByMe ? ' on' : ''}`}
            aria-pressed={item.supportedByMe}
            disabled={busy}
            data-testid="r-suggestion-support"
            onClick={toggle}
          >
            {item.supportedByMe ? ss.withdraw : ss.support}
          </button>
        )}
      </span>
    </li>
  );
}

type Field = 'title' | 'body' | 'orgUnitId';
const { suggestionTitle, suggestionBody } = residentTextLimits;

/** What the form can tell before sending; the server says the same words and more. */
function problems(f: { title: string; body: string }): Partial<Record<Field, string>> {
  const out: Partial<Record<Field, string>> = {};
  const check = (k: 'title' | 'body', label: string, lim: { min: number; max: number }) => {
    const n = [...f[k].trim()].length;
    if (n < lim.min) out[k] = ss.tooShort(label, lim.min);
    else if (n > lim.max) out[k] = ss.tooLong(label, lim.max);
  };
  check('title', ss.suggestion, suggestionTitle);
  check('body', ss.body, suggestionBody);
  return out;
}

function PostSuggestion({
  communityId,
  communityName,
  cancel,
  done,
}: {
  communityId: number;
  communityName: string;
  cancel: () => void;
  done: () => void;
}) {
  const [f, setF] = useState({ title: '', body: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [other, setOther] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per suggestion written: a retry after a lost answer finds the same one.
  const key = useRef(newUuid());
  const set = (k: 'title' | 'body') => (e: { target: EventTarget | null }) => {
    const value = (e.target as HTMLInputElement).value;
    setF((x) => ({ ...x, [k]: value }));
    setErrors((x) => ({ ...x, [k]: undefined }));
  };
  const send = async () => {
    const found = problems(f);
    setErrors(found);
    setOther(null);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await request('POST /api/deliberation-suggestions', {
        body: {
          orgUnitId: communityId,
          title: f.title.trim(),
          body: f.body.trim(),
          idempotencyKey: key.current,
        },
      });
      toast(ss.sent);
      done();
    } catch (e) {
      if (e instanceof HttpError && (e.field === 'title' || e.field === 'body' || e.field === 'orgUnitId'))
        setErrors(
          Object.fromEntries(
            (e.errors.length ? e.errors : [{ field: e.field, message: e.message }]).map((x) => [
              x.field,
              x.message,
            ]),
          ),
        );
      else setOther(e instanceof HttpError ? e.message : s.failed);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="r-box r-form" data-testid="r-suggestion-form">
      <label className="field">
        <span className="field-label">{ss.suggestion}</span>
        <input
          maxLength={suggestionTitle.max}
          value={f.title}
          className={errors.title ? 'bad' : ''}
          placeholder={ss.titleHint(suggestionTitle.min, suggestionTitle.max)}
          data-testid="r-suggestion-title"
          onInput={set('title')}
        />
        {errors.title && (
          <span className="error" data-testid="r-suggestion-title-error">
            {errors.title}
          </span>
        )}
      </label>
      <label className="field">
        <span className="field-label">{ss.body}</span>
        <textarea
          rows={4}
          maxLength={suggestionBody.max}
          value={f.body}
          className={errors.body ? 'bad' : ''}
          placeholder={ss.bodyHint(suggestionBody.min, suggestionBody.max)}
          data-testid="r-suggestion-body"
          onInput={set('body')}
        />
        {errors.body && (
          <span className="error" data-testid="r-suggestion-body-error">
            {errors.body}
          </span>
        )}
      </label>
      <p className="r-card-meta">{ss.to(communityName)}</p>
      {errors.orgUnitId && <p className="error">{errors.orgUnitId}</p>}
      {other && (
        <p className="error" role="alert">
          {other}
        </p>
      )}
      <div className="r-row r-actions">
        <button type="button" className="r-secondary" disabled={busy} onClick={cancel}>
          {ss.cancel}
        </button>
        <button
          type="button"
          className="primary r-grow"
          disabled={busy}
          data-testid="r-suggestion-send"
          onClick={send}
        >
          {busy ? ss.sending : ss.send}
        </button>
      </div>
    </section>
  );
}
