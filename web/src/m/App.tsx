import { useEffect, useState } from 'react';
import { HttpError, type Me, post, request, setCsrf } from './api.js';
import { loadCategories } from './categories.js';
import { keepForOffline } from './kept.js';
import { Lazy } from './lazyScreen.js';
import type { Unsettled } from './Settle.js';
import { cache, cached } from './store.js';
import { setAuthLostHandler, startSync } from './sync.js';
import { type CaseTask, TasksScreen, type VisitTask } from './Tasks.js';
import { toast } from './ui.js';
import { useOutbox } from './useOutbox.js';

// Every screen but the first (the login form, the task list) is a chunk fetched when it is
// first opened (<Lazy>): the first screen's JavaScript stays within the phone budget
// (scripts/check-budget.mjs), and the service worker keeps every chunk for offline use from
// the moment it installs (public/m/sw.js).
const taskActions = () => import('./TaskActions.js');
const report = () => import('./Report.js');
const myReports = () => import('./MyReports.js');
const patrol = () => import('./Patrol.js');
const more = () => import('./More.js');
const householdVisit = () => import('./HouseholdVisit.js');
const housing = () => import('./Housing.js');
const settle = () => import('./Settle.js');
const proxy = () => import('./Proxy.js');
const providerOrders = () => import('./ProviderOrders.js');
const checkIn = () => import('./CheckIn.js');

type Tab = 'tasks' | 'report' | 'patrol' | 'log' | 'more';
type Sub =
  | { kind: 'case'; task: CaseTask }
  | { kind: 'visit'; task: VisitTask }
  | { kind: 'outbox' }
  | { kind: 'resident' }
  | { kind: 'household' }
  | { kind: 'settle'; person: Unsettled }
  | { kind: 'housing' }
  | { kind: 'reports' }
  | { kind: 'proxy' }
  | { kind: 'proxyNew' }
  | null;

/** The field app is the grid worker's (fieldwork:record); anyone else is told where to go. */
export const fieldPermission = 'fieldwork:record';

function NotForThisRole({ me, logout }: { me: Me; logout: () => void }) {
  const resident = !me.permissions.includes('case:read');
  return (
    <div className="screen center" data-testid="m-not-for-role">
      <h1>网格通</h1>
      <div className="card">
        <p>
          <b>网格通是网格员的工作端</b>
        </p>
        <p className="muted">
          {me.displayName}
          {me.roles?.length ? `（${me.roles.map((r) => r.name).join('、')}）` : ''}
          的账号不能使用网格通。
        </p>
        <p>{resident ? '居民请在居民门户上报诉求、查看办理进度。' : '请在电脑上打开工作台办理业务。'}</p>
      </div>
      {resident ? (
        <>
          <a className="primary" href="/r" data-testid="m-portal-link">
            进入居民门户
          </a>
          <a className="link" href="/r/disclosure">
            查看公开信息
          </a>
        </>
      ) : (
        <a className="primary" href="/">
          打开工作台
        </a>
      )}
      <button type="button" className="link" onClick={logout}>
        换个账号登录
      </button>
    </div>
  );
}

