import { type ReactNode, useEffect, useState } from 'react';
import { type Me, request, setCsrf } from '../m/api.js';
import { Lazy } from './lazyPage.js';
import { CaseDetail, MyCases } from './MyCases.js';
import { NoticeBar } from './NoticeBar.js';
import { ns } from './noticeStrings.js';
import { ReportPage } from './Report.js';
import { navigate, usePath } from './router.js';
import { SignIn } from './SignIn.js';
import { s } from './strings.js';
import { sv } from './svcStrings.js';
import { useUnread } from './unread.js';

// The first screen (sign-in, report, my cases) is in the entry; every other page is a chunk
// fetched when it is first shown (<Lazy>), which keeps the entry within the JavaScript budget.
const account = () => import('./Account.js');
const applications = () => import('./MyApplications.js');
const proxy = () => import('./ProxyRequest.js');
const notices = () => import('./Notices.js');
const rating = () => import('./Rate.js');
const services = () => import('./Services.js');
const verifying = () => import('./Verify.js');
const wishes = () => import('./Wishes.js');
const results = () => import('./Results.js');
const deliberationPages = () => import('./Deliberations.js');
const suggestionPages = () => import('./Suggestions.js');

/**
 * The resident portal (/r): sign in with a phone and a code, report a problem, follow it in
 * "my matters", rate it. /r/verify/{code} and /r/rate/{token} are open without signing in.
 */
export function PortalApp() {
  const path = usePath();
  const verify = /^\/r\/verify\/([^/]+)$/.exec(path);
  if (verify)
    return (
      <Lazy load={verifying}>{(m) => <m.VerifyPage code={decodeURIComponent(verify[1] as string)} />}</Lazy>
    );
  const rate = /^\/r\/rate\/([^/]+)$/.exec(path);
  if (rate)
    return <Lazy load={rating}>{(m) => <m.RatePage token={decodeURIComponent(rate[1] as string)} />}</Lazy>;
  // 办事指南 is open to anyone; applying from it asks to sign in.
  const guide = /^\/r\/guide(?:\/([A-Z0-9_-]+))?$/.exec(path);
  if (guide)
    return (
      <OpenPage title={sv.guide}>
        <Lazy load={services}>
          {(m) => (guide[1] ? <m.GuidePage code={guide[1]} signedIn /> : <m.GuideList />)}
        </Lazy>
      </OpenPage>
    );
  // 共建共治成果: figures and published texts only, open to anyone.
  if (path === '/r/results')
    return (
      <OpenPage title="共建共治成果">
        <Lazy load={results}>{(m) => <m.ResultsPage />}</Lazy>
      </OpenPage>
    );
  return <SignedIn path={path} />;
}

/** A page open without signing in: a back button and its title over the content. */
function OpenPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="app">
      <header className="r-header">
        <button type="button" className="r-back" onClick={() => history.back()} aria-label={s.back}>
          ‹
        </button>
        <h1>{title}</h1>
        <span className="r-back" />
      </header>
      <main className="r-main">{children}</main>
    </div>
  );
}

/** 我的事项: his reports and his online applications, one tab each. */
function MyMatters() {
  const [tab, setTab] = useState<'cases' | 'apps'>(
    new URLSearchParams(location.search).get('tab') === 'apps' ? 'apps' : 'cases',
  );
  return (
    <>
      <div className="r-tabs" role="tablist">
        {(['cases', 'apps'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            className={`r-tab${tab === k ? ' on' : ''}`}
            data-testid={`r-tab-${k}`}
            onClick={() => setTab(k)}
          >
            {sv.tabs[k]}
          </button>
        ))}
      </div>
      {tab === 'cases' ? (
        <MyCases />
      ) : (
        <>
          <Lazy load={proxy}>{(m) => <m.MyProxyRequests />}</Lazy>
          <Lazy load={applications}>{(m) => <m.MyApplications />}</Lazy>
        </>
      )}
    </>
  );
}

/** 共建共治 on the home page: test id, page, words. */
const homeLinks = [
  ['r-wishes-link', '/r/wishes', '微心愿'],
  ['r-suggestions-link', '/r/suggestions', '居民建议'],
  ['r-deliberations-link', '/r/deliberations', '议事公开'],
  ['r-results-link', '/r/results', '共建共治成果'],
] as const;

