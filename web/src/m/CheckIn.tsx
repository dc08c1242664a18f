import { useEffect, useState } from 'react';
import { HttpError, type Me, type Reply, request } from './api.js';

type State = Reply<'GET /api/volunteer-check-in-codes/:token'>;
type Done = Reply<'POST /api/volunteer-check-in-codes/:token/check-in'>;

const hm = (v: string) =>
  new Date(v).toLocaleTimeString('zh-CN', { hour12: false, hour: '2-digit', minute: '2-digit' });
const span = (a: State['activity']) =>
  `${new Date(a.startsAt).toLocaleDateString('zh-CN')} ${hm(a.startsAt)}–${hm(a.endsAt)}`;
/** What went wrong, in words: an unknown code (forged, mistyped, another community's) is 404. */
const failure = (e: unknown) =>
  e instanceof HttpError
    ? e.status === 404
      ? '签到码无效：请扫描本社区活动现场的二维码'
      : e.message
    : e instanceof Error
      ? e.message
      : '网络不通，请稍后重试';

/**
 * 扫码签到 (/m/checkin/{token}): the volunteer scanned the activity's code at the place. Once he
 * is signed in, he is checked in at once when the activity is under way and he is not in yet;
 * when he is in, the page offers 签退 (a tap, so a second scan never ends his service by
 * mistake). A forged or expired code says so and writes nothing.
 */
export function CheckInScreen({ token, me, logout }: { token: string; me: Me; logout: () => void }) {
  const [state, setState] = useState<State | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const act = async (action: 'check-in' | 'check-out') => {
    setBusy(true);
    setError('');
    try {
      const r = await request(`POST /api/volunteer-check-in-codes/:token/${action}`, { params: { token } });
      setDone(r);
      setState(await request('GET /api/volunteer-check-in-codes/:token', { params: { token } }));
    } catch (e) {
      setError(failure(e));
    } finally {
      setBusy(false);
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per code; act only wraps the request
  useEffect(() => {
    request('GET /api/volunteer-check-in-codes/:token', { params: { token } })
      .then((s) => {
        setState(s);
        // The scan is his intent: check him in without another tap when he can be.
        if (s.window === 'open' && s.volunteer && !s.volunteer.checkedInAt) void act('check-in');
      })
      .catch((e) => setError(failure(e)));
  }, [token]);
  const v = state?.volunteer;
  return (
    <div className="app">
      <header>
        <span className="dot on" />
        <span className="title">扫码签到</span>
        <button type="button" className="outbox" onClick={logout}>
          退出
        </button>
      </header>
      <main>
        <div className="screen" data-testid="m-checkin">
          {state ? (
            <div className="card">
              <b data-testid="m-checkin-title">{state.activity.title}</b>
              <p className="muted">
                {state.activity.placeName} · {span(state.activity)}
              </p>
              {state.activity.teamName && <p className="muted">{state.activity.teamName}</p>}
            </div>
          ) : (
            !error && <div className="card muted">加载中…</div>
          )}
          {error && (
            <div className="card error" data-testid="m-checkin-error">
              {error}
            </div>
          )}
          {state && !v && (
            <div className="card" data-testid="m-checkin-not-volunteer">
              {me.displayName} 的账号尚未登记为志愿者，请联系社区登记后再扫码。
            </div>
          )}
          {state && v && state.window === 'early' && !v.checkedInAt && (
            <div className="card muted">活动开始前 1 小时起可签到，请稍后再扫码。</div>
          )}
          {state && v && state.window === 'ended' && !v.checkedInAt && (
            <div className="card muted">活动已结束，不能再签到。</div>
          )}
          {v?.checkedInAt && (
            <div className="card" data-testid="m-checkin-in">
              <p>
                <span className="tag">已签到</span> {v.name}，{hm(v.checkedInAt)} 签到
                {done?.outcome === 'alreadyIn' ? '（此前已签到，未重复记录）' : ''}
              </p>
              <p className="muted">服务结束离开时，点“签退”记入服务时长。</p>
            </div>
          )}
          {v?.checkedInAt && (
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => void act('check-out')}
              data-testid="m-checkin-out"
            >
              {busy ? '正在签退…' : '签退'}
            </button>
          )}
          {v && !v.checkedInAt && done?.outcome === 'checkedOut' && (
            <div className="card" data-testid="m-checkin-done">
              <p>
                <span className="tag">已签退</span> 本次服务 {done.minutes ?? 0} 分钟，累计服务 {done.hours}{' '}
                小时。
              </p>
            </div>
          )}
          {v && !v.checkedInAt && state?.window === 'open' && done?.outcome !== 'checkedOut' && (
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => void act('check-in')}
              data-testid="m-checkin-in-button"
            >
              {busy ? '正在签到…' : '签到'}
            </button>
          )}
          {v && v.minutes > 0 && <p className="muted">本活动已记服务时长 {v.minutes} 分钟。</p>}
        </div>
      </main>
    </div>
  );
}