function Login({ onIn }: { onIn: (me: Me) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  return (
    <form
      className="login"
      onSubmit={async (e) => {
        e.preventDefault();
        setError('');
        try {
          await post('/api/auth/login', { username, password });
          const me = await request('GET /api/me');
          onIn(me);
        } catch (err) {
          setError(err instanceof HttpError ? err.message : '无法连接服务器，请检查网络');
        }
      }}
    >
      <h1>网格通</h1>
      <p className="muted">
        {location.pathname.startsWith('/m/checkin/')
          ? '志愿者扫码签到 · 请先登录'
          : '基层综合服务管理平台 · 网格员'}
      </p>
      <input
        placeholder="用户名"
        value={username}
        onChange={(e) => setUsername(e.target.value)}
        autoComplete="username"
        data-testid="m-username"
      />
      <input
        placeholder="密码"
        type="password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        autoComplete="current-password"
        data-testid="m-password"
      />
      {error && <div className="error">{error}</div>}
      <button type="submit" className="primary" data-testid="m-login">
        登录
      </button>
    </form>
  );
}

export function FieldApp() {
  // A phone that never logged in shows the login form at once, without waiting for storage.
  const [me, setMeState] = useState<Me | null | undefined>(
    localStorage.getItem('cg-m-session') ? undefined : null,
  );
  const setMe = (m: Me | null) => {
    if (m) localStorage.setItem('cg-m-session', '1');
    else localStorage.removeItem('cg-m-session');
    setMeState(m);
  };
  const [tab, setTab] = useState<Tab>('tasks');
  const [sub, setSub] = useState<Sub>(null);
  const [online, setOnline] = useState(navigator.onLine);
  const pending = useOutbox();
  // biome-ignore lint/correctness/useExhaustiveDependencies: once on mount; setMe only wraps the state setter
  useEffect(() => {
    const on = () => setOnline(navigator.onLine);
    window.addEventListener('online', on);
    window.addEventListener('offline', on);
    // Who I am: as last seen on this phone at once (the app opens without waiting for the
    // network), then confirmed by the server: a 401 means log in again.
    let confirmed = false;
    void cached<Me>('me').then((m) => {
      if (confirmed) return;
      setCsrf(m?.csrfToken ?? null);
      setMe(m ?? null);
    });
    request('GET /api/me')
      .then(async (m) => {
        confirmed = true;
        setCsrf(m.csrfToken);
        await cache('me', m);
        setMe(m);
      })
      .catch((e) => {
        if (e instanceof HttpError && e.status === 401) {
          confirmed = true;
          void cache('me', null);
          setMe(null);
        }
      });
    setAuthLostHandler(() => {
      toast('登录已过期，请重新登录；未发送的记录仍保存在手机上');
      setMe(null);
    });
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', on);
    };
  }, []);
  const fieldWorker = me?.permissions.includes(fieldPermission) ?? false;
  useEffect(() => {
    if (!fieldWorker) return;
    startSync();
    // What 上报 needs offline, kept before it is first opened.
    void loadCategories();
  }, [fieldWorker]);
  // And the lists of the walk's screens (入户走访, 房屋核实, 帮办代办): the same.
  const myGrid = me?.jurisdiction.level === 'grid' ? me.jurisdiction.orgUnitId : null;
  const proxies = me?.permissions.includes('application:proxy') ?? false;
  useEffect(() => {
    if (fieldWorker) keepForOffline({ gridId: myGrid, proxies });
  }, [fieldWorker, myGrid, proxies]);
  if (me === undefined) return <div className="splash">网格通</div>;
  if (me === null)
    return (
      <Login
        onIn={async (m) => {
          setCsrf(m.csrfToken);
          await cache('me', m);
          setMe(m);
        }}
      />
    );
  const logout = async () => {
    await post('/api/auth/logout').catch(() => undefined);
    await cache('me', null);
    setMe(null);
  };
  // 扫码签到: a volunteer who scanned an activity's code, whatever else the account does.
  const code = /^\/m\/checkin\/([^/]+)$/.exec(location.pathname);
  if (code)
    return (
      <Lazy load={checkIn} placeholder={<div className="splash">扫码签到</div>}>
        {(m) => <m.CheckInScreen token={decodeURIComponent(code[1] as string)} me={me} logout={logout} />}
      </Lazy>
    );
  // A provider's staff (12349) gets its orders on the phone instead of the grid worker's app.
  if (!fieldWorker && me.permissions.includes('eldercareOrder:serve'))
    return (
      <Lazy load={providerOrders} placeholder={<div className="splash">网格通</div>}>
        {(m) => <m.ProviderApp me={me} logout={() => void logout()} />}
      </Lazy>
    );
  if (!fieldWorker) return <NotForThisRole me={me} logout={() => void logout()} />;
  // A new proxy application goes back to the proxy list, everything else to the tabs.
  const back = () => setSub(sub?.kind === 'proxyNew' ? { kind: 'proxy' } : null);
  const title = sub
    ? {
        case: '办理事件',
        visit: '走访',
        outbox: '待发送',
        resident: '居民登记',
        household: '入户走访',
        settle: '核实住址',
        housing: '房屋核实',
        reports: '我的上报',
        proxy: '帮办代办',
        proxyNew: '新建代办',
      }[sub.kind]
    : { tasks: '我的任务', report: '上报事件', patrol: '巡查', log: '工作日志', more: '我的' }[tab];
  const failed = pending.filter((e) => e.status === 'failed').length;
  const gridId = me.jurisdiction.level === 'grid' ? me.jurisdiction.orgUnitId : null;
  return (
    <div className="app">
      <header>
        {sub ? (
          <button type="button" className="back" onClick={back} aria-label="返回">
            ‹
          </button>
        ) : (
          <span className={`dot ${online ? 'on' : ''}`} title={online ? '在线' : '离线'} />
        )}
        <span className="title">{title}</span>
        <button
          type="button"
          className="outbox"
          onClick={() => setSub({ kind: 'outbox' })}
          data-testid="m-outbox-count"
        >
          {pending.length
            ? `待发送 ${pending.length}${failed ? `（失败 ${failed}）` : ''}`
            : online
              ? '已同步'
              : '离线'}
        </button>
      </header>
      <main>
        {sub?.kind === 'case' && (
          <Lazy load={taskActions}>{(m) => <m.CaseTaskScreen task={sub.task} done={back} />}</Lazy>
        )}
        {sub?.kind === 'visit' && (
          <Lazy load={taskActions}>{(m) => <m.VisitScreen task={sub.task} done={back} />}</Lazy>
        )}
        {sub?.kind === 'outbox' && <Lazy load={more}>{(m) => <m.OutboxScreen />}</Lazy>}
        {sub?.kind === 'housing' && (
          <Lazy load={housing}>{(m) => <m.HousingScreen gridId={gridId} done={back} />}</Lazy>
        )}
        {sub?.kind === 'settle' && (
          <Lazy load={settle}>
            {(m) => <m.SettleScreen person={sub.person} gridId={gridId} done={back} />}
          </Lazy>
        )}
        {sub?.kind === 'household' && (
          <Lazy load={householdVisit}>{(m) => <m.HouseholdVisitScreen gridId={gridId} done={back} />}</Lazy>
        )}
        {sub?.kind === 'resident' && (
          <Lazy load={more}>{(m) => <m.ResidentScreen gridId={gridId} done={back} />}</Lazy>
        )}
        {!sub && tab === 'tasks' && <TasksScreen open={(t) => setSub(t)} />}
        {sub?.kind === 'reports' && <Lazy load={myReports}>{(m) => <m.MyReportsScreen />}</Lazy>}
        {sub?.kind === 'proxy' && (
          <Lazy load={proxy}>
            {(m) => <m.ProxyListScreen startNew={() => setSub({ kind: 'proxyNew' })} />}
          </Lazy>
        )}
        {sub?.kind === 'proxyNew' && (
          <Lazy load={proxy}>{(m) => <m.ProxyNewScreen done={() => setSub({ kind: 'proxy' })} />}</Lazy>
        )}
        {!sub && tab === 'report' && (
          <Lazy load={report}>
            {(m) => <m.ReportScreen openReports={() => setSub({ kind: 'reports' })} gridId={gridId} />}
          </Lazy>
        )}
        {!sub && tab === 'patrol' && <Lazy load={patrol}>{(m) => <m.PatrolScreen />}</Lazy>}
        {!sub && tab === 'log' && <Lazy load={more}>{(m) => <m.LogScreen />}</Lazy>}
        {!sub && tab === 'more' && (
          <div className="screen">
            <div className="card">
              <b>{me.displayName}</b>
              <div className="muted">{me.jurisdiction.orgUnitName}</div>
            </div>
            <ul className="list">
              <li>
                <button
                  type="button"
                  onClick={() => setSub({ kind: 'reports' })}
                  data-testid="m-my-reports-open"
                >
                  我的上报
                </button>
              </li>
              {me.permissions.includes('application:proxy') && (
                <li>
                  <button type="button" onClick={() => setSub({ kind: 'proxy' })} data-testid="m-proxy-open">
                    帮办代办
                  </button>
                </li>
              )}
              <li>
                <button
                  type="button"
                  onClick={() => setSub({ kind: 'household' })}
                  data-testid="m-household-visit"
                >
                  入户走访
                </button>
              </li>
              <li>
                <button type="button" onClick={() => setSub({ kind: 'housing' })}>
                  房屋核实
                </button>
              </li>
              <li>
                <button type="button" onClick={() => setSub({ kind: 'resident' })}>
                  居民登记
                </button>
              </li>
              <li>
                <button type="button" onClick={() => setSub({ kind: 'outbox' })}>
                  待发送记录（{pending.length}）
                </button>
              </li>
              <li>
                <button
                  type="button"
                  onClick={async () => {
                    if (
                      pending.length &&
                      !confirm(
                        `还有 ${pending.length} 条记录未发送，退出后它们仍保存在这台手机上。确定退出？`,
                      )
                    )
                      return;
                    await logout();
                  }}
                >
                  退出登录
                </button>
              </li>
            </ul>
          </div>
        )}
      </main>
      {!sub && (
        <nav>
          {(
            [
              ['tasks', '任务'],
              ['report', '上报'],
              ['patrol', '巡查'],
              ['log', '日志'],
              ['more', '我的'],
            ] as const
          ).map(([k, label]) => (
            <button
              type="button"
              key={k}
              className={tab === k ? 'on' : ''}
              onClick={() => setTab(k)}
              data-testid={`m-tab-${k}`}
            >
              {label}
            </button>
          ))}
        </nav>
      )}
    </div>
  );
}