function SignedIn({ path }: { path: string }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const unread = useUnread(`${path}:${me ? me.id : ''}`);
  useEffect(() => {
    request('GET /api/me')
      .then((m) => {
        setCsrf(m.csrfToken);
        setMe(m);
      })
      .catch(() => setMe(null));
  }, []);
  if (me === undefined) return <p className="r-loading">{s.loading}</p>;
  if (me === null)
    return (
      <>
        <SignIn
          done={(m) => {
            setCsrf(m.csrfToken);
            setMe(m);
          }}
        />
        <nav className="r-row r-open-links">
          <button type="button" className="r-link" onClick={() => navigate('/r/guide')}>
            {sv.guide} ›
          </button>
          <button
            type="button"
            className="r-link"
            data-testid="r-results-open"
            onClick={() => navigate('/r/results')}
          >
            共建共治成果 ›
          </button>
        </nav>
      </>
    );
  const detail = /^\/r\/cases\/([0-9a-f-]{36})$/.exec(path);
  const notice = /^\/r\/notices(?:\/([0-9a-f-]{36}))?$/.exec(path);
  const application = /^\/r\/applications\/([0-9a-f-]{36})$/.exec(path);
  const apply = /^\/r\/apply\/([A-Z0-9_-]+)$/.exec(path);
  const deliberation = /^\/r\/deliberations(?:\/([0-9a-f-]{36}))?$/.exec(path);
  let page = <MyMatters />;
  let title: string = s.myCases;
  if (path === '/r/report') {
    page = <ReportPage />;
    title = s.report;
  } else if (path === '/r/account') {
    page = <Lazy load={account}>{(m) => <m.AccountPage me={me} signedOut={() => setMe(null)} />}</Lazy>;
    title = s.account;
  } else if (notice) {
    page = (
      <Lazy load={notices}>{(m) => (notice[1] ? <m.NoticePage id={notice[1]} /> : <m.NoticesPage />)}</Lazy>
    );
    title = notice[1] ? ns.noticeDetail : ns.notices;
  } else if (path === '/r/map') {
    page = <Lazy load={notices}>{(m) => <m.PublicMapPage />}</Lazy>;
    title = ns.map;
  } else if (detail) {
    page = <CaseDetail id={detail[1] as string} />;
    title = s.caseDetail;
  } else if (application) {
    page = <Lazy load={applications}>{(m) => <m.ApplicationPage id={application[1] as string} />}</Lazy>;
    title = sv.appDetail;
  } else if (apply) {
    page = <Lazy load={services}>{(m) => <m.ApplyPage code={apply[1] as string} />}</Lazy>;
    title = sv.apply;
  } else if (path === '/r/wishes') {
    page = <Lazy load={wishes}>{(m) => <m.WishesPage />}</Lazy>;
    title = '微心愿';
  } else if (deliberation) {
    page = (
      <Lazy load={deliberationPages}>
        {(m) =>
          deliberation[1] ? <m.DeliberationPage id={deliberation[1]} signedIn /> : <m.DeliberationList />
        }
      </Lazy>
    );
    title = '议事公开';
  } else if (path === '/r/suggestions') {
    page = <Lazy load={suggestionPages}>{(m) => <m.SuggestionsPage />}</Lazy>;
    title = '居民建议';
  } else if (path === '/r/notifications') {
    page = <Lazy load={applications}>{(m) => <m.NotificationsPage />}</Lazy>;
    title = sv.notifications;
  }
  return (
    <div className="app">
      <header className="r-header">
        {path !== '/r' && path !== '/r/' ? (
          <button type="button" className="r-back" onClick={() => navigate('/r')} aria-label={s.back}>
            ‹
          </button>
        ) : (
          <span className="r-back" />
        )}
        <h1>{title}</h1>
        <button
          type="button"
          className="r-link"
          data-testid="r-notifications-link"
          onClick={() => navigate('/r/notifications')}
        >
          {sv.notifications}
          {unread > 0 && (
            <span className="r-badge" data-testid="r-unread">
              {unread}
            </span>
          )}
        </button>
        <button
          type="button"
          className="r-link"
          data-testid="r-account"
          onClick={() => navigate('/r/account')}
        >
          {s.account}
        </button>
      </header>
      <main className="r-main">
        {(path === '/r' || path === '/r/') && <NoticeBar />}
        {(path === '/r' || path === '/r/') && (
          // Not a <nav>: the field app's styles make every nav its bottom bar.
          <div className="r-tiles">
            {homeLinks.map(([testId, to, label]) => (
              <button
                key={to}
                type="button"
                className="r-tile"
                data-testid={testId}
                onClick={() => navigate(to)}
              >
                {label}
              </button>
            ))}
          </div>
        )}
        {page}
      </main>
      {(path === '/r' || path === '/r/') && (
        <footer className="r-footer r-row">
          <button
            type="button"
            className="r-secondary wide"
            data-testid="r-guide-link"
            onClick={() => navigate('/r/guide')}
          >
            {sv.guide}
          </button>
          <button
            type="button"
            className="primary wide"
            data-testid="r-new-report"
            onClick={() => navigate('/r/report')}
          >
            {s.reportButton}
          </button>
        </footer>
      )}
    </div>
  );
}
